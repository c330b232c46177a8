import type { WebSocket } from 'ws';
import type { JugglerPeer } from '../core/peer.js';
import { SendBuffer, type SendBufferLimits } from './send-buffer.js';
import { jugglerErrorFromWs } from './ws-errors.js';

/** What a server hooks into a connection it attaches. */
export interface AttachHooks {
  /** Runs once the peer can send and call, before its local data goes out (see `JugglerPeer.connected`). */
  welcome?: () => void;
  /** Runs when the socket closes, before the peer hears of it: a server counting its connections needs no listener of its own. */
  closed?: () => void;
}

/**
 * Connects a peer to an open `ws` socket. A connection that reads too slowly
 * is sent no DATA until it catches up, and is closed when its backlog stays
 * too large (see {@link SendBufferLimits}).
 */
export function attachSocket(
  peer: JugglerPeer<unknown, unknown>,
  socket: WebSocket,
  limits: SendBufferLimits = {},
  hooks: AttachHooks = {},
): void {
  const { welcome, closed } = hooks;
  const buffer = new SendBuffer(socket, limits, peer);
  socket.on('message', (data, isBinary) => {
    if (isBinary) peer.receiveBinary();
    else peer.receive(data.toString());
  });
  socket.on('close', (code, reason) => {
    buffer.closed();
    closed?.();
    peer.disconnected(code, reason.toString());
  });
  // ws has already closed with its own code for a frame it refused; the error says the same code.
  socket.on('error', (error: Error & { code?: string }) => peer.abort(jugglerErrorFromWs(error)));
  peer.connected(buffer, welcome);
}
