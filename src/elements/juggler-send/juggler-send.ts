import { JugglerError } from '../../core/errors.js';
import { isPlainObject, setOwn, type JsonObject, type JsonValue } from '../../core/json.js';
import { readControl, isControl } from '../juggler-bind/control-value.js';
import { JugglerResultEvent, JugglerSendEvent } from '../events.js';
import { ItemScope } from '../juggler-list/item-scope.js';
import { reportCaught, reportError } from '../report-error.js';
import { ScopeConsumer } from '../scope-consumer.js';
import { defineElement, defaultRegistry } from '../define-element.js';
import { ElementBase } from '../element-base.js';

/** What a click acts on: a button, a submit, a link. A click on text or an image beside them does nothing. */
const triggers = 'button, input[type=submit], input[type=button], input[type=image], a[href]';
/** With none of these inside, the element is the button. */
const interactive = `${triggers}, input, select, textarea, form, [tabindex], [role=button], [contenteditable]`;
/** The buttons a pending call disables (and relabels with `pending-text`). */
const buttons = 'button, input[type=submit], input[type=button]';
/** A second activation this soon after a send is a double click, not a second request. */
const doubleActivationMs = 300;

/**
 * Sends a `MESSAGE` to the peer when a button or link inside it is activated,
 * or when a form inside it is submitted (the page does not navigate). The
 * payload is the `message` attribute's JSON; for a form, the named fields are
 * added to it (numbers from number and range inputs, booleans from checkboxes),
 * and the name and value of the button that was pressed, if it has a name.
 * With no button, link or form inside, the element itself is the button:
 * focusable, `role=button`, activated by a click, Enter or Space.
 *
 * A second activation within 300 ms of a send is ignored, so a double click
 * sends once.
 *
 * With `action`, it calls that action on the peer instead, with the payload as
 * its one argument, and is busy until the answer comes: `:state(pending)`, its
 * buttons disabled (showing `pending-text` when given), activations ignored.
 *
 * @summary Sends a message on click or submit.
 * @tag juggler-send
 * @attr {string} message - The JSON to send (for a form: merged under the form's fields).
 * @attr {boolean} disabled - Ignore activations.
 * @attr {boolean} reset - Reset the form after sending.
 * @attr {string} key-as - Inside an item of a keyed `<juggler-list>`: add the item's key to the payload as this member (`key-as="id"`).
 * @attr {string} action - Call this action with `[payload]` instead of sending a message.
 * @attr {string} pending-text - With `action`: the buttons' label while the call waits for its answer.
 * @fires {JugglerSendEvent} juggler-before-send - Before sending: cancel it to send nothing, or assign `payload`.
 * @fires {JugglerSendEvent} juggler-sent - After sending (or queuing while disconnected): `payload`.
 * @fires {JugglerResultEvent} juggler-result - With `action`: the peer's answer (`result`).
 * @fires {JugglerErrorEvent} juggler-error - The message could not be sent or queued (`queue-full`), `message` is not JSON, or with `action` the call failed (`call-failed`, `call-timeout`, …).
 * @slot - A button, a link, a form, or content to act as a button.
 * @cssstate pending - With `action`: a call waits for its answer.
 */
export class JugglerSend extends ElementBase {
  static readonly observedAttributes = ['disabled'];

  /**
   * Registers the class as `tag` (default `juggler-send`) in `registry` (default: the page's).
   * Calling it again does nothing; a tag taken by another class throws.
   */
  static define(tag = 'juggler-send', registry: CustomElementRegistry | undefined = defaultRegistry()): void {
    defineElement(this, tag, registry);
  }

  readonly #consumer = new ScopeConsumer(this, () => {});
  #children: MutationObserver | undefined;
  /** The attributes this element gave itself to be a button, to take back when content that acts arrives. */
  #asButton = false;
  #lastSent = -Infinity;
  #internals: ElementInternals | undefined;
  /** Calls waiting for their answer. */
  #pending = 0;
  /** The buttons a pending call disabled, with the label each had. */
  #disabledButtons = new Map<HTMLButtonElement | HTMLInputElement, Node[] | string>();

  get disabled(): boolean {
    return this.hasAttribute('disabled');
  }
  set disabled(disabled: boolean) {
    this.toggleAttribute('disabled', disabled);
  }

