import { JugglerPeer, type PeerOptions, type Transport } from '../../src/core/peer.js';

/** A transport that keeps what the peer sent, for unit tests without sockets. */
export class FakeTransport implements Transport {
  readonly frames: string[] = [];
  closedWith: { code: number; reason: string } | undefined;

  send(frame: string): void {
    this.frames.push(frame);
  }

  close(code: number, reason: string): void {
    this.closedWith = { code, reason };
  }

  /** The messages sent so far, decoded. */
  get messages(): Array<{ type: string; payload: unknown }> {
    return this.frames.map((frame) => JSON.parse(frame));
  }

  /** The DATA payloads sent so far. */
  get patches(): unknown[] {
    return this.messages.filter((m) => m.type === 'DATA').map((m) => m.payload);
  }
}

/** A peer on a fake transport, already open. */
export function openPeer(options?: PeerOptions): { peer: JugglerPeer; transport: FakeTransport } {
  const peer = new JugglerPeer(options);
  const transport = new FakeTransport();
  peer.connected(transport);
  return { peer, transport };
}
