import { defaultCallLimits, type CallOptions, type CallsOptions } from '../../core/calls.js';
import { JugglerError } from '../../core/errors.js';
import type { JsonValue } from '../../core/json.js';
import { PendingCalls } from '../../core/pending-calls.js';
import { encodeRequest } from './messages.js';

/**
 * A client's requests waiting for their responses. `send` sends the request
 * now or queues it for the next connection (returning how to take it back);
 * ids count up from 1 per connection.
 */
export class Requests {
  readonly #send: (text: string) => (() => void) | void;
  readonly #pending: PendingCalls;

  constructor(options: CallsOptions, send: (text: string) => (() => void) | void) {
    this.#send = send;
    this.#pending = new PendingCalls(
      options.callTimeout ?? defaultCallLimits.callTimeout,
      options.maxPendingCalls ?? defaultCallLimits.maxPendingCalls,
    );
  }

  get pending(): number {
    return this.#pending.size;
  }

  /**
   * Sends request `name` with `args[0]` as its data (a request carries one
   * value; more than one is refused) and resolves with the response's data.
   */
  call(name: string, args: readonly JsonValue[], options: CallOptions = {}): Promise<JsonValue> {
    if (!Array.isArray(args) || args.length > 1) {
      return Promise.reject(new JugglerError('invalid-value', `a hat-0.7 request carries one value: call(${JSON.stringify(name)}, [data])`));
    }
    return this.#pending.start(name, options, (id) => {
      try {
        return this.#send(encodeRequest(id, name, args[0] ?? null));
      } catch (error) {
        throw error instanceof JugglerError ? error : new JugglerError('invalid-value', `cannot send the request ${JSON.stringify(name)}: ${(error as Error).message}`);
      }
    });
  }

  /** A response arrived; returns the error to report when no request of ours waits for it. */
  settle(id: number, success: boolean, data: JsonValue): JugglerError | undefined {
    // A late answer (after our timeout) is no reason to drop the connection: report it.
    if (this.#pending.answer(id, success, data)) return undefined;
    return new JugglerError('unknown-call', `a response to request ${id}, which is not waiting (never made, answered, timed out or aborted)`);
  }

  /** The connection ended: every request waiting was sent on it, so all fail; ids start again from 1. */
  ended(): void {
    this.#pending.ended();
  }
}
