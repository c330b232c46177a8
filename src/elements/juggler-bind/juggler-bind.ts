import { freshContainer, isContainer, jsonEqual, type JsonValue } from '../../core/json.js';
import type { DataSource, JugglerScope } from '../context.js';
import { BoundPath } from '../bound-path.js';
import { JugglerError } from '../../core/errors.js';
import { checkAttribute, reportCaught, reportError } from '../report-error.js';
import { refusedSink } from './refused-sink.js';
import { BoundText } from './bound-text.js';
import { asText, isControl, readControl, writeControl, type ValueKind } from './control-value.js';
import { defineElement, defaultRegistry } from '../define-element.js';
import { ElementBase } from '../element-base.js';

/**
 * Binds the value at a JSON Pointer of the nearest connection to the page.
 *
 * - With no element inside, it shows the value as text (never as HTML) in its
 *   own light DOM, so `textContent` reads it; its own text is shown instead
 *   while the value is missing, `null` or empty (see {@link BoundText}).
 * - With form controls inside (inputs of any type, selects, text areas,
 *   form-associated custom elements), it shows the value in them and writes what
 *   the user enters into local data at `write-path` (default: `path`); the
 *   connection's delay coalesces the writes. Number and range inputs write
 *   numbers, checkboxes booleans. Every input is sent, even when it repeats the
 *   page's last write. A control the user is focused on is never overwritten;
 *   when focus leaves it shows the value at `path` again, whatever became of
 *   the write (the peer applied it, refused it, or it was never sent).
 * - With `property` or `attribute`, it sets that property or attribute of its
 *   first child instead (`<meter>`, `<progress>`, any element); nothing is written.
 *   An object or array is handed over as a new shallow copy each time it
 *   changes, so components that compare by identity see the change.
 *
 * It updates only when a change touches its path (the path, above or below it).
 *
 * @summary Shows, and optionally edits, one value of a Juggler connection.
 * @tag juggler-bind
 * @attr {string} path - JSON Pointer of the value (relative to the item inside `<juggler-list>`).
 * @attr {'remote' | 'local'} [source=remote] - `remote` (default) for the peer's data, `local` for this page's.
 * @attr {string} write-path - Where user input is written in local data (default: `path`).
 * @attr {'number' | 'boolean' | 'string' | 'json'} as - Force the type written: `number`, `boolean`, `string` or `json`.
 * @attr {number} digits - Show numbers with this many digits after the decimal point (text only).
 * @attr {string} property - Set this property of the first child to the value.
 * @attr {string} attribute - Set this attribute of the first child to the value (removed for null, false or missing).
 * @slot - Form controls to bind, an element to set, or text shown while the value is missing.
 */
export class JugglerBind extends ElementBase {
  /**
   * Registers the class as `tag` (default `juggler-bind`) in `registry` (default: the page's).
   * Calling it again does nothing; a tag taken by another class throws.
   */
  static define(tag = 'juggler-bind', registry: CustomElementRegistry | undefined = defaultRegistry()): void {
    defineElement(this, tag, registry);
  }

  static readonly observedAttributes = ['path', 'source', 'property', 'attribute', 'digits'];

  readonly #bound = new BoundPath(this, () => this.#update(false));
  readonly #text = new BoundText(this);
  #shown: unknown = {};
  /** What the last `input` event wrote, so the `change` that commits it does not send it again. */
  #lastInput: { control: Element; value: JsonValue } | undefined;
  #waitingForDefinition = false;
  #listening = false;
  /** The observed attributes, kept as they change: an update reads them for every change of the value. */
  readonly #attributes: { [name: string]: string | null } = {};

  get path(): string {
    return this.#bound.path;
  }
  set path(path: string) {
    this.setAttribute('path', path);
  }

  /** `remote` or `local`; unset means the scope's (a list item follows its list). */
  get source(): DataSource {
    return this.#bound.source ?? 'remote';
  }
  set source(source: DataSource) {
    this.setAttribute('source', source);
  }

  /** The current value at `path` (undefined when missing or not connected). */
  get value(): JsonValue | undefined {
    return this.#bound.read();
  }

  /**
   * Hears every bind's children change (added, removed or swapped by a
   * framework, the parser going on). An observer, not a shadow root with a
   * slot: a slot makes Chromium recompute slot assignment whenever a text
   * child's data changes, which is every change of a text bind.
   */
  static #children: MutationObserver | undefined;

