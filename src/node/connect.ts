import { WebSocket } from 'ws';
import { JugglerClient, type ClientOptions, type SocketLike } from '../client/juggler-client.js';
import { defaultLimits } from '../core/messages.js';

/**
 * Connects to a Juggler peer from Node: the browser client on a `ws` socket,
 * with the same reconnecting, queueing and hostile-input rules.
 */
export function connect(url: string | URL, options: Omit<ClientOptions, 'url' | 'createSocket'> = {}): JugglerClient {
  const limit = options.maxMessageSize ?? defaultLimits.maxMessageSize;
  const client = new JugglerClient({
    reconnectOnVisible: false,
    reconnectOnOnline: false,
    ...options,
    url,
    // Twice the limit: frames up to it reach the parser and get a typed error; ws cuts larger ones.
    createSocket: (address, protocols) => new WebSocket(address, protocols, { maxPayload: 2 * limit }) as unknown as SocketLike,
  });
  client.connect();
  return client;
}
