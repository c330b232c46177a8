/**
 * Types for the tags in JSX (React 19 and libraries that read React's JSX
 * namespace): `import type {} from 'juggler-elements/jsx'` once in a project.
 * React 19 passes these as properties and listens to `onjuggler-*` events by
 * their lower-case names.
 */
import type { DetailedHTMLProps, HTMLAttributes } from 'react';
import type {
  JugglerChangeEvent,
  JugglerCloseEvent,
  JugglerErrorEvent,
  JugglerMessageEvent,
  JugglerOpenEvent,
  JugglerStatusEvent,
} from '../core/events.js';
import type { JugglerBind } from './juggler-bind/juggler-bind.js';
import type { JugglerConnection } from './juggler-connection/juggler-connection.js';
import type { JugglerList } from './juggler-list/juggler-list.js';
import type { JugglerSend } from './juggler-send/juggler-send.js';
import type { JugglerStatus } from './juggler-status/juggler-status.js';

/** React's props of an HTML element, plus the tag's own. */
export type TagProps<T, Props> = DetailedHTMLProps<HTMLAttributes<T>, T> & Props;

export interface ConnectionProps {
  url?: string;
  delay?: number | 'manual' | `${number}`;
  reconnect?: 'off';
  'reconnect-delay'?: number | `${number}`;
  'reconnect-max-delay'?: number | `${number}`;
  'ping-interval'?: number | `${number}`;
  'ping-timeout'?: number | `${number}`;
  'max-message-size'?: number | `${number}`;
  'onjuggler-open'?: (event: JugglerOpenEvent) => void;
  'onjuggler-close'?: (event: JugglerCloseEvent) => void;
  'onjuggler-change'?: (event: JugglerChangeEvent) => void;
  'onjuggler-message'?: (event: JugglerMessageEvent) => void;
  'onjuggler-status'?: (event: JugglerStatusEvent) => void;
  'onjuggler-error'?: (event: JugglerErrorEvent) => void;
}

export interface BindProps {
  path: string;
  source?: 'remote' | 'local';
  'write-path'?: string;
  as?: 'number' | 'boolean' | 'string' | 'json';
  digits?: number | `${number}`;
  property?: string;
  attribute?: string;
}

declare module 'react' {
  namespace JSX {
    interface IntrinsicElements {
      'juggler-connection': TagProps<JugglerConnection, ConnectionProps>;
      'juggler-bind': TagProps<JugglerBind, BindProps>;
      // `key` belongs to React: the list's own key is `item-key` here.
      'juggler-list': TagProps<JugglerList, { path: string; 'item-key'?: string; source?: 'remote' | 'local' }>;
      'juggler-send': TagProps<JugglerSend, { message?: string; 'onjuggler-error'?: (event: JugglerErrorEvent) => void }>;
      'juggler-status': TagProps<JugglerStatus, Partial<Record<`label-${'connecting' | 'open' | 'reconnecting' | 'closed'}`, string>>>;
    }
  }
}
