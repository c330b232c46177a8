import type { CallOptions } from './calls.js';
import { JugglerError } from './errors.js';
import type { JsonValue } from './json.js';

type Settle = (error: JugglerError | undefined, result?: JsonValue) => void;

/**
 * The calls one peer made on a connection and still waits for: ids counting up
 * from 1 per connection, a bound on how many wait, a timeout, an abort signal,
 * and a call still queued taken back when it is given up. Both conventions for
 * calls (hat's `RpcConnection` inside MESSAGE, and hat-0.7's requests) keep
 * theirs here; only how a request is written and an answer read differ.
 */
export class PendingCalls {
  readonly #pending = new Map<number, Settle>();
  readonly #timeout: number;
  readonly #max: number;
  #lastId = 0;

  constructor(timeout: number, max: number) {
    this.#timeout = timeout;
    this.#max = max;
  }

  get size(): number {
    return this.#pending.size;
  }

  /**
   * Starts the call of `name`: `send(id)` sends its request now or queues it,
   * returning how to take a queued one back, and may throw a `JugglerError`
   * that fails the call. Resolves with the result given to {@link answer}.
   */
  start(name: string, options: CallOptions, send: (id: number) => (() => void) | void): Promise<JsonValue> {
    return new Promise((resolve, reject) => {
      const { signal } = options;
      if (signal?.aborted) return reject(aborted(name));
      if (this.#pending.size >= this.#max) {
        return reject(new JugglerError('too-many-calls', `${this.#max} calls are already waiting for an answer`));
      }
      const id = this.#lastId + 1;
      let withdraw: (() => void) | void;
      try {
        withdraw = send(id);
      } catch (error) {
        return reject(error);
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
        // Given up before the connection opened: the other peer must never run it.
        withdraw?.();
        reject(error);
      };
      this.#pending.set(id, settle);
    });
  }

  /**
   * The answer to call `id` arrived (`data` is the error text when it failed);
   * false when no call of ours waits for it (never made, answered, timed out or aborted).
   */
  answer(id: number, success: boolean, data: JsonValue): boolean {
    const settle = this.#pending.get(id);
    if (!settle) return false;
    if (success) settle(undefined, data);
    else settle(new JugglerError('call-failed', typeof data === 'string' ? data : JSON.stringify(data)));
    return true;
  }

  /** The connection ended: every call waiting was sent on it, so all fail; ids start again from 1. */
  ended(): void {
    const error = new JugglerError('connection-closed', 'the connection closed before the answer came');
    for (const settle of [...this.#pending.values()]) settle(error);
    this.#lastId = 0;
  }
}

function aborted(name: string): JugglerError {
  return new JugglerError('aborted', `the call of "${name}" was aborted`);
}
