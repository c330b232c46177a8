// Type-checked by `npm run typecheck`, never run: the tags as React 19 JSX sees them.
import type {} from '../../src/elements/jsx.js';
import type { JugglerChangeEvent } from '../../src/core/events.js';

export const page = (
  <juggler-connection url="ws://localhost:8080/ws" delay={100} onjuggler-change={(event: JugglerChangeEvent) => event.paths}>
    <juggler-bind path="/name" source="local" as="string">
      <input />
    </juggler-bind>
    <juggler-list path="/rows" item-key="/id">
      <template />
    </juggler-list>
    <juggler-send message='{"action":"reset"}'>
      <button>Reset</button>
    </juggler-send>
    <juggler-status label-open="Live" />
  </juggler-connection>
);

// @ts-expect-error: a bind needs a path
export const withoutPath = <juggler-bind />;

// @ts-expect-error: source is remote or local
export const badSource = <juggler-bind path="/x" source="elsewhere" />;
