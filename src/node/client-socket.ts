import type { Socket } from 'node:net';
import { WebSocket } from 'ws';
import { browserCloseCode } from '../client/default-url.js';
import { CloseCode } from '../core/errors.js';

/**
 * Unsent bytes above which the Node client stops reading (64 KiB, on top of
 * what the kernel holds): every frame a server sends may make the client
 * answer (PONGs, call results), so while the server does not read those, it
 * is not read either.
 */
export const readPauseMark = 64 * 1024;

/** The code the client closes with for `slow-consumer` (1013, sent as a browser would). */
const slowConsumerCode = browserCloseCode(CloseCode.tryAgainLater);

/**
 * The `ws` socket of `connect()`, bounded against a server that stops reading.
 *
 * Before each message is handed on, it looks at what it holds unsent: above
 * {@link readPauseMark} it pauses the TCP socket, and resumes once the socket
 * has written its backlog and less than the mark is left. So a server cannot
 * make the client produce answers faster than it reads them: at most the
 * messages of the chunk being read go past the mark. What the application
 * itself sends is bounded by the client's `maxSendBuffer`, past which it
 * closes the connection with `slow-consumer`: a close frame would wait behind
 * everything unsent, so that close cuts the socket instead. (WebSocket pings,
 * which `ws` answers itself, are bounded by `ws`: past 60 pongs unsent it cuts
 * the connection.)
 */
export class ClientSocket extends WebSocket {
  #paused = false;

  constructor(address: string, protocols: string | string[] | undefined, options: WebSocket.ClientOptions) {
    super(address, protocols, options);
    // Registered before the client's listeners, so the check comes before the answer.
    this.on('message', this.#beforeMessage);
  }

  override close(code?: number, data?: string | Buffer): void {
    if (code === slowConsumerCode) return this.terminate();
    super.close(code, data);
    // The server's close frame must be read to end the closing handshake.
    if (this.#paused) this.resume();
  }

  readonly #beforeMessage = (): void => {
    if (this.#paused || this.readyState !== WebSocket.OPEN || this.bufferedAmount <= readPauseMark) return;
    this.#paused = true;
    this.pause();
    this.#tcp().once('drain', this.#drained);
  };

  /** The TCP socket wrote out what it held; frames `ws` still holds (while it compresses) come with another drain. */
  readonly #drained = (): void => {
    if (!this.#paused || this.readyState !== WebSocket.OPEN) return;
    if (this.bufferedAmount > readPauseMark) return void this.#tcp().once('drain', this.#drained);
    this.#paused = false;
    this.resume();
  };

  #tcp(): Socket {
    return (this as unknown as { _socket: Socket })._socket;
  }
}
