import { css } from 'lit';

export const inspectorStyles = css`
  :host {
    --juggler-inspector-changed: #fde68a;
    display: block;
    color-scheme: light dark;
    font: 12px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
    color: CanvasText;
    background: Canvas;
    border: 1px solid color-mix(in srgb, CanvasText 20%, transparent);
    border-radius: 6px;
    overflow: hidden;
  }
  @media (prefers-color-scheme: dark) {
    :host {
      --juggler-inspector-changed: #854d0e;
    }
  }
  [hidden] {
    display: none !important;
  }
  header,
  .toolbar {
    display: flex;
    flex-wrap: wrap;
    gap: 6px 10px;
    align-items: center;
    padding: 6px 8px;
    border-bottom: 1px solid color-mix(in srgb, CanvasText 12%, transparent);
  }
  header strong {
    margin-right: auto;
  }
  h2 {
    margin: 0;
    padding: 6px 8px 2px;
    font-size: 11px;
    text-transform: uppercase;
    letter-spacing: 0.05em;
    opacity: 0.7;
  }
  section {
    border-bottom: 1px solid color-mix(in srgb, CanvasText 12%, transparent);
  }
  button,
  select,
  input {
    font: inherit;
  }
  dl {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(150px, 1fr));
    gap: 2px 12px;
    margin: 0;
    padding: 4px 8px 8px;
  }
  dl div {
    display: flex;
    gap: 6px;
  }
  dt {
    opacity: 0.7;
  }
  dd {
    margin: 0;
  }
  .history {
    display: flex;
    flex-wrap: wrap;
    gap: 4px;
    margin: 0;
    padding: 0 8px 8px;
    list-style: none;
  }
  .history li {
    padding: 0 4px;
    border-radius: 3px;
    background: color-mix(in srgb, CanvasText 8%, transparent);
  }
  .data,
  .log {
    max-height: var(--juggler-inspector-height, 260px);
    overflow: auto;
  }
  .tree,
  .tree ul {
    margin: 0;
    padding: 0 0 0 14px;
    list-style: none;
  }
  .tree {
    padding: 2px 8px 6px;
  }
  .row {
    display: flex;
    gap: 4px;
    align-items: baseline;
    white-space: nowrap;
    border-radius: 3px;
    transition: background-color 0.6s;
  }
  .row.changed {
    background: var(--juggler-inspector-changed);
    transition: none;
  }
  .toggle {
    display: inline-block;
    width: 1.2em;
    padding: 0;
    border: 0;
    background: none;
    color: inherit;
    cursor: pointer;
  }
  .key {
    padding: 0 2px;
    border: 0;
    background: none;
    color: color-mix(in srgb, LinkText 80%, CanvasText);
    cursor: copy;
  }
  .key::after {
    content: ':';
    color: CanvasText;
  }
  .value {
    overflow: hidden;
    text-overflow: ellipsis;
  }
  .more {
    opacity: 0.7;
  }
  table {
    width: 100%;
    border-collapse: collapse;
  }
  th {
    position: sticky;
    top: 0;
    background: Canvas;
    text-align: left;
    font-weight: 600;
  }
  th,
  td {
    padding: 1px 6px;
    white-space: nowrap;
  }
  td.frame {
    max-width: 0;
    width: 100%;
    overflow: hidden;
    text-overflow: ellipsis;
  }
  td.number {
    text-align: right;
  }
  tr.out td.direction {
    color: color-mix(in srgb, #2563eb 80%, CanvasText);
  }
  tr.in td.direction {
    color: color-mix(in srgb, #16a34a 80%, CanvasText);
  }
  .note {
    opacity: 0.8;
  }
`;
