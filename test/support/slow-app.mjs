// An --app module that takes a while to load (as one that opens its database first does),
// and then shares a state with every connection.
import { LocalState } from 'juggler-elements/node';

await new Promise((resolve) => setTimeout(resolve, 400));

export default function app(server) {
  const shared = new LocalState({ delay: 0, data: { ready: true } });
  server.addEventListener('connection', ({ peer }) => (peer.localState = shared));
}
