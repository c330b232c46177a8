// Types for the tags in React 19, Vue 3, Svelte and Solid, made from the
// manifest so they list exactly what the elements document: attributes (with
// their types), settable properties, and events (with their classes).
import { customElementsOf } from './manifest-modules.mjs';

const header = '// Generated from custom-elements.json by scripts/framework-types.mjs: do not edit.\n';

/** An attribute's manifest type as a TypeScript type for markup: numbers may be written as strings. */
function attributeType(typeText = 'string') {
  const parts = typeText.split('|').map((part) => part.trim());
  const known = parts.every((part) => /^'[^']*'$/.test(part) || ['string', 'number', 'boolean'].includes(part));
  if (!known) return 'string';
  return parts.map((part) => (part === 'number' ? 'number | `${number}`' : part)).join(' | ');
}

/** An attribute's description, with its default unless the description gives it. */
export function withDefault({ description = '', default: value }) {
  return value === undefined || /default/i.test(description) ? description : `${description} Default: \`${value}\`.`.trim();
}

const quote = (name) => (/^[A-Za-z_$][\w$]*$/.test(name) ? name : `'${name}'`);
const camel = (name) => name.replace(/-([a-z])/g, (_, letter) => letter.toUpperCase());
const pascal = (name) => camel(name).replace(/^./, (letter) => letter.toUpperCase());
const doc = (text, indent = '  ') => (text ? `${indent}/** ${text.replace(/\*\//g, '*\\/').replace(/\n/g, ' ')} */\n` : '');

/** The tags with what each framework file needs from them. */
function tagsOf(manifest) {
  return customElementsOf(manifest).map(({ tag, className, declaration }) => ({
    tag,
    className,
    description: declaration.summary ?? '',
    attributes: (declaration.attributes ?? []).map((attribute) => ({
      name: attribute.name,
      type: attributeType(attribute.type?.text),
      description: withDefault(attribute),
    })),
    // Properties a framework may set: public, writable fields.
    properties: (declaration.members ?? [])
      .filter((member) => member.kind === 'field' && !member.static && !member.readonly && !member.privacy)
      .map((member) => member.name),
    events: (declaration.events ?? []).map((event) => ({ name: event.name, type: event.type?.text ?? 'Event', description: event.description })),
  }));
}

/** dist/frameworks/tags.d.ts: each tag's attributes, properties and events, framework-neutral. */
function tagsModule(tags) {
  const classes = new Set(tags.flatMap((tag) => [tag.className, ...tag.events.map((event) => event.type)]));
  let text = `${header}import type { ${[...classes].sort().join(', ')} } from '../index.js';\n`;
  for (const tag of tags) {
    text += `\n/** The attributes of \`<${tag.tag}>\`. */\nexport interface ${tag.className}Attributes {\n`;
    for (const attribute of tag.attributes) text += `${doc(attribute.description)}  ${quote(attribute.name)}?: ${attribute.type};\n`;
    text += '}\n';
    const picked = tag.properties.length > 0 ? tag.properties.map((name) => `'${name}'`).join(' | ') : 'never';
    text += `\n/** The properties of \`<${tag.tag}>\` that may be set. */\nexport type ${tag.className}Properties = Partial<Pick<${tag.className}, ${picked}>>;\n`;
    text += `\n/** The events of \`<${tag.tag}>\`, by name. */\nexport interface ${tag.className}Events {\n`;
    for (const event of tag.events) text += `${doc(event.description)}  '${event.name}': ${event.type};\n`;
    text += '}\n';
  }
  text += `\n/** Every tag's element class. */\nexport interface JugglerTagElements {\n`;
  for (const tag of tags) text += `  '${tag.tag}': ${tag.className};\n`;
  text += '}\n';
  return text;
}

/** Event handler props: `on` + a name made by `name` from the event's name. */
function eventProps(tag, name, indent = '  ') {
  return tag.events.map((event) => `${indent}${quote(name(event.name))}?: (event: ${event.type}) => void;\n`).join('');
}

/** ` & { onX?: handler; … }` for the events of a tag, or nothing when it has none. */
function eventsType(tag, name, indent) {
  return tag.events.length === 0 ? '' : ` & {\n${eventProps(tag, name, `${indent}  `)}${indent}}`;
}

function tagImports(tags, extra = []) {
  const names = tags.flatMap((tag) => [tag.className, `${tag.className}Attributes`, `${tag.className}Properties`]);
  const events = new Set(tags.flatMap((tag) => tag.events.map((event) => event.type)));
  return (
    `import type { ${[...tags.map((tag) => tag.className), ...events].sort().join(', ')} } from '../index.js';\n` +
    `import type { ${names.filter((name) => !tags.some((tag) => tag.className === name)).join(', ')} } from './tags.js';\n` +
    extra.join('')
  );
}