  connectedCallback(): void {
    this.addEventListener('click', this.#onClick);
    this.addEventListener('submit', this.#onSubmit);
    this.addEventListener('keydown', this.#onKeyDown);
    this.#consumer.connect();
    // The parser or a framework may add the button after this element is connected.
    this.#children ??= new MutationObserver(() => this.#actAsButton());
    this.#children.observe(this, { childList: true, subtree: true });
    this.#actAsButton();
  }

  disconnectedCallback(): void {
    this.removeEventListener('click', this.#onClick);
    this.removeEventListener('submit', this.#onSubmit);
    this.removeEventListener('keydown', this.#onKeyDown);
    this.#children?.disconnect();
    this.#consumer.disconnect();
  }

  attributeChangedCallback(): void {
    this.#actAsButton();
  }

  /**
   * Sends `message` (merged with `fields` when given) now, after a
   * `juggler-before-send` that may change or cancel it. Returns whether it was sent.
   */
  send(fields?: JsonObject): boolean {
    const text = this.getAttribute('message');
    let message: JsonValue = null;
    try {
      message = text === null ? null : (JSON.parse(text) as JsonValue);
    } catch {
      reportError(this, new JugglerError('invalid-value', `the message attribute is not JSON: ${text}`));
      return false;
    }
    const scope = this.#consumer.scope;
    const keyAs = this.getAttribute('key-as');
    if (keyAs && scope instanceof ItemScope && scope.key !== undefined) setOwn((fields ??= {}), keyAs, scope.key);
    const before = new JugglerSendEvent('juggler-before-send', fields ? { ...(isPlainObject(message) ? message : {}), ...fields } : message);
    if (!this.dispatchEvent(before)) return false;
    if (!scope) {
      reportError(this, new JugglerError('not-open', 'no <juggler-connection> around this element; nothing sent'));
      return false;
    }
    const action = this.getAttribute('action');
    try {
      if (action === null) scope.connection.send(before.payload);
      else void this.#call(action, before.payload);
    } catch (error) {
      reportCaught(this, error);
      return false;
    }
    this.dispatchEvent(new JugglerSendEvent('juggler-sent', before.payload));
    return true;
  }

  /** Calls `action` with `[payload]`, busy until the answer, which is fired as `juggler-result` or `juggler-error`. */
  async #call(action: string, payload: JsonValue): Promise<void> {
    if (!this.#pending++) this.#busy(true);
    try {
      this.dispatchEvent(new JugglerResultEvent(await this.#consumer.scope!.connection.call(action, [payload])));
    } catch (error) {
      reportCaught(this, error);
    } finally {
      if (!--this.#pending) this.#busy(false);
    }
  }

  /** `:state(pending)`, and the buttons disabled (with `pending-text`) while calls wait, restored after. */
  #busy(on: boolean): void {
    this.#internals ??= this.attachInternals();
    this.#internals.states[on ? 'add' : 'delete']('pending');
    this.#actAsButton();
    const text = this.getAttribute('pending-text');
    if (on) {
      for (const button of this.querySelectorAll<HTMLButtonElement | HTMLInputElement>(buttons)) {
        if (button.disabled) continue;
        const input = button instanceof HTMLInputElement;
        this.#disabledButtons.set(button, input ? button.value : [...button.childNodes]);
        button.disabled = true;
        if (text !== null) input ? (button.value = text) : (button.textContent = text);
      }
    } else {
      for (const [button, label] of this.#disabledButtons) {
        button.disabled = false;
        if (text !== null) typeof label === 'string' ? (button.value = label) : button.replaceChildren(...label);
      }
      this.#disabledButtons.clear();
    }
  }

  /** A user's activation: ignored while disabled, while a call waits, and right after a send. */
  #activate(fields: JsonObject | undefined, form?: HTMLFormElement): void {
    const now = performance.now();
    if (this.disabled || this.#pending || now - this.#lastSent < doubleActivationMs) return;
    if (!this.send(fields)) return;
    this.#lastSent = now;
    if (form && this.hasAttribute('reset')) form.reset();
  }

  /** Role, focus and keys of a button, while there is nothing inside to act on. */
  #actAsButton(): void {
    const asButton = this.isConnected && !this.querySelector(interactive);
    if (asButton) {
      if (!this.#asButton && !this.hasAttribute('role')) this.setAttribute('role', 'button');
      if (this.disabled) this.removeAttribute('tabindex');
      else if (!this.hasAttribute('tabindex')) this.setAttribute('tabindex', '0');
      if (this.disabled || this.#pending) this.setAttribute('aria-disabled', 'true');
      else this.removeAttribute('aria-disabled');
    } else if (this.#asButton) {
      for (const name of ['role', 'tabindex', 'aria-disabled']) this.removeAttribute(name);
    }
    this.#asButton = asButton;
  }

  #onClick = (event: MouseEvent): void => {
    const path = event.composedPath();
    const inside = path.slice(0, path.indexOf(this));
    const trigger = inside.find((node): node is Element => node instanceof Element && node.matches(triggers));
    if (!trigger) {
      if (this.#asButton) this.#activate(undefined);
      return;
    }
    // Buttons of a form are the form's: a submit sends on `submit`, the others do nothing here.
    if ((trigger as HTMLButtonElement).form && this.contains((trigger as HTMLButtonElement).form)) return;
    this.#activate(submitterField(trigger));
  };

  #onKeyDown = (event: KeyboardEvent): void => {
    if (!this.#asButton || event.target !== this || (event.key !== 'Enter' && event.key !== ' ')) return;
    event.preventDefault();
    if (!event.repeat) this.#activate(undefined);
  };

  #onSubmit = (event: SubmitEvent): void => {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const fields: JsonObject = {};
    for (const element of form.elements) {
      const name = element.getAttribute('name');
      if (!name || !isControl(element) || (element as HTMLInputElement).disabled) continue;
      if (element instanceof HTMLInputElement && /^(submit|button|reset|image)$/.test(element.type)) continue;
      if (element instanceof HTMLInputElement && element.type === 'radio' && !element.checked) continue;
      setOwn(fields, name, readControl(element, null));
    }
    const pressed = event.submitter?.getAttribute('name');
    if (pressed) setOwn(fields, pressed, (event.submitter as HTMLButtonElement).value);
    this.#activate(fields, form);
  };
}

/** `{ [name]: value }` of a named button, as a form submission includes the button pressed. */
function submitterField(element: Element): JsonObject | undefined {
  const name = element.getAttribute('name');
  if (!name || !(element instanceof HTMLButtonElement || element instanceof HTMLInputElement)) return undefined;
  const fields: JsonObject = {};
  setOwn(fields, name, element.value);
  return fields;
}
