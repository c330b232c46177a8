import { ContextEvent } from '@lit/context';
import { childPointer, parsePointer } from '../../core/json-pointer.js';
import { walk, type JsonValue } from '../../core/json.js';
import { BoundPath } from '../bound-path.js';
import { jugglerScope, type JugglerScope } from '../context.js';
import { reportCaught } from '../report-error.js';
import { ItemScope } from './item-scope.js';
import { defineElement, defaultRegistry } from '../define-element.js';
import { ElementBase } from '../element-base.js';

interface Item {
  key: unknown;
  nodes: ChildNode[];
  scope: ItemScope;
}

/**
 * Renders its `<template>` once per item of the array at `path`, right after
 * the template (so it works inside `<ul>`, `<tbody>` and other containers). The
 * elements of each copy read paths relative to their item. Copies are keyed, by
 * the value at `key` inside each item when given, else by the item itself for
 * objects and by position for other values, so appending or sliding a window
 * adds and removes copies at the ends and leaves the others in place.
 *
 * @summary Repeats a template for each item of an array.
 * @tag juggler-list
 * @attr {string} path - JSON Pointer of the array (relative to the item inside another list).
 * @attr {string} key - JSON Pointer, inside each item, of a value that identifies it (for example `/id`).
 * @attr {string} item-key - The same as `key`, for frameworks that keep `key` to themselves (React, Vue).
 * @attr {'remote' | 'local'} [source=remote] - `remote` (default) or `local`.
 * @slot - A `<template>` (anywhere inside, for example in a `<tbody>`) and any other content.
 */
export class JugglerList extends ElementBase {
  /**
   * Registers the class as `tag` (default `juggler-list`) in `registry` (default: the page's).
   * Calling it again does nothing; a tag taken by another class throws.
   */
  static define(tag = 'juggler-list', registry: CustomElementRegistry | undefined = defaultRegistry()): void {
    defineElement(this, tag, registry);
  }

  static readonly observedAttributes = ['path', 'key', 'item-key', 'source'];

  readonly #bound = new BoundPath(this, (changedPaths) => this.#changed(changedPaths));
  /** The scope and source the items were made for: a list moved elsewhere or switched to other data starts afresh. */
  #itemsScope: JugglerScope | undefined;
  #itemsSource: string | undefined;
  #template: HTMLTemplateElement | null = null;
  #items: Item[] = [];
  readonly #itemOf = new WeakMap<Node, Item>();

  get path(): string {
    return this.#bound.path;
  }
  set path(path: string) {
    this.setAttribute('path', path);
  }

  /** The `item-key` (or `key`) attribute: JSON Pointer of each item's identity. */
  get itemKey(): string | null {
    return this.getAttribute('item-key') ?? this.getAttribute('key');
  }
  set itemKey(pointer: string | null) {
    if (pointer === null) this.removeAttribute('item-key');
    else this.setAttribute('item-key', pointer);
  }

  connectedCallback(): void {
    this.addEventListener('context-request', this.#answerFromItem);
    this.#bound.connect();
  }

  disconnectedCallback(): void {
    this.removeEventListener('context-request', this.#answerFromItem);
    this.#bound.disconnect();
  }

  attributeChangedCallback(): void {
    this.#bound.refresh();
  }

  /** Only the array itself, or an item as a whole, changes the list; changes inside an item are its elements' business. */
  #changed(changedPaths: readonly string[]): void {
    const own = this.#bound.scope?.resolve(this.path) ?? '';
    const inside = (path: string) => path.length > own.length && path.indexOf('/', own.length + 1) !== -1;
    if (changedPaths.every(inside)) return;
    this.#render();
  }

  #render(): void {
    this.#template ??= this.querySelector('template');
    const scope = this.#bound.scope;
    const template = this.#template;
    if (!template) return;
    if (scope !== this.#itemsScope || this.#bound.source !== this.#itemsSource) {
      for (const item of this.#items) for (const node of item.nodes) node.remove();
      this.#items = [];
      this.#itemsScope = scope;
      this.#itemsSource = this.#bound.source;
    }
    const value = this.#bound.read();
    const array: JsonValue[] = Array.isArray(value) ? value : [];
    const keyPath = this.#keyPath();
    const unused = new Map<unknown, Item[]>();
    for (const item of this.#items) {
      const same = unused.get(item.key);
      if (same) same.push(item);
      else unused.set(item.key, [item]);
    }
    const items = array.map((entry, index): Item => {
      const key = keyOf(entry, index, keyPath);
      const prefix = childPointer(this.path, index);
      const item = unused.get(key)?.shift() ?? this.#create(key, scope!, prefix, template, keyPath !== null);
      item.scope.moveTo(prefix);
      return item;
    });
    for (const leftover of unused.values()) for (const item of leftover) for (const node of item.nodes) node.remove();
    // Put the copies in order after the template, moving only what is out of place.
    const parent = template.parentNode!;
    let cursor = template.nextSibling;
    for (const item of items) {
      if (item.nodes[0] === cursor) cursor = item.nodes[item.nodes.length - 1].nextSibling;
      else for (const node of item.nodes) parent.insertBefore(node, cursor);
    }
    this.#items = items;
  }

  /** The `key` pointer, or null when there is none or it is not a JSON Pointer (reported). */
  #keyPath(): string | null {
    const keyPath = this.itemKey;
    try {
      if (keyPath !== null) parsePointer(keyPath);
      return keyPath;
    } catch (error) {
      reportCaught(this, error);
      return null;
    }
  }

  #create(key: unknown, scope: JugglerScope, prefix: string, template: HTMLTemplateElement, keyed: boolean): Item {
    // React and Vue put a <template>'s children on the element itself, not in its content.
    const content = template.content.firstChild ? template.content : template;
    const nodes = Array.from(content.childNodes, (node) => node.cloneNode(true) as ChildNode);
    // A list without its own source reads what its scope reads: a list inside an item, its item's list's.
    const source = this.#bound.source ?? (scope instanceof ItemScope ? scope.source : 'remote');
    const itemKey = keyed && (typeof key === 'string' || typeof key === 'number') ? key : undefined;
    const item: Item = { key, nodes, scope: new ItemScope(scope, this.path, prefix, source, itemKey) };
    for (const node of item.nodes) this.#itemOf.set(node, item);
    return item;
  }

  /** Elements inside a copy ask for their scope: answer with their item's. */
  #answerFromItem = (request: Event): void => {
    const event = request as ContextEvent<typeof jugglerScope>;
    if (event.context !== jugglerScope) return;
    for (const node of event.composedPath()) {
      if (node === this) return;
      const item = this.#itemOf.get(node as Node);
      if (item) {
        event.stopPropagation();
        event.callback(item.scope);
        return;
      }
    }
  };
}

function keyOf(entry: JsonValue, index: number, keyPath: string | null): unknown {
  if (keyPath !== null) {
    const tokens = parsePointer(keyPath);
    const found = walk(entry, tokens);
    if (found.depth === tokens.length) return found.node;
  }
  return typeof entry === 'object' && entry !== null ? entry : index;
}
