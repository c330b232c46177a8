import { html, nothing, type TemplateResult } from 'lit';
import { childPointer } from '../../core/json-pointer.js';
import type { JsonValue } from '../../core/json.js';
import type { DataSource } from '../context.js';

/** Children shown under one open node: a huge array shows its first ones and says how many more there are. */
export const maxChildren = 200;
/** A value shown inline is cut after this many characters. */
const maxValueLength = 120;

/** What the tree needs from the inspector to draw itself. */
export interface TreeView {
  isOpen(source: DataSource, pointer: string): boolean;
  isChanged(source: DataSource, pointer: string): boolean;
}

/**
 * One source's data as nested lists: a row per value with its key (a button
 * that copies the value's JSON Pointer), a toggle for objects and arrays, and
 * the value. Only open nodes render their children, so a render costs what is
 * open, not the whole document. Clicks are handled by the inspector on the
 * tree as a whole (`data-source`, `data-pointer`), so rows carry no listeners.
 * Keys and values are text bindings: data is never read as HTML.
 */
export function renderTree(source: DataSource, data: JsonValue | undefined, view: TreeView): TemplateResult {
  return html`<ul class="tree" aria-label=${`${source} data`}>${renderNode(source, '', source, data, view)}</ul>`;
}

function renderNode(source: DataSource, pointer: string, label: string, value: JsonValue | undefined, view: TreeView): TemplateResult {
  const container = typeof value === 'object' && value !== null;
  const open = container && view.isOpen(source, pointer);
  return html`<li data-source=${source} data-pointer=${pointer}>
    <div class=${view.isChanged(source, pointer) ? 'row changed' : 'row'}>
      ${container
        ? html`<button class="toggle" aria-expanded=${String(open)} aria-label=${open ? 'Collapse' : 'Expand'}>${open ? '▾' : '▸'}</button>`
        : html`<span class="toggle"></span>`}<button
        class="key"
        title=${`Copy the pointer ${pointer || '"" (the whole document)'}`}
      >${label}</button><span class="value">${describe(value)}</span>
    </div>
    ${open ? html`<ul>${children(source, pointer, value as JsonValue[] | Record<string, JsonValue>, view)}</ul>` : nothing}
  </li>`;
}

function children(source: DataSource, pointer: string, value: JsonValue[] | Record<string, JsonValue>, view: TreeView): unknown[] {
  const keys = Array.isArray(value) ? value.map((_, index) => String(index)) : Object.keys(value);
  const rows: unknown[] = keys
    .slice(0, maxChildren)
    .map((key) => renderNode(source, childPointer(pointer, key), key, (value as Record<string, JsonValue>)[key], view));
  if (keys.length > maxChildren) rows.push(html`<li class="more">… ${keys.length - maxChildren} more</li>`);
  return rows;
}

/** A value as a short line of text: a leaf as JSON, an object or array by its size. */
function describe(value: JsonValue | undefined): string {
  if (value === undefined) return '(none)';
  if (Array.isArray(value)) return `[${value.length}]`;
  if (typeof value === 'object' && value !== null) return `{${Object.keys(value).length}}`;
  const text = JSON.stringify(value);
  return text.length > maxValueLength ? `${text.slice(0, maxValueLength)}…` : text;
}
