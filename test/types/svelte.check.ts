// Type-checked by `npm run typecheck`, never run: the tags in Svelte's markup types
// (juggler-elements/svelte), which svelte-check checks a component's markup against.
import type {} from 'juggler-elements/svelte';
import type { SvelteHTMLElements } from 'svelte/elements';

export const connection: SvelteHTMLElements['juggler-connection'] = {
  url: '/ws',
  delay: 100,
  'onjuggler-message': (event) => event.payload,
  'on:juggler-change': (event) => event.paths,
};

// @ts-expect-error: source is remote or local
export const value: SvelteHTMLElements['juggler-bind'] = { path: '/x', source: 'elsewhere' };
