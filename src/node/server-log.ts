import type { IncomingMessage } from 'node:http';
import type { JugglerCloseEvent, JugglerErrorEvent } from '../core/events.js';
import type { JugglerPeer } from '../core/peer.js';

/** How much a server event matters: a connection coming or going, a refusal, a connection's error. */
export type LogLevel = 'info' | 'warn' | 'error';

/** What a logged server event is about, for loggers that keep fields apart from the text. */
export interface LogDetails {
  /** `refused` (an answer instead of the upgrade, or a plain request under a foreign Host), `open`, `close` or `error`. */
  event: 'refused' | 'open' | 'close' | 'error';
  /** The remote address and port, e.g. `127.0.0.1:51234` (behind a reverse proxy, the proxy's). */
  remote: string;
  /** For `refused`: the HTTP status answered (400, 403, 404, 429, 503). */
  status?: number;
  /** For `close`: the close code; for `error`: the JugglerError's code. */
  code?: number | string;
  /** For `refused`: why, in words; for `close`: the close reason; for `error`: the error's message. */
  reason?: string;
}

/**
 * Where a server reports what happens to connections: an object with `info`,
 * `warn` and `error` methods taking `(message, details)` (`console` is one), or
 * one function `(level, message, details)`. The message is one line that names
 * the remote address; `details` holds the same facts as fields. Frames' contents
 * and query strings (where tokens travel) are never logged.
 */
export type ServerLogger =
  | {
      info(message: string, details: LogDetails): void;
      warn(message: string, details: LogDetails): void;
      error(message: string, details: LogDetails): void;
    }
  | ((level: LogLevel, message: string, details: LogDetails) => void);

/** Writes server events to a {@link ServerLogger}, in one format whatever its shape. */
export class ServerLog {
  readonly #write: (level: LogLevel, message: string, details: LogDetails) => void;

  constructor(logger: ServerLogger) {
    this.#write = typeof logger === 'function' ? logger : (level, message, details) => logger[level](message, details);
  }

  /**
   * A request answered with `status` instead of being served; `why` is our own
   * words, with anything the client sent quoted by {@link quote}.
   */
  refused(request: IncomingMessage, status: number, why: string): void {
    const remote = remoteOf(request);
    this.#write('warn', `${remote} refused with ${status}: ${why}`, { event: 'refused', remote, status, reason: why });
  }

  /** A connection was accepted: logs it, then its close and its errors. */
  opened(peer: JugglerPeer<unknown, unknown>, request: IncomingMessage): void {
    // Read now: once the socket is gone, Node no longer knows its address.
    const remote = remoteOf(request);
    const origin = request.headers.origin;
    this.#write('info', `${remote} connected${origin === undefined ? '' : ` from origin ${quote(origin)}`}`, { event: 'open', remote });
    peer.addEventListener('error', (event) => {
      const { code } = event as JugglerErrorEvent;
      const message = withoutPeerData((event as JugglerErrorEvent).message);
      this.#write('error', `${remote} error ${code}: ${quote(message)}`, { event: 'error', remote, code, reason: message });
    });
    peer.addEventListener('close', (event) => {
      const { code } = event as JugglerCloseEvent;
      // Our own reasons are error messages, which may quote the frame at fault.
      const reason = withoutPeerData((event as JugglerCloseEvent).reason);
      const text = reason === '' ? `${code}` : `${code} ${quote(reason)}`;
      this.#write('info', `${remote} closed ${text}`, { event: 'close', remote, code, reason });
    });
  }
}

/** A client's text as one line that cannot pass for log syntax: JSON-quoted, control characters escaped. */
export function quote(text: string): string {
  return JSON.stringify(text);
}

/**
 * The text with what it quotes cut out. The kit's error messages quote the part
 * of a frame at fault in double quotes (a value, a path, the start of a frame;
 * the JSON parser's message quotes a stretch of the text), and a frame can carry
 * a token: everything from the first double quote to the last is left out.
 */
export function withoutPeerData(text: string): string {
  const first = text.indexOf('"');
  if (first < 0) return text;
  const last = text.lastIndexOf('"');
  return last === first ? `${text.slice(0, first)}…` : `${text.slice(0, first)}…${text.slice(last + 1)}`;
}

/** `address:port`, with an IPv6 address in brackets. */
function remoteOf(request: IncomingMessage): string {
  const { remoteAddress = 'unknown', remotePort } = request.socket;
  const address = remoteAddress.includes(':') ? `[${remoteAddress}]` : remoteAddress;
  return remotePort === undefined ? address : `${address}:${remotePort}`;
}
