import type { SocketLike } from '../../src/client/juggler-client.js';

/** A WebSocket stand-in the test drives by hand: open it, feed it frames, drop it. */
export class FakeSocket extends EventTarget implements SocketLike {
  static readonly made: FakeSocket[] = [];
  readyState: 0 | 1 | 2 | 3 = 0;
  readonly sent: string[] = [];
  closedWith: { code?: number; reason?: string } | undefined;

  constructor(
    readonly url: string,
    readonly protocols: string | string[] | undefined,
  ) {
    super();
    FakeSocket.made.push(this);
  }

  static get last(): FakeSocket {
    return FakeSocket.made[FakeSocket.made.length - 1];
  }

  send(data: string): void {
    if (this.readyState !== 1) throw new Error('send on a socket that is not open');
    this.sent.push(data);
  }

  close(code?: number, reason?: string): void {
    this.closedWith = { code, reason };
    this.readyState = 2;
  }

  /** The server accepts the connection. */
  open(): void {
    this.readyState = 1;
    this.dispatchEvent(new Event('open'));
  }

  /** A frame arrives from the server. */
  deliver(data: unknown): void {
    this.dispatchEvent(new MessageEvent('message', { data }));
  }

  /** The connection ends (the server closed it, or it never opened). */
  drop(code = 1006, reason = ''): void {
    this.readyState = 3;
    this.dispatchEvent(Object.assign(new Event('close'), { code, reason }));
  }
}
