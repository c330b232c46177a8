import { JugglerError, type JugglerErrorCode } from '../core/errors.js';
import { JugglerErrorEvent } from '../core/events.js';

/** The causes already logged for each element, so a mistake is logged once, not on every change. */
const logged = new WeakMap<Element, Set<string>>();

/**
 * Tells the page that something about `element` is wrong: fires `juggler-error`
 * (bubbling, composed, cancelable) on it, and when no listener called
 * `preventDefault()`, logs it to the console once per element and cause, naming
 * the element, so a typo in markup is loud while developing. A page that
 * handles errors itself (and wants a quiet console) cancels the event.
 *
 * `warn` is for values the element ignores (an unknown `source`): it goes on
 * working with its default.
 */
export function reportError(element: Element, error: JugglerError, level: 'error' | 'warn' = 'error'): void {
  const event = new JugglerErrorEvent(error, 'juggler-error', { bubbles: true, composed: true, cancelable: true });
  if (element.dispatchEvent(event) === false) return;
  const cause = `${error.code}:${error.message}`;
  let causes = logged.get(element);
  if (!causes) logged.set(element, (causes = new Set()));
  if (causes.has(cause)) return;
  causes.add(cause);
  console[level](`${startTag(element)}: ${error.message} (${error.code})`, element);
}

/** Reports `error` when it is a JugglerError; anything else is a bug and is thrown on. */
export function reportCaught(element: Element, error: unknown): void {
  if (!(error instanceof JugglerError)) throw error;
  reportError(element, error);
}

/**
 * The attribute's value when it is one of `allowed`, else null: a value that is
 * not is warned about (once), and the element uses its default instead.
 */
export function checkAttribute<T extends string>(element: Element, name: string, allowed: readonly T[], code: JugglerErrorCode = 'invalid-value'): T | null {
  const value = element.getAttribute(name);
  if (value === null || allowed.includes(value as T)) return value as T | null;
  const expected = allowed.map((option) => `"${option}"`).join(' or ');
  reportError(element, new JugglerError(code, `${name}=${JSON.stringify(value)} is not ${expected}; ignored`), 'warn');
  return null;
}

/** `<juggler-bind path="counter">`: the element as it reads in the markup (long values cut). */
function startTag(element: Element): string {
  let tag = `<${element.localName}`;
  for (const { name, value } of element.attributes) {
    tag += ` ${name}="${value.length > 60 ? `${value.slice(0, 60)}…` : value}"`;
  }
  return `${tag}>`;
}
