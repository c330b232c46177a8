import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, test } from 'node:test';

interface Declaration {
  tagName?: string;
  attributes?: Array<{ name: string }>;
  events?: Array<{ name: string }>;
  cssParts?: Array<{ name: string }>;
  cssProperties?: Array<{ name: string }>;
  cssStates?: Array<{ name: string }>;
}

describe('custom-elements.json (built from the JSDoc)', async () => {
  const pkg = JSON.parse(await readFile('package.json', 'utf8'));
  const manifest = JSON.parse(await readFile(pkg.customElements, 'utf8'));
  const tags = new Map<string, Declaration>();
  for (const module of manifest.modules) for (const d of module.declarations ?? []) if (d.tagName) tags.set(d.tagName, d);
  const names = (list?: Array<{ name: string }>) => (list ?? []).map((item) => item.name).sort();

  test('package.json points to it and it lists every tag', () => {
    assert.deepEqual([...tags.keys()].sort(), ['juggler-bind', 'juggler-connection', 'juggler-list', 'juggler-send', 'juggler-status']);
  });

  test('the connection documents its attributes, events and custom states', () => {
    const connection = tags.get('juggler-connection')!;
    assert.deepEqual(names(connection.events), ['juggler-change', 'juggler-close', 'juggler-error', 'juggler-message', 'juggler-open', 'juggler-status']);
    assert.deepEqual(names(connection.cssStates), ['closed', 'connecting', 'open', 'reconnecting']);
    for (const attribute of ['url', 'delay', 'reconnect', 'reconnect-delay', 'ping-interval', 'status']) {
      assert.ok(names(connection.attributes).includes(attribute), attribute);
    }
  });

  test('the bind, the status and the others document theirs', () => {
    assert.deepEqual(names(tags.get('juggler-bind')!.attributes), ['as', 'attribute', 'digits', 'path', 'property', 'source', 'write-path']);
    assert.deepEqual(names(tags.get('juggler-status')!.cssParts), ['indicator', 'label', 'reason']);
    assert.ok(names(tags.get('juggler-status')!.attributes).includes('announce'));
    assert.ok(names(tags.get('juggler-status')!.cssProperties).includes('--juggler-status-open-color'));
    assert.deepEqual(names(tags.get('juggler-list')!.attributes), ['item-key', 'key', 'path', 'source']);
    assert.deepEqual(names(tags.get('juggler-send')!.events), ['juggler-before-send', 'juggler-error', 'juggler-sent']);
    assert.deepEqual(names(tags.get('juggler-send')!.attributes), ['disabled', 'key-as', 'message', 'reset']);
  });
});
