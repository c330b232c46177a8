import type { WebSocket } from 'ws';
import { JugglerError } from '../core/errors.js';
import type { JugglerPeer } from '../core/peer.js';
import { SendBuffer, type SendBufferLimits } from './send-buffer.js';
import { jugglerErrorFromWs } from './ws-errors.js';

/**
 * Connects a peer to an open `ws` socket. A connection that reads too slowly
 * is sent no DATA until it catches up, and is closed when its backlog stays
 * too large (see {@link SendBufferLimits}).
 */
export function attachSocket(peer: JugglerPeer<unknown, unknown>, socket: WebSocket, limits: SendBufferLimits = {}): void {
  attachSocketThen(peer, socket, limits);
}

/**
 * @internal {@link attachSocket}, and `closed` runs when the socket closes: a
 * server counting its connections adds no listener of its own per connection.
 */
export function attachSocketThen(peer: JugglerPeer<unknown, unknown>, socket: WebSocket, limits: SendBufferLimits, closed?: () => void): void {
  const buffer = new SendBuffer(socket, limits, (why) => peer.abort(new JugglerError('slow-consumer', why)));
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
  peer.connected(buffer);
}
