import { AsyncDirective, directive, PartType, type DirectiveResult, type Part, type PartInfo } from 'lit/async-directive.js';
import type { JsonValue } from '../core/json.js';
import type { DataSource } from '../elements/context.js';
import { asText } from '../elements/juggler-bind/control-value.js';
import { reportCaught } from '../elements/report-error.js';
import { ScopeConsumer } from '../elements/scope-consumer.js';

/** Options of `bind()`. */
export interface BindOptions {
  /** `remote` (the default) for the peer's data, `local` for this page's. */
  source?: DataSource;
  /** Turns the value (undefined when there is none) into what to show; the default shows text as `<juggler-bind>` does. */
  format?: (value: JsonValue | undefined) => string;
}

/**
 * `bind(path, options?)` in your own Lit templates: the value at a JSON
 * Pointer, as text, kept up to date by setting only this part when the value
 * changes (the template around it does not re-render). It follows the nearest
 * `<juggler-connection>` (or `<juggler-list>` item) around the element the part
 * is in, through the same path subscription as `<juggler-bind>`, and
 * unsubscribes when its part leaves the page.
 *
 * ```ts
 * html`<p>Temperature: ${bind('/temperature')} °C</p>`
 * ```
 */
class BindDirective extends AsyncDirective {
  #element: Element | undefined;
  #consumer: ScopeConsumer | undefined;
  #path = '';
  #options: BindOptions = {};
  #unsubscribe: (() => void) | undefined;

  constructor(part: PartInfo) {
    super(part);
    if (part.type === PartType.EVENT || part.type === PartType.ELEMENT) throw new Error('bind() goes in text, an attribute or a property, not in an event or element binding');
  }

  /** Without a page (server-side rendering), nothing is known yet. */
  render(_path: string, _options?: BindOptions): string {
    return '';
  }

  override update(part: Part, [path, options = {}]: Parameters<this['render']>): string {
    const element = elementOf(part);
    const changed = path !== this.#path || options.source !== this.#options.source;
    this.#path = path;
    this.#options = options;
    if (element !== this.#element) {
      this.#stop();
      this.#consumer?.disconnect();
      this.#element = element;
      this.#consumer = element && new ScopeConsumer(element as HTMLElement, () => this.isConnected && this.#follow());
      // On a first render the template is not in the document yet: ask for the connection once it is.
      queueMicrotask(() => this.isConnected && this.#consumer?.connect());
    } else if (changed && this.#consumer?.scope) {
      this.#follow();
    }
    return this.#text();
  }

  protected override disconnected(): void {
    this.#stop();
    this.#consumer?.disconnect();
  }

  protected override reconnected(): void {
    this.#consumer?.connect();
  }

  /** Subscribes in the current scope and shows its value. */
  #follow(): void {
    this.#stop();
    const scope = this.#consumer?.scope;
    if (scope) {
      try {
        this.#unsubscribe = scope.subscribe(this.#path, () => this.setValue(this.#text()), this.#options.source);
      } catch (error) {
        reportCaught(this.#element!, error);
      }
    }
    this.setValue(this.#text());
  }

  #text(): string {
    let value: JsonValue | undefined;
    try {
      value = this.#consumer?.scope?.read(this.#path, this.#options.source);
    } catch {
      // A path that is not a JSON Pointer shows nothing; it is reported when subscribing.
    }
    return this.#options.format ? this.#options.format(value) : asText(value);
  }

  #stop(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
  }
}

/**
 * The element whose nearest connection the part reads from: the one the part
 * is in, or, for text at the top of a shadow root or of a template that is not
 * in place yet, the host element of the render.
 */
function elementOf(part: Part): Element | undefined {
  if (part.type !== PartType.CHILD) return part.element;
  const parent = part.parentNode;
  if (parent instanceof Element) return parent;
  if (parent instanceof ShadowRoot) return parent.host;
  return part.options?.host instanceof Element ? part.options.host : undefined;
}

export const bind: (path: string, options?: BindOptions) => DirectiveResult<typeof BindDirective> = directive(BindDirective);
export type { BindDirective };
