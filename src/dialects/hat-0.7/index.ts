/**
 * The hat-juggler 0.7 dialect (segmented frames, `state`, `request` and
 * `response`, `notify`), as an option beside the Juggler protocol. Importing
 * this module makes it available to `<juggler-connection dialect="hat-0.7">`;
 * `Hat07Client` is its client for scripts, and in Node `connect()` and
 * `listen()` take `dialect: 'hat-0.7'`.
 */
import { dialectClients } from '../../elements/juggler-connection/dialects.js';
import { Hat07Client } from './client.js';

// Guarded: a second copy of this module leaves the first one's maker in place.
dialectClients['hat-0.7'] ??= (options, connection) => {
  const client = new Hat07Client(options);
  client.addEventListener('notify', (event) => connection.dispatchEvent(event.relay('juggler-notify', { bubbles: true, composed: true })));
  return client;
};

export { Hat07Client, type Hat07ClientEventMap } from './client.js';
export { Hat07Peer } from './peer.js';
export { JugglerNotifyEvent } from './events.js';
export { FrameReader, segmentSize, segments } from './framing.js';
