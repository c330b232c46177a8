// Type-checked by `npm run typecheck`, never run: the tags as Vue 3 global components
// (juggler-elements/vue), the props vue-tsc checks a template's attributes and events against.
import type {} from 'juggler-elements/vue';
import type { GlobalComponents } from 'vue';

type Props<Tag extends keyof GlobalComponents> = InstanceType<GlobalComponents[Tag]>['$props'];

export const connection: Props<'juggler-connection'> = {
  url: '/ws',
  delay: 'manual',
  localData: { count: 0 },
  onJugglerChange: (event) => event.paths,
  onJugglerStatus: (event) => event.status,
};
export const bind: Props<'juggler-bind'> = { path: '/x', source: 'local', 'write-path': '/y', as: 'number', class: 'value' };
export const list: Props<'juggler-list'> = { path: '/rows', 'item-key': '/id', itemKey: '/id' };

// @ts-expect-error: a misspelt tag
export type Tag = Props<'juggler-bnd'>;

// @ts-expect-error: a misspelt attribute
export const attribute: Props<'juggler-bind'> = { paht: '/x' };

// @ts-expect-error: a misspelt property
export const property: Props<'juggler-list'> = { itemKy: '/id' };

// @ts-expect-error: a misspelt event
export const event: Props<'juggler-connection'> = { onJugglerChnage: () => {} };

// @ts-expect-error: as is number, boolean, string or json
export const value: Props<'juggler-bind'> = { as: 'date' };
