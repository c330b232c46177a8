import { JugglerClient, type ClientOptions, type SocketLike } from '../client/juggler-client.js';
import { defaultLimits } from '../core/messages.js';
import { ClientSocket } from './client-socket.js';
import { jugglerErrorFromWs } from './ws-errors.js';
import { JugglerError } from '../core/errors.js';
import { Hat07Client } from '../dialects/hat-0.7/client.js';

/**
 * Connects to a Juggler peer from Node: the browser client on a `ws` socket,
 * with the same reconnecting, queueing and hostile-input rules. Whatever the
 * server does (refuse the connection, answer with HTTP 404, never answer, send
 * frames that break the WebSocket rules, stop reading), the client fires a
 * typed `error` and retries; nothing throws out of the process. It stops
 * reading while it holds more than 64 KiB unsent (see `ClientSocket`), so a
 * server that stops reading cannot make it pile up answers. `dialect:
 * 'hat-0.7'` speaks hat-juggler 0.7's protocol instead (the client is then a
 * `Hat07Client`).
 */
export function connect(
  url: string | URL,
  options: Omit<ClientOptions, 'url' | 'createSocket' | 'describeSocketError'> & { dialect?: 'hat-0.7' } = {},
): JugglerClient {
  const limit = options.maxMessageSize ?? defaultLimits.maxMessageSize;
  const client = new (clientClass(options.dialect))({
    reconnectOnVisible: false,
    reconnectOnOnline: false,
    ...options,
    url,
    // Twice the limit: frames up to it reach the parser and get a typed error; ws cuts larger ones.
    createSocket: (address, protocols) => new ClientSocket(address, protocols, { maxPayload: 2 * limit }) as unknown as SocketLike,
    // ws's `error` events carry the Error, whose code says what went wrong.
    describeSocketError: (event) => jugglerErrorFromWs((event as Event & { error: Error }).error),
  });
  client.connect();
  return client;
}

/** The client class of `dialect`. */
function clientClass(dialect: string | undefined): typeof JugglerClient {
  if (dialect === undefined) return JugglerClient;
  if (dialect === 'hat-0.7') return Hat07Client;
  throw new JugglerError('unsupported-dialect', `cannot connect in the dialect ${JSON.stringify(dialect)}: only "hat-0.7" is known`);
}
