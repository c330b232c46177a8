// Type-checked by `npm run typecheck`, never run: the tags as React 19's JSX sees them,
// with the types generated from the manifest (juggler-elements/react, also /jsx).
import type {} from 'juggler-elements/react';

export const page = (
  <juggler-connection url="ws://localhost:8080/ws" delay={100} reconnect="off" localData={{ count: 0 }} onjuggler-change={(event) => event.paths}>
    <juggler-bind path="/name" source="local" as="string" write-path="/request/name">
      <input />
    </juggler-bind>
    <juggler-bind path="/n" digits="2" />
    <juggler-list path="/rows" item-key="/id" itemKey="/id" source="remote">
      <template />
    </juggler-list>
    <juggler-send message='{"action":"reset"}' onjuggler-error={(event) => event.code}>
      <button>Reset</button>
    </juggler-send>
    <juggler-status label-open="Live" onClick={(event) => event.currentTarget.isConnected} />
  </juggler-connection>
);

// @ts-expect-error: a misspelt tag
export const tag = <juggler-bnd path="/x" />;

// @ts-expect-error: a misspelt attribute
export const attribute = <juggler-bind paht="/x" />;

// @ts-expect-error: a misspelt property
export const property = <juggler-connection localDta={{}} />;

// JSX takes any attribute with a dash (as data-*), so a misspelt event is caught by
// its handler: with no event type to take, its parameter is an implicit any.
// @ts-expect-error: a misspelt event
export const event = <juggler-connection onjuggler-chnage={(event) => event} />;

// @ts-expect-error: source is remote or local
export const value = <juggler-bind path="/x" source="elsewhere" />;

// @ts-expect-error: the handler gets the status event, which has no paths
export const handler = <juggler-connection onjuggler-status={(event: { paths: string[] }) => event} />;
