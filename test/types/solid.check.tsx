/** @jsxImportSource solid-js */
// Type-checked by `npm run typecheck`, never run: the tags in Solid's JSX (juggler-elements/solid).
import type {} from 'juggler-elements/solid';

export const page = (
  <juggler-connection url="/ws" delay="100" prop:localData={{ count: 0 }} on:juggler-change={(event) => event.paths}>
    <juggler-bind path="/x" source="local" />
    <juggler-list path="/rows" key="/id" prop:itemKey="/id" />
  </juggler-connection>
);

// @ts-expect-error: a misspelt tag
export const tag = <juggler-bnd path="/x" />;

// @ts-expect-error: a misspelt attribute
export const attribute = <juggler-bind paht="/x" />;
