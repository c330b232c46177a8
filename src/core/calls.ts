import { JugglerError, errorText } from './errors.js';
import { describeValue, hasOwn, isPlainObject, type JsonObject, type JsonValue } from './json.js';
import { encodeMessage } from './messages.js';
import { PendingCalls } from './pending-calls.js';

/**
 * Answers a call from the other peer. It gets the call's `args` as its
 * arguments and returns the result, or a promise of it; what it throws (or the
 * promise rejects with) goes back as a failure with the error's message.
 */
export type CallHandler = (...args: JsonValue[]) => JsonValue | void | Promise<JsonValue | void>;

/** Options of one `call()`. */
export interface CallOptions {
  /** How long to wait for the answer, in ms (default: the peer's `callTimeout`); `0` waits as long as the connection lasts. */
  timeout?: number;
  /** Gives up on the call when aborted (the other peer may still run it). */
  signal?: AbortSignal;
}

/** Calls in both directions, as options of a peer. */
export interface CallsOptions {
  /** Actions the other peer may call, by name (more with `handle()`). */
  actions?: Readonly<Record<string, CallHandler>>;
  /** Default time a call waits for its answer, in ms (default 30,000; `0` for no limit). */
  callTimeout?: number;
  /** Calls of ours that may wait for an answer at once (default 1,000); past that `call()` rejects with `too-many-calls`. */
  maxPendingCalls?: number;
  /**
   * Calls of the other peer that may be answered at once (default 100): a
   * handler that returns a promise counts until it settles. Past that a request
   * is answered `busy` at once and fires a `calls-busy` error.
   */
  maxConcurrentCalls?: number;
}

export const defaultCallLimits = { callTimeout: 30_000, maxPendingCalls: 1000, maxConcurrentCalls: 100 } as const;

/** How calls reach the connection; the peer provides it. */
export interface CallChannel {
  /** Sends a request frame now or queues it for the next connection (returning how to take it back); throws a JugglerError when it can do neither. */
  request(frame: string): (() => void) | void;
  /** Sends a response frame on the current connection. */
  respond(frame: string): void;
  /** Reports bad input that leaves the connection open. */
  report(error: JugglerError): void;
  /** Reports bad input and closes the connection. */
  abort(error: JugglerError): void;
}


/** Whether a MESSAGE payload is a call frame (`"type": "rpc"`), well formed or not. */
export function isCallFrame(payload: JsonValue): payload is { [key: string]: JsonValue } {
  return isPlainObject(payload) && payload.type === 'rpc';
}

/**
 * Request and response on top of MESSAGE, in the convention of hat-juggler's
 * `RpcConnection`, so reference peers that use it can call us and be called:
 *
 * - request `{"type": "rpc", "id": N, "direction": "request", "action": NAME, "args": [...]}`
 * - response `{"type": "rpc", "id": N, "direction": "response", "success": BOOL, "result": JSON}`,
 *   `result` being the error text when `success` is false.
 *
 * Ids count up from 1 per caller and connection. A MESSAGE whose payload is an
 * object with `"type": "rpc"` is a call frame and never reaches `message`
 * listeners; one with the wrong shape is bad input and closes the connection.
 */
export class Calls {
  readonly #channel: CallChannel;
  readonly #handlers: Map<string, CallHandler>;
  readonly #pending: PendingCalls;
  readonly #maxConcurrent: number;
  /** Requests of the other peer whose handlers are still running on this connection. */
  #answering = 0;
  /** Bumped when a connection ends, so answers meant for it never reach the next one. */
  #connection = 0;

