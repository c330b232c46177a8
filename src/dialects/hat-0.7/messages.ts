import { JugglerError } from '../../core/errors.js';
import { describeValue, type JsonObject, type JsonValue } from '../../core/json.js';

/** A client's call: `data` is the one value the request carries. */
export function encodeRequest(id: number, name: string, data: JsonValue): string {
  return JSON.stringify({ type: 'request', id, name, data });
}

/** The answer to request `id`; on failure `data` is the error text. */
export function encodeResponse(id: number, success: boolean, data: unknown): string {
  return JSON.stringify({ type: 'response', id, success, data: data ?? null });
}

export function encodeNotify(name: string, data: JsonValue): string {
  return JSON.stringify({ type: 'notify', name, data });
}

/**
 * The member of a `request` or `response` that breaks the dialect, as an
 * `invalid-call` error, or undefined when it has the shape it must.
 */
export function badCall(message: JsonObject): JugglerError | undefined {
  const { id } = message;
  let bad: string | undefined;
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 0) bad = 'id';
  else if (message.type === 'request' && typeof message.name !== 'string') bad = 'name';
  else if (message.type === 'response' && typeof message.success !== 'boolean') bad = 'success';
  if (bad === undefined) return undefined;
  return new JugglerError('invalid-call', `invalid ${message.type as string} message: "${bad}" is ${describeValue(message[bad])}`);
}

/** A message of a type the receiving side never takes closes the connection. */
export function unexpectedType(type: string, from: 'server' | 'client'): JugglerError {
  return new JugglerError('unknown-type', `unexpected message type ${describeValue(type)} from a hat-0.7 ${from}`);
}