  static #childrenChanged(records: MutationRecord[]): void {
    let last: JugglerBind | undefined;
    for (const record of records) {
      const bind = record.target as JugglerBind;
      if (bind === last) continue;
      last = bind;
      bind.#text.childrenChanged();
      bind.#shown = {};
      bind.#update(false);
    }
  }

  connectedCallback(): void {
    (JugglerBind.#children ??= new MutationObserver(JugglerBind.#childrenChanged)).observe(this, { childList: true });
    this.#bound.connect();
  }

  disconnectedCallback(): void {
    this.#bound.disconnect();
  }

  attributeChangedCallback(name: string, old: string | null, value: string | null): void {
    this.#attributes[name] = value;
    if (name === 'attribute' && old) this.firstElementChild?.removeAttribute(old);
    this.#shown = {};
    this.#bound.refresh();
  }

  #update(focusLeaving: boolean): void {
    const value = this.value;
    const { property, attribute, digits } = this.#attributes;
    const target = property || attribute ? this.firstElementChild : null;
    if (target) {
      // A property set before the element upgrades would hide its setter for good: wait for the definition.
      if (property && !target.matches(':defined')) {
        if (!this.#waitingForDefinition) {
          this.#waitingForDefinition = true;
          void customElements.whenDefined(target.localName).then(() => {
            this.#waitingForDefinition = false;
            this.#update(false);
          });
        }
        return;
      }
      // A container at the path was changed in place: hand over a new one, or identity checks miss it.
      if (value === this.#shown && !isContainer(value)) return;
      this.#shown = value;
      // A peer's strings are data: never script, markup, or a `javascript:` address.
      const refused = refusedSink(property || attribute!, value, !property);
      if (refused) reportError(this, new JugglerError('invalid-value', `${property || attribute} refused: bound values are data`));
      if (property) {
        if (!refused) (target as unknown as Record<string, unknown>)[property] = freshContainer(value) ?? null;
      } else if (refused || value === undefined || value === null || value === false) target.removeAttribute(attribute!);
      else target.setAttribute(attribute!, value === true ? '' : asText(value));
      return;
    }
    if (this.firstElementChild) {
      // Elements inside: show them, and the value in whatever controls they hold.
      this.#listenToControls();
      this.#text.restore();
      this.#shown = undefined;
      // Phoenix LiveView's rule: never fight the user's cursor. Catch up on blur.
      if (!focusLeaving && this.matches(':focus-within')) return;
      for (const control of controlsIn(this)) writeControl(control, value);
      return;
    }
    const text = typeof value === 'number' && digits != null ? value.toFixed(Math.min(20, Math.max(0, Number(digits) || 0))) : asText(value);
    if (text === this.#shown) return;
    this.#shown = text;
    this.#text.show(text);
  }

  /** Only binds that hold elements listen for input: a page of text binds stays cheap to build. */
  #listenToControls(): void {
    if (this.#listening) return;
    this.#listening = true;
    this.addEventListener('input', this.#onInput);
    this.addEventListener('change', this.#onInput);
    this.addEventListener('focusout', this.#onFocusOut);
  }

  #onInput = (event: Event): void => {
    const scope: JugglerScope | undefined = this.#bound.scope;
    if (!scope || this.#attributes.property != null || this.#attributes.attribute != null) return;
    // The control that changed, even inside a shadow root: the control on the event's path nearest to
    // this bind (a form-associated element rather than the input inside it), unless another bind is nearer.
    const path = event.composedPath();
    const inside = path.slice(0, path.indexOf(this));
    if (inside.some((node) => node instanceof JugglerBind)) return;
    let control: Element | undefined;
    for (let i = inside.length - 1; i >= 0 && !control; i--) if (isControl(inside[i])) control = inside[i] as Element;
    if (!control || (control instanceof HTMLInputElement && control.type === 'radio' && !control.checked)) return;
    const value = readControl(control, checkAttribute<ValueKind>(this, 'as', ['number', 'boolean', 'string', 'json']));
    if (event.type === 'change') {
      const last = this.#lastInput;
      this.#lastInput = undefined;
      if (last?.control === control && jsonEqual(last.value, value)) return;
    } else this.#lastInput = { control, value };
    // Forced: choosing again what this page wrote last must still reach the peer, whose value may have moved on since.
    try {
      scope.connection.setAt(scope.writePath(this.getAttribute('write-path') ?? this.path), value, { force: true });
    } catch (error) {
      reportCaught(this, error);
    }
  };

  #onFocusOut = (event: FocusEvent): void => {
    if (!this.#bound.scope || this.contains(event.relatedTarget as Node | null)) return;
    // Whatever became of the input (applied, refused, never sent), the controls show the value at `path` again.
    this.#update(true);
  };
}

/**
 * The controls a bind drives: in its light DOM and in the open shadow roots of
 * its descendants (a component that wraps an input), but not inside nested binds.
 */
function controlsIn(root: ParentNode): Element[] {
  const found: Element[] = [];
  for (const child of Array.from(root.children)) {
    if (child instanceof JugglerBind) continue;
    if (isControl(child)) found.push(child);
    else {
      found.push(...controlsIn(child));
      if (child.shadowRoot) found.push(...controlsIn(child.shadowRoot));
    }
  }
  return found;
}
