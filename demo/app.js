// The demo back-end: one shared state broadcast to every page at 10 Hz, and the
// pages' own local data folded back into it.
import { LocalState } from 'juggler-elements/node';

const windowSize = 200;
const tickMs = 100;

/** @param {import('juggler-elements/node').JugglerServer} server */
export default function demo(server) {
  const shared = new LocalState({ delay: tickMs });
  let tick = 0;
  shared.data = {
    tick,
    signal: Array.from({ length: windowSize }, (_, i) => sample(i)),
    setpoint: 50,
    note: '',
  };

  setInterval(() => {
    tick++;
    shared.setAt('/tick', tick);
    // Slide the window: two operations on the wire, whatever its length.
    shared.removeAt('/signal/0');
    shared.setAt('/signal/-', sample(tick + windowSize));
  }, tickMs).unref();

  server.addEventListener('connection', ({ peer }) => {
    peer.localState = shared;
    // A page writes its controls into its own local data; fold them into the shared state.
    peer.addEventListener('change', () => {
      const input = peer.remoteData;
      if (typeof input?.setpoint === 'number') shared.setAt('/setpoint', Math.min(100, Math.max(0, input.setpoint)));
      if (typeof input?.note === 'string') shared.setAt('/note', input.note.slice(0, 200));
    });
    peer.addEventListener('message', ({ payload }) => {
      if (payload?.action === 'reset') {
        tick = 0;
        shared.setAt('/tick', 0);
      }
      peer.send({ answer: `received ${JSON.stringify(payload)}`, at: new Date().toISOString() });
    });
  });
}

function sample(t) {
  return Math.round((Math.sin(t / 12) * 40 + Math.sin(t / 3.7) * 8 + 50) * 100) / 100;
}
