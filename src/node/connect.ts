import { WebSocket } from 'ws';
import { JugglerClient, type ClientOptions, type SocketLike } from '../client/juggler-client.js';
import { defaultLimits } from '../core/messages.js';
import { jugglerErrorFromWs } from './ws-errors.js';

/**
 * Connects to a Juggler peer from Node: the browser client on a `ws` socket,
 * with the same reconnecting, queueing and hostile-input rules. Whatever the
 * server does (refuse the connection, answer with HTTP 404, never answer, send
 * frames that break the WebSocket rules), the client fires a typed `error` and
 * retries; nothing throws out of the process.
 */
export function connect(
  url: string | URL,
  options: Omit<ClientOptions, 'url' | 'createSocket' | 'describeSocketError'> = {},
): JugglerClient {
  const limit = options.maxMessageSize ?? defaultLimits.maxMessageSize;
  const client = new JugglerClient({
    reconnectOnVisible: false,
    reconnectOnOnline: false,
    ...options,
    url,
    // Twice the limit: frames up to it reach the parser and get a typed error; ws cuts larger ones.
    createSocket: (address, protocols) => new WebSocket(address, protocols, { maxPayload: 2 * limit }) as unknown as SocketLike,
    // ws's `error` events carry the Error, whose code says what went wrong.
    describeSocketError: (event) => jugglerErrorFromWs((event as Event & { error: Error }).error),
  });
  client.connect();
  return client;
}