  constructor(options: CallsOptions, channel: CallChannel) {
    this.#channel = channel;
    // A Map, not the object: an action named `constructor` or `__proto__` must not find Object.prototype's.
    this.#handlers = new Map(Object.entries(options.actions ?? {}));
    this.#pending = new PendingCalls(
      options.callTimeout ?? defaultCallLimits.callTimeout,
      options.maxPendingCalls ?? defaultCallLimits.maxPendingCalls,
    );
    this.#maxConcurrent = options.maxConcurrentCalls ?? defaultCallLimits.maxConcurrentCalls;
  }

  /** Calls waiting for an answer (queued ones included). */
  get pending(): number {
    return this.#pending.size;
  }

  /** Registers (or replaces) the handler of `action`; returns a function that removes it. */
  handle(action: string, handler: CallHandler): () => void {
    this.#handlers.set(action, handler);
    return () => {
      if (this.#handlers.get(action) === handler) this.#handlers.delete(action);
    };
  }

  call(action: string, args: readonly JsonValue[], options: CallOptions = {}): Promise<JsonValue> {
    // From plain JavaScript, `call('x', 5)` would put a request on the wire that breaks the convention.
    if (!Array.isArray(args)) return Promise.reject(new JugglerError('invalid-value', `the args of "${action}" must be an array`));
    return this.#pending.start(action, options, (id) => {
      let frame: string;
      try {
        frame = encodeMessage('MESSAGE', { type: 'rpc', id, direction: 'request', action, args });
      } catch (error) {
        throw new JugglerError('invalid-value', `cannot send the call of "${action}": ${errorText(error)}`);
      }
      return this.#channel.request(frame);
    });
  }

  /** Takes a MESSAGE payload that is a call frame (returning true); leaves every other payload alone. */
  receive(payload: JsonValue): boolean {
    if (!isCallFrame(payload)) return false;
    const bad = badMember(payload);
    if (bad) {
      // An id must be an integer from 0 to 2^53 - 1, a direction "request" or "response", an action a string, args an array, a success a boolean.
      this.#channel.abort(new JugglerError('invalid-call', `invalid call frame: "${bad}" is ${hasOwn(payload, bad) ? describeValue(payload[bad]) : 'missing'}`));
      return true;
    }
    const id = payload.id as number;
    if (payload.direction === 'request') this.#answer(id, payload.action as string, (payload.args ?? []) as JsonValue[]);
    else this.#settle(id, payload.success as boolean, payload.result ?? null);
    return true;
  }

  /** The connection ended: every call waiting was sent on it, so all fail; ids start again from 1. */
  ended(): void {
    this.#connection++;
    this.#answering = 0;
    this.#pending.ended();
  }

  #settle(id: number, success: boolean, result: JsonValue): void {
    // A late answer (after our timeout) is normal for reference peers: report it, keep the connection.
    if (!this.#pending.answer(id, success, result)) {
      this.#channel.report(new JugglerError('unknown-call', `an answer to call ${id}, which is not waiting (never made, answered, timed out or aborted)`));
    }
  }

  #answer(id: number, action: string, args: JsonValue[]): void {
    const handler = this.#handlers.get(action);
    const connection = this.#connection;
    if (!handler) return this.#respond(connection, id, false, `unknown action ${JSON.stringify(action)}`);
    if (this.#answering >= this.#maxConcurrent) {
      this.#respond(connection, id, false, 'busy');
      return this.#channel.report(new JugglerError('calls-busy', `refused call ${id} of "${action}": ${this.#maxConcurrent} calls are already being answered`));
    }
    let value;
    try {
      value = handler(...args);
    } catch (error) {
      return this.#respond(connection, id, false, errorText(error));
    }
    if (!isThenable(value)) return this.#respond(connection, id, true, value);
    this.#answering++;
    const done = (success: boolean, result: unknown) => {
      if (connection !== this.#connection) return;
      this.#answering--;
      this.#respond(connection, id, success, result);
    };
    // Promise.resolve: a thenable whose `then` throws becomes a failure, not an uncaught error.
    Promise.resolve(value).then(
      (result) => done(true, result),
      (error: unknown) => done(false, errorText(error)),
    );
  }

  #respond(connection: number, id: number, success: boolean, result: unknown): void {
    if (connection !== this.#connection) return;
    let frame;
    try {
      frame = encodeResponse(id, success, result);
    } catch (error) {
      frame = encodeResponse(id, false, `cannot send the result: ${errorText(error)}`);
    }
    this.#channel.respond(frame);
  }
}

function encodeResponse(id: number, success: boolean, result: unknown): string {
  return encodeMessage('MESSAGE', { type: 'rpc', id, direction: 'response', success, result: result ?? null });
}

/** The member that breaks the call convention, or undefined when the frame has its shape. */
function badMember(frame: JsonObject): string | undefined {
  const { id, direction } = frame;
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 0) return 'id';
  if (direction === 'request') {
    if (typeof frame.action !== 'string') return 'action';
    return hasOwn(frame, 'args') && !Array.isArray(frame.args) ? 'args' : undefined;
  }
  if (direction === 'response') return typeof frame.success === 'boolean' ? undefined : 'success';
  return 'direction';
}


function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | null)?.then === 'function';
}
