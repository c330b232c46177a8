import type { WebSocket } from 'ws';
import { JugglerError, type JugglerErrorCode } from '../core/errors.js';
import type { JugglerPeer } from '../core/peer.js';

/** What `ws` reports for frames it refuses before the peer sees them. */
const wsErrorCodes: Record<string, JugglerErrorCode> = {
  WS_ERR_UNSUPPORTED_MESSAGE_LENGTH: 'message-too-large',
  WS_ERR_INVALID_UTF8: 'invalid-message',
};

/** Connects a peer to an open `ws` socket. */
export function attachSocket(peer: JugglerPeer, socket: WebSocket): void {
  socket.on('message', (data, isBinary) => {
    if (isBinary) peer.receiveBinary();
    else peer.receive(data.toString());
  });
  socket.on('close', (code, reason) => peer.disconnected(code, reason.toString()));
  socket.on('error', (error: Error & { code?: string }) => {
    const code = wsErrorCodes[error.code ?? ''] ?? 'invalid-message';
    peer.abort(new JugglerError(code, error.message));
  });
  peer.connected({
    send: (frame) => socket.send(frame),
    close: (code, reason) => socket.close(code, reason),
  });
}
