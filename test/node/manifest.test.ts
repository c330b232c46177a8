import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { describe, test } from 'node:test';
import { Ajv } from 'ajv';

interface Attribute {
  name: string;
  type?: { text: string };
  default?: string;
  fieldName?: string;
  description?: string;
}

interface Declaration {
  name: string;
  tagName?: string;
  attributes?: Attribute[];
  events?: Array<{ name: string; type?: { text: string } }>;
  slots?: Array<{ name: string; description?: string }>;
  superclass?: { name: string; package?: string; module?: string };
  cssParts?: Array<{ name: string }>;
  cssProperties?: Array<{ name: string }>;
  cssStates?: Array<{ name: string }>;
}

describe('custom-elements.json (built from the JSDoc)', async () => {
  const pkg = JSON.parse(await readFile('package.json', 'utf8'));
  const manifest = JSON.parse(await readFile(pkg.customElements, 'utf8'));
  const tags = new Map<string, Declaration>();
  const attribute = (tag: string, name: string) => tags.get(tag)!.attributes!.find((item) => item.name === name)!;
  for (const module of manifest.modules) for (const d of module.declarations ?? []) if (d.tagName) tags.set(d.tagName, d);
  const names = (list?: Array<{ name: string }>) => (list ?? []).map((item) => item.name).sort();

  test('package.json points to it and it lists every tag', () => {
    assert.deepEqual([...tags.keys()].sort(), ['juggler-bind', 'juggler-connection', 'juggler-inspector', 'juggler-list', 'juggler-send', 'juggler-status']);
  });

  test('the inspector documents its attributes, event and parts', () => {
    const inspector = tags.get('juggler-inspector')!;
    assert.deepEqual(names(inspector.attributes), ['for', 'max-entries']);
    assert.equal(attribute('juggler-inspector', 'max-entries').default, '500');
    assert.deepEqual(names(inspector.events), ['juggler-copy']);
    assert.deepEqual(names(inspector.cssParts), ['data', 'stats', 'traffic']);
  });

  test('the connection documents its attributes, events and custom states', () => {
    const connection = tags.get('juggler-connection')!;
    assert.deepEqual(names(connection.events), ['juggler-change', 'juggler-close', 'juggler-error', 'juggler-message', 'juggler-notify', 'juggler-open', 'juggler-status']);
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
    assert.deepEqual(names(tags.get('juggler-send')!.events), ['juggler-before-send', 'juggler-error', 'juggler-result', 'juggler-sent']);
    assert.deepEqual(names(tags.get('juggler-send')!.attributes), ['action', 'disabled', 'key-as', 'message', 'pending-text', 'reset']);
    assert.deepEqual(names(tags.get('juggler-send')!.cssStates), ['pending']);
  });

  test('it validates against the custom elements manifest schema', async () => {
    const schema = createRequire(import.meta.url)('custom-elements-manifest/schema.json');
    const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
    assert.ok(validate(manifest), JSON.stringify(validate.errors, null, 2));
  });

  test('every attribute has a type; those with a fixed set of values list them, with defaults', () => {
    for (const [tag, declaration] of tags) {
      for (const item of declaration.attributes ?? []) assert.ok(item.type?.text, `${tag} ${item.name} has a type`);
    }
    assert.equal(attribute('juggler-bind', 'source').type!.text, "'remote' | 'local'");
    assert.equal(attribute('juggler-bind', 'source').default, 'remote');
    assert.equal(attribute('juggler-bind', 'as').type!.text, "'number' | 'boolean' | 'string' | 'json'");
    assert.equal(attribute('juggler-list', 'source').type!.text, "'remote' | 'local'");
    assert.equal(attribute('juggler-connection', 'reconnect').type!.text, "'off'");
    assert.equal(attribute('juggler-connection', 'delay').type!.text, "number | 'manual'");
    assert.equal(attribute('juggler-connection', 'delay').default, '100');
    assert.equal(attribute('juggler-status', 'label-open').default, 'Connected');
  });

  test('attributes name the property that goes with them', () => {
    assert.equal(attribute('juggler-list', 'item-key').fieldName, 'itemKey');
    assert.equal(attribute('juggler-bind', 'path').fieldName, 'path');
    assert.equal(attribute('juggler-bind', 'source').fieldName, 'source');
    assert.equal(attribute('juggler-connection', 'status').fieldName, 'status');
  });

  test('events name their classes, the connection documents its slot, and descriptions are plain', () => {
    const types = Object.fromEntries(tags.get('juggler-connection')!.events!.map((event) => [event.name, event.type?.text]));
    assert.deepEqual(types, {
      'juggler-open': 'JugglerOpenEvent',
      'juggler-close': 'JugglerCloseEvent',
      'juggler-change': 'JugglerChangeEvent',
      'juggler-message': 'JugglerMessageEvent',
      'juggler-notify': 'JugglerNotifyEvent',
      'juggler-status': 'JugglerStatusEvent',
      'juggler-error': 'JugglerErrorEvent',
    });
    const sendEvents = new Map(tags.get('juggler-send')!.events!.map((event) => [event.name, event.type?.text]));
    assert.equal(sendEvents.get('juggler-error'), 'JugglerErrorEvent');
    assert.equal(sendEvents.get('juggler-before-send'), 'JugglerSendEvent');
    assert.deepEqual(tags.get('juggler-connection')!.slots?.map((slot) => slot.name), ['']);
    assert.doesNotMatch(JSON.stringify(manifest), /\{@link/);
  });

  test('modules are the built files, and each tag has its definition in its define module', () => {
    for (const module of manifest.modules) {
      assert.match(module.path, /^dist\/.*\.js$/);
      assert.ok(existsSync(module.path), module.path);
    }
    for (const tag of tags.keys()) {
      const definition = manifest.modules
        .flatMap((module: { path: string; exports?: Array<{ kind: string; name: string; declaration: { name: string; module: string } }> }) =>
          (module.exports ?? []).map((exported) => ({ ...exported, path: module.path })),
        )
        .find((exported: { kind: string; name: string }) => exported.kind === 'custom-element-definition' && exported.name === tag);
      assert.ok(definition, `${tag} has a definition`);
      assert.equal(definition.path, `dist/elements/${tag}/${tag}-define.js`);
      assert.equal(definition.declaration.name, tags.get(tag)!.name);
      assert.ok(existsSync(definition.declaration.module));
    }
    assert.deepEqual(tags.get('juggler-bind')!.superclass, { name: 'HTMLElement', package: 'global:' });
  });

  test('the VS Code custom data made from it offers each tag, attribute and choice', async () => {
    assert.equal(pkg.exports['./vscode.html-custom-data.json'], './dist/vscode.html-custom-data.json');
    const data = JSON.parse(await readFile('dist/vscode.html-custom-data.json', 'utf8'));
    assert.equal(data.version, 1.1);
    const tag = (name: string) => data.tags.find((item: { name: string }) => item.name === name);
    const choices = (tagName: string, name: string) =>
      tag(tagName)
        .attributes.find((item: { name: string }) => item.name === name)
        .values?.map((value: { name: string }) => value.name);
    assert.deepEqual(data.tags.map((item: { name: string }) => item.name).sort(), [...tags.keys()].sort());
    assert.deepEqual(choices('juggler-bind', 'source'), ['remote', 'local']);
    assert.deepEqual(choices('juggler-bind', 'as'), ['number', 'boolean', 'string', 'json']);
    assert.deepEqual(choices('juggler-connection', 'reconnect'), ['off']);
    assert.deepEqual(choices('juggler-connection', 'delay'), ['manual']);
    assert.deepEqual(choices('juggler-status', 'status'), ['connecting', 'open', 'reconnecting', 'closed']);
    assert.equal(choices('juggler-bind', 'path'), undefined);
    assert.match(tag('juggler-bind').description.value, /Shows, and optionally edits/);
  });
});
