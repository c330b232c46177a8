// The back-end of the multi-process tests: each page writes { id, counter } into its own
// local data; the back-end records the counter at /counters/<id> and appends `<id>:<counter>`
// to /log, in the state every process shares through Redis. A call to `pid` answers which
// process serves the page.
export default function app(server, context) {
  const shared = context.sharedState({
    key: process.env.JUGGLER_TEST_KEY ?? 'juggler-test',
    delay: 0,
    initialData: { counters: {}, log: [] },
    snapshotEvery: Number(process.env.JUGGLER_SNAPSHOT_EVERY ?? 1000),
    snapshotInterval: Number(process.env.JUGGLER_SNAPSHOT_INTERVAL ?? 100),
  });
  server.addEventListener('connection', ({ peer }) => {
    peer.localState = shared.state;
    peer.handle('pid', () => process.pid);
    peer.addEventListener('change', ({ data }) => {
      if (typeof data?.id !== 'string' || typeof data.counter !== 'number') return;
      shared.setAt(`/counters/${data.id}`, data.counter);
      shared.insertAt('/log/-', `${data.id}:${data.counter}`);
    });
  });
}
