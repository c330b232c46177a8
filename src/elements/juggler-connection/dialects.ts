import type { ClientOptions, JugglerClient } from '../../client/juggler-client.js';

/**
 * How `<juggler-connection dialect="…">` makes its client, by dialect name. A
 * dialect's module adds its own (`juggler-elements/hat-0.7` adds `hat-0.7`),
 * so the default bundle holds no dialect but Juggler's. The maker gets the
 * element too, to fire the dialect's own events on it (`juggler-notify`).
 */
export const dialectClients: Record<string, (options: ClientOptions, connection: EventTarget) => JugglerClient> = {};
