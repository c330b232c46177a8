import { defaultCallLimits, type CallOptions, type CallsOptions } from '../../core/calls.js';
import { JugglerError } from '../../core/errors.js';
import type { JsonValue } from '../../core/json.js';
import { encodeRequest } from './messages.js';

type Settle = (error: JugglerError | undefined, result?: JsonValue) => void;

/**
 * A client's requests waiting for their responses. `send` sends the request
 * now or queues it for the next connection (returning how to take it back);
 * ids count up from 1 per connection.
 */
export class Requests {
  readonly #send: (text: string) => (() => void) | void;
  readonly #pending = new Map<number, Settle>();
  readonly #timeout: number;
  readonly #maxPending: number;
  #lastId = 0;

  constructor(options: CallsOptions, send: (text: string) => (() => void) | void) {
    this.#send = send;
    this.#timeout = options.callTimeout ?? defaultCallLimits.callTimeout;
    this.#maxPending = options.maxPendingCalls ?? defaultCallLimits.maxPendingCalls;
  }

  get pending(): number {
    return this.#pending.size;
  }

  /**
   * Sends request `name` with `args[0]` as its data (a request carries one
   * value; more than one is refused) and resolves with the response's data.
   */
  call(name: string, args: readonly JsonValue[], options: CallOptions = {}): Promise<JsonValue> {
    return new Promise((resolve, reject) => {
      const { signal } = options;
      if (signal?.aborted) return reject(aborted(name));
      if (!Array.isArray(args) || args.length > 1) {
        return reject(new JugglerError('invalid-value', `a hat-0.7 request carries one value: call(${JSON.stringify(name)}, [data])`));
      }
      if (this.#pending.size >= this.#maxPending) {
        return reject(new JugglerError('too-many-calls', `${this.#maxPending} calls are already waiting for an answer`));
      }
      const id = this.#lastId + 1;
      let withdraw: (() => void) | void;
      try {
        withdraw = this.#send(encodeRequest(id, name, args[0] ?? null));
      } catch (error) {
        return reject(error instanceof JugglerError ? error : new JugglerError('invalid-value', `cannot send the request ${JSON.stringify(name)}: ${(error as Error).message}`));
      }
      this.#lastId = id;
      const timeout = options.timeout ?? this.#timeout;
      // Past 2^31 - 1 ms timers fire at once; such a wait is as good as none.
      const timer = timeout > 0 && timeout <= 0x7fffffff ? setTimeout(() => settle(new JugglerError('call-timeout', `no answer to "${name}" within ${timeout} ms`)), timeout) : undefined;
      const onAbort = () => settle(aborted(name));
      signal?.addEventListener('abort', onAbort);
      const settle: Settle = (error, result) => {
        if (this.#pending.get(id) !== settle) return;
        this.#pending.delete(id);
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        if (!error) return resolve(result ?? null);
        // Given up before the connection opened: the server must never see it.
        withdraw?.();
        reject(error);
      };
      this.#pending.set(id, settle);
    });
  }

  /** A response arrived; returns the error to report when no request of ours waits for it. */
  settle(id: number, success: boolean, data: JsonValue): JugglerError | undefined {
    const settle = this.#pending.get(id);
    // A late answer (after our timeout) is no reason to drop the connection: report it.
    if (!settle) return new JugglerError('unknown-call', `a response to request ${id}, which is not waiting (never made, answered, timed out or aborted)`);
    if (success) settle(undefined, data);
    else settle(new JugglerError('call-failed', typeof data === 'string' ? data : JSON.stringify(data)));
    return undefined;
  }

  /** The connection ended: every request waiting was sent on it, so all fail; ids start again from 1. */
  ended(): void {
    const error = new JugglerError('connection-closed', 'the connection closed before the answer came');
    for (const settle of [...this.#pending.values()]) settle(error);
    this.#lastId = 0;
  }
}

function aborted(name: string): JugglerError {
  return new JugglerError('aborted', `the call of "${name}" was aborted`);
}
