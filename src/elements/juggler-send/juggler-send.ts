import { JugglerError } from '../../core/errors.js';
import { JugglerErrorEvent } from '../../core/events.js';
import { isPlainObject, setOwn, type JsonObject, type JsonValue } from '../../core/json.js';
import { readControl, isControl } from '../juggler-bind/control-value.js';
import { elementEventInit } from '../events.js';
import { ScopeConsumer } from '../scope-consumer.js';
import { defineElement, defaultRegistry } from '../define-element.js';
import { ElementBase } from '../element-base.js';

/**
 * Sends a `MESSAGE` to the peer when something inside it is clicked, or when a
 * form inside it is submitted (the page does not navigate). The payload is the
 * `message` attribute's JSON; for a form, the named fields are added to it
 * (numbers from number and range inputs, booleans from checkboxes).
 *
 * @summary Sends a message on click or submit.
 * @tag juggler-send
 * @attr {string} message - The JSON to send (for a form: merged under the form's fields).
 * @fires {JugglerErrorEvent} juggler-error - The message could not be sent or queued (`queue-full`), or `message` is not JSON.
 * @slot - A button, or a form.
 */
export class JugglerSend extends ElementBase {
  /**
   * Registers the class as `tag` (default `juggler-send`) in `registry` (default: the page's).
   * Calling it again does nothing; a tag taken by another class throws.
   */
  static define(tag = 'juggler-send', registry: CustomElementRegistry | undefined = defaultRegistry()): void {
    defineElement(this, tag, registry);
  }

  readonly #consumer = new ScopeConsumer(this, () => {});

  connectedCallback(): void {
    this.addEventListener('click', this.#onClick);
    this.addEventListener('submit', this.#onSubmit);
    this.#consumer.connect();
  }

  disconnectedCallback(): void {
    this.removeEventListener('click', this.#onClick);
    this.removeEventListener('submit', this.#onSubmit);
    this.#consumer.disconnect();
  }

  /** Sends `message` (merged with `fields` when given) now. */
  send(fields?: JsonObject): void {
    const scope = this.#consumer.scope;
    try {
      const text = this.getAttribute('message');
      let message: JsonValue = null;
      try {
        message = text === null ? null : (JSON.parse(text) as JsonValue);
      } catch {
        throw new JugglerError('invalid-value', `the message attribute is not JSON: ${text}`);
      }
      if (!scope) throw new JugglerError('not-open', 'no <juggler-connection> around this <juggler-send>');
      scope.connection.send(fields ? { ...(isPlainObject(message) ? message : {}), ...fields } : message);
    } catch (error) {
      if (!(error instanceof JugglerError)) throw error;
      this.dispatchEvent(new JugglerErrorEvent(error, 'juggler-error', elementEventInit));
    }
  }

  #onClick = (event: MouseEvent): void => {
    // Clicks inside a form are the form's: it sends on submit.
    if ((event.target as Element).closest?.('form')) return;
    this.send();
  };

  #onSubmit = (event: SubmitEvent): void => {
    event.preventDefault();
    const fields: JsonObject = {};
    for (const element of (event.target as HTMLFormElement).elements) {
      const name = element.getAttribute('name');
      if (!name || !isControl(element) || (element as HTMLInputElement).disabled) continue;
      if (element instanceof HTMLInputElement && /^(submit|button|reset|image)$/.test(element.type)) continue;
      if (element instanceof HTMLInputElement && element.type === 'radio' && !element.checked) continue;
      setOwn(fields, name, readControl(element, null));
    }
    this.send(fields);
  };
}
