// Type-checked by `npm run typecheck`, never run: the Node peer's data types under `strict`.
import { listen, LocalState, type JugglerPeer } from '../../src/node/index.js';

interface Plant {
  count: number;
  mode?: 'auto' | 'manual';
}
interface Page {
  request?: { mode?: string };
}

export async function serve(): Promise<void> {
  const shared = new LocalState({ delay: 100, data: { count: 0 } });
  shared.setAt('/count', shared.data.count + 1);
  // @ts-expect-error: the data has no such member
  shared.data.cont;

  const typed = new LocalState<Plant>({ data: { count: 0 } });
  // @ts-expect-error: a whole document must have the declared shape
  typed.replace({ count: 'many' });

  const server = await listen<Plant, Page>({ port: 0, sharedState: typed });
  server.addEventListener('connection', (event) => {
    const peer: JugglerPeer<Plant, Page> = event.peer;
    const asked: string | undefined = peer.remoteData?.request?.mode;
    peer.addEventListener('change', ({ data }) => data?.request?.mode === asked);
    peer.addEventListener('message', ({ payload }) => peer.send({ echo: payload }));
    event.request.headers.origin?.toUpperCase();
    // @ts-expect-error: the connection event has no such field
    event.socket;
  });
  for (const peer of server.peers) peer.localData.count.toFixed();

  // Without type parameters everything is JSON, as before.
  const plain = await listen({ port: 0 });
  plain.addEventListener('connection', ({ peer }) => peer.addEventListener('change', ({ data, paths }) => [data, paths.length]));
}