/** React and Vue keep `key` for themselves: the list's is `item-key` there. */
const withoutKey = (type) => `Omit<${type}, 'key'>`;

function reactModule(tags) {
  let text = `${header}/**
 * The tags in React 19's JSX: \`import type {} from 'juggler-elements/react'\` once.
 * Attributes and properties (\`localData\`, \`itemKey\`) are props; events are
 * \`onjuggler-change\` and so on, by their lower-case names.
 */
${tagImports(tags, ["import type { DetailedHTMLProps, HTMLAttributes } from 'react';\n"])}
export type * from './tags.js';

declare module 'react' {
  namespace JSX {
    interface IntrinsicElements {
`;
  for (const tag of tags) {
    text += `${doc(tag.description, '      ')}      '${tag.tag}': DetailedHTMLProps<HTMLAttributes<${tag.className}>, ${tag.className}> &\n`;
    text += `        ${withoutKey(`${tag.className}Attributes`)} &\n        ${tag.className}Properties${eventsType(tag, (name) => `on${name}`, '        ')};\n`;
  }
  return `${text}    }\n  }\n}\n`;
}

function vueModule(tags) {
  let text = `${header}/**
 * The tags as Vue 3 global components, for templates checked by vue-tsc and
 * for editors: \`import type {} from 'juggler-elements/vue'\` once. Events are
 * \`@juggler-change\` and so on.
 */
${tagImports(tags, ["import type { DefineComponent } from 'vue';\n"])}
export type * from './tags.js';

declare module 'vue' {
  interface GlobalComponents {
`;
  for (const tag of tags) {
    text += `${doc(tag.description, '    ')}    '${tag.tag}': DefineComponent<\n      ${withoutKey(`${tag.className}Attributes`)} &\n        ${tag.className}Properties${eventsType(tag, (name) => `on${pascal(name)}`, '        ')}\n    >;\n`;
  }
  return `${text}  }\n}\n`;
}

function svelteModule(tags) {
  let text = `${header}/**
 * The tags in Svelte's markup types (Svelte 4 and 5): \`import type {} from 'juggler-elements/svelte'\`
 * once. Events are \`onjuggler-change\` (Svelte 5) or \`on:juggler-change\` (Svelte 4);
 * \`bind:this\` gets the element's class.
 */
${tagImports(tags, ["import type { HTMLAttributes } from 'svelte/elements';\n"])}
export type * from './tags.js';

declare module 'svelte/elements' {
  interface SvelteHTMLElements {
`;
  for (const tag of tags) {
    const events = eventProps(tag, (name) => `on${name}`, '        ') + eventProps(tag, (name) => `on:${name}`, '        ');
    text += `${doc(tag.description, '    ')}    '${tag.tag}': HTMLAttributes<${tag.className}> &\n      ${tag.className}Attributes &\n      ${tag.className}Properties`;
    text += events ? ` & {\n${events}      };\n` : ';\n';
  }
  text += '  }\n}\n\ndeclare global {\n  interface HTMLElementTagNameMap {\n';
  for (const tag of tags) text += `    '${tag.tag}': ${tag.className};\n`;
  return `${text}  }\n}\n`;
}

function solidModule(tags) {
  let text = `${header}/**
 * The tags in Solid's JSX: \`import type {} from 'juggler-elements/solid'\` once.
 * Properties are set with \`prop:localData\`, events are \`on:juggler-change\`.
 */
${tagImports(tags)}
export type * from './tags.js';

// The module TypeScript reads JSX from (jsxImportSource); 'solid-js' re-exports the same namespace.
declare module 'solid-js/jsx-runtime' {
  namespace JSX {
    interface IntrinsicElements {
`;
  for (const tag of tags) {
    text += `${doc(tag.description, '      ')}      '${tag.tag}': JSX.HTMLAttributes<${tag.className}> & ${tag.className}Attributes & {\n`;
    for (const name of tag.properties) text += `        'prop:${name}'?: ${tag.className}['${name}'];\n`;
    text += eventProps(tag, (name) => `on:${name}`, '        ');
    text += '      };\n';
  }
  return `${text}    }\n  }\n}\n`;
}

/** Every file of dist/frameworks/, by name. */
export function frameworkTypes(manifest) {
  const tags = tagsOf(manifest);
  const empty = `${header}export {};\n`;
  const files = {
    'tags.d.ts': tagsModule(tags),
    'react.d.ts': reactModule(tags),
    'vue.d.ts': vueModule(tags),
    'svelte.d.ts': svelteModule(tags),
    'solid.d.ts': solidModule(tags),
  };
  // Each types entry has a module to go with it, so importing one for its types only never fails.
  for (const name of ['tags', 'react', 'vue', 'svelte', 'solid']) files[`${name}.js`] = empty;
  return files;
}
