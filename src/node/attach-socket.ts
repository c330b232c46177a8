import type { WebSocket } from 'ws';
import type { JugglerPeer } from '../core/peer.js';
import { jugglerErrorFromWs } from './ws-errors.js';

/** Connects a peer to an open `ws` socket. */
export function attachSocket(peer: JugglerPeer, socket: WebSocket): void {
  socket.on('message', (data, isBinary) => {
    if (isBinary) peer.receiveBinary();
    else peer.receive(data.toString());
  });
  socket.on('close', (code, reason) => peer.disconnected(code, reason.toString()));
  // ws has already closed with its own code for a frame it refused; the error says the same code.
  socket.on('error', (error: Error & { code?: string }) => peer.abort(jugglerErrorFromWs(error)));
  peer.connected({
    send: (frame) => socket.send(frame),
    close: (code, reason) => socket.close(code, reason),
  });
}
