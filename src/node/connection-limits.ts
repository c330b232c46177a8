/** How many WebSocket connections a server holds at once. */
export interface ConnectionLimits {
  /** All connections together (default 1,000). */
  total?: number;
  /**
   * Connections from one remote address (default 100). Behind a reverse proxy every
   * connection comes from the proxy's address: raise this to `total` there.
   */
  perAddress?: number;
}

export const defaultConnectionLimits: Required<ConnectionLimits> = { total: 1000, perAddress: 100 };

/**
 * Sockets the HTTP server holds beyond `total`: handshakes under way (which no
 * counter sees until they are accepted) and requests for static files. Past
 * `total` plus these, Node closes a new socket as soon as it is accepted, so
 * unfinished handshakes cannot take every file descriptor of the process.
 */
export const handshakeSockets = 100;

/** The most TCP sockets a server with these limits holds at once. */
export function socketLimit(limits: ConnectionLimits = {}): number {
  return (limits.total ?? defaultConnectionLimits.total) + handshakeSockets;
}

/** Why a connection is refused: the HTTP answer to its upgrade request. */
export interface Refusal {
  status: number;
  text: string;
  headers: Readonly<Record<string, string>>;
}

// A client that retries sooner only finds the server as full as before.
const retryAfterSeconds = '10';

/**
 * Counts open connections, in all and per remote address, and says when one
 * more would cross a limit. Only accepted connections count; each releases its
 * place when it closes.
 */
export class ConnectionCounter {
  readonly #total: number;
  readonly #perAddress: number;
  readonly #byAddress = new Map<string, number>();
  #open = 0;

  constructor(limits: ConnectionLimits = {}) {
    this.#total = limits.total ?? defaultConnectionLimits.total;
    this.#perAddress = limits.perAddress ?? defaultConnectionLimits.perAddress;
  }

  /** The refusal for one more connection from `address`, or undefined when it fits. */
  refusal(address: string): Refusal | undefined {
    if (this.#open >= this.#total) {
      return { status: 503, text: 'Service Unavailable', headers: { 'Retry-After': retryAfterSeconds } };
    }
    if ((this.#byAddress.get(address) ?? 0) >= this.#perAddress) {
      return { status: 429, text: 'Too Many Requests', headers: { 'Retry-After': retryAfterSeconds } };
    }
    return undefined;
  }

  /** Counts a connection from `address`; {@link remove} it once when it closes. */
  add(address: string): void {
    this.#open++;
    this.#byAddress.set(address, (this.#byAddress.get(address) ?? 0) + 1);
  }

  /**
   * A connection from `address` closed. A method rather than a function
   * returned by `add`: one closure less per connection, which a server holds
   * thousands of.
   */
  remove(address: string): void {
    this.#open--;
    const left = (this.#byAddress.get(address) ?? 1) - 1;
    if (left > 0) this.#byAddress.set(address, left);
    else this.#byAddress.delete(address);
  }
}
