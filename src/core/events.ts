import type { JugglerError } from './errors.js';
import type { JsonValue } from './json.js';
import type { Patch } from './operations.js';

/**
 * The events of a peer. Each is an `Event` subclass whose fields say what
 * happened, so listeners need no `detail` casts. The `type` can be changed (the
 * elements re-dispatch them with a `juggler-` prefix, bubbling and composed).
 */

/** A connection opened; local data is being sent to the other peer. */
export class JugglerOpenEvent extends Event {
  constructor(type = 'open', init?: EventInit) {
    super(type, init);
  }
}

/** The connection closed. `code` and `reason` are the WebSocket close frame's. */
export class JugglerCloseEvent extends Event {
  readonly code: number;
  readonly reason: string;
  constructor(code: number, reason: string, type = 'close', init?: EventInit) {
    super(type, init);
    this.code = code;
    this.reason = reason;
  }
}

/** Data changed. `T` is the shape of the data (for type checks only). */
export class JugglerChangeEvent<T = JsonValue> extends Event {
  /** The whole data after the change. */
  readonly data: T;
  /** JSON Pointers of the places that changed (see `PatchResult.paths`). */
  readonly paths: readonly string[];
  /** The patch as received, for remote changes. */
  readonly patch: Patch | null;
  constructor(data: T, paths: readonly string[], patch: Patch | null, type = 'change', init?: EventInit) {
    super(type, init);
    this.data = data;
    this.paths = paths;
    this.patch = patch;
  }
}

/** The other peer sent a `MESSAGE`. */
export class JugglerMessageEvent extends Event {
  readonly payload: JsonValue;
  constructor(payload: JsonValue, type = 'message', init?: EventInit) {
    super(type, init);
    this.payload = payload;
  }
}

/** Something went wrong; for a bad incoming frame the connection is being closed. */
export class JugglerErrorEvent extends Event {
  readonly error: JugglerError;
  constructor(error: JugglerError, type = 'error', init?: EventInit) {
    super(type, init);
    this.error = error;
  }
  get code(): JugglerError['code'] {
    return this.error.code;
  }
  get message(): string {
    return this.error.message;
  }
}

/** The connection states of a client, as a small state machine. */
export type ConnectionStatus = 'connecting' | 'open' | 'reconnecting' | 'closed';

/** A client's status changed. */
export class JugglerStatusEvent extends Event {
  readonly status: ConnectionStatus;
  readonly previous: ConnectionStatus;
  constructor(status: ConnectionStatus, previous: ConnectionStatus, type = 'status', init?: EventInit) {
    super(type, init);
    this.status = status;
    this.previous = previous;
  }
}
