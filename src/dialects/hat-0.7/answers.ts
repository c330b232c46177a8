import { defaultCallLimits, type CallHandler, type CallsOptions } from '../../core/calls.js';
import { JugglerError, errorText } from '../../core/errors.js';
import type { JsonValue } from '../../core/json.js';
import { encodeResponse } from './messages.js';

/**
 * A server's answers to its client's requests: each name has a handler,
 * called with the request's data; what it returns (or resolves with) is the
 * response's data, what it throws the failure's text. The empty name is the
 * barrier, answered by the peer itself.
 */
export class Answers {
  readonly #handlers: Map<string, CallHandler>;
  readonly #respond: (text: string) => void;
  readonly #report: (error: JugglerError) => void;
  readonly #maxConcurrent: number;
  /** Requests whose handlers are still running on this connection. */
  #answering = 0;
  /** Bumped when a connection ends, so answers meant for it never reach the next one. */
  #connection = 0;

  constructor(options: CallsOptions, respond: (text: string) => void, report: (error: JugglerError) => void) {
    // A Map, not the object: a request named `constructor` must not find Object.prototype's.
    this.#handlers = new Map(Object.entries(options.actions ?? {}));
    this.#respond = respond;
    this.#report = report;
    this.#maxConcurrent = options.maxConcurrentCalls ?? defaultCallLimits.maxConcurrentCalls;
  }

  handle(name: string, handler: CallHandler): () => void {
    this.#handlers.set(name, handler);
    return () => {
      if (this.#handlers.get(name) === handler) this.#handlers.delete(name);
    };
  }

  answer(id: number, name: string, data: JsonValue): void {
    const handler = this.#handlers.get(name);
    const connection = this.#connection;
    if (!handler) return this.#send(connection, id, false, `unknown request ${JSON.stringify(name)}`);
    if (this.#answering >= this.#maxConcurrent) {
      this.#send(connection, id, false, 'busy');
      return this.#report(new JugglerError('calls-busy', `refused request ${id} "${name}": ${this.#maxConcurrent} requests are already being answered`));
    }
    let value;
    try {
      value = handler(data);
    } catch (error) {
      return this.#send(connection, id, false, errorText(error));
    }
    if (typeof (value as PromiseLike<unknown> | null)?.then !== 'function') return this.#send(connection, id, true, value);
    this.#answering++;
    const done = (success: boolean, result: unknown) => {
      if (connection !== this.#connection) return;
      this.#answering--;
      this.#send(connection, id, success, result);
    };
    // Promise.resolve: a thenable whose `then` throws becomes a failure, not an uncaught error.
    Promise.resolve(value).then(
      (result) => done(true, result),
      (error: unknown) => done(false, errorText(error)),
    );
  }

  ended(): void {
    this.#connection++;
    this.#answering = 0;
  }

  #send(connection: number, id: number, success: boolean, data: unknown): void {
    if (connection !== this.#connection) return;
    let text;
    try {
      text = encodeResponse(id, success, data);
    } catch (error) {
      text = encodeResponse(id, false, `cannot send the result: ${errorText(error)}`);
    }
    this.#respond(text);
  }
}
