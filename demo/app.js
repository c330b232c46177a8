// The demo back-end: simulated plant signals, counters and a table of machines in
// one shared state, broadcast to every page at 10 Hz; the pages' controls folded
// back into it; messages answered with messages.
import { LocalState } from 'juggler-elements/node';

const tickMs = 100;
const windowSize = 120;

const signals = {
  temperature: { unit: '°C', base: 62, swing: 14, noise: 1.2, period: 90 },
  pressure: { unit: 'bar', base: 4.2, swing: 1.1, noise: 0.08, period: 140 },
  flow: { unit: 'm³/h', base: 38, swing: 18, noise: 2.5, period: 60 },
};

const machineNames = ['Mixer', 'Press', 'Oven', 'Cooler', 'Packer', 'Labeler'];
const machineStates = ['running', 'running', 'running', 'idle', 'maintenance'];

/** What a page may set through its own local data, with the check each value must pass. */
const controls = {
  setpoint: (value) => typeof value === 'number' && value >= 0 && value <= 100,
  mode: (value) => value === 'auto' || value === 'manual' || value === 'eco',
  enabled: (value) => typeof value === 'boolean',
  label: (value) => typeof value === 'string' && value.length <= 60,
};

/** @param {import('juggler-elements/node').JugglerServer} server */
export default function demo(server) {
  const shared = new LocalState({ delay: tickMs });
  let tick = 0;
  let random = seeded(7);

  shared.data = {
    signals: Object.fromEntries(
      Object.entries(signals).map(([name, signal]) => {
        const samples = Array.from({ length: windowSize }, (_, i) => sample(signal, i - windowSize, random));
        return [name, { unit: signal.unit, value: samples.at(-1), samples }];
      }),
    ),
    counters: { ticks: 0, messages: 0, clients: 0, alarms: 0 },
    controls: { setpoint: 50, mode: 'auto', enabled: true, label: 'Line 1' },
    machines: machineNames.map((name, i) => ({ id: i + 1, name, state: 'running', load: 40 + i * 7, since: 0 })),
  };

  const timer = setInterval(() => {
    tick++;
    for (const [name, signal] of Object.entries(signals)) {
      const value = sample(signal, tick, random);
      // The window slides by one sample: two operations on the wire, whatever its length.
      shared.removeAt(`/signals/${name}/samples/0`);
      shared.setAt(`/signals/${name}/samples/-`, value);
      shared.setAt(`/signals/${name}/value`, value);
    }
    shared.setAt('/counters/ticks', tick);
    if (tick % 5 === 0) {
      const index = Math.floor(random() * machineNames.length);
      const { state: previous, load: previousLoad } = shared.data.machines[index];
      const state = random() < 0.15 ? machineStates[Math.floor(random() * machineStates.length)] : previous;
      const load = state === 'running' ? clamp(previousLoad + (random() - 0.5) * 20, 5, 100) : 0;
      if (state !== previous) shared.setAt(`/machines/${index}/since`, tick);
      shared.setAt(`/machines/${index}/state`, state);
      shared.setAt(`/machines/${index}/load`, Math.round(load));
      if (state === 'maintenance' && previous !== 'maintenance') shared.setAt('/counters/alarms', shared.data.counters.alarms + 1);
    }
  }, tickMs);
  timer.unref();

  server.addEventListener('connection', ({ peer }) => {
    peer.localState = shared;
    shared.setAt('/counters/clients', server.peers.size);
    peer.addEventListener('close', () => shared.setAt('/counters/clients', server.peers.size));

    // A page writes its controls into its own local data; fold what changed into the shared state.
    peer.addEventListener('change', ({ data, paths }) => {
      for (const [name, valid] of Object.entries(controls)) {
        const touched = paths.some((path) => path === '' || path === `/${name}`);
        if (touched && data !== null && valid(data[name])) shared.setAt(`/controls/${name}`, data[name]);
      }
    });

    peer.addEventListener('message', ({ payload }) => {
      shared.setAt('/counters/messages', shared.data.counters.messages + 1);
      switch (payload?.action) {
        case 'reset':
          tick = 0;
          random = seeded(7);
          shared.setAt('/counters/ticks', 0);
          shared.setAt('/counters/alarms', 0);
          return peer.send({ level: 'info', text: 'Counters reset.' });
        case 'ping':
          return peer.send({ level: 'info', text: `Pong: the back-end answered at tick ${tick}.` });
        case 'note':
          return peer.send({ level: 'info', text: `Note received: “${typeof payload.text === 'string' ? payload.text.slice(0, 80) : ''}”` });
        default:
          return peer.send({ level: 'warning', text: `Unknown request ${JSON.stringify(payload).slice(0, 80)}` });
      }
    });
  });
}

function sample({ base, swing, noise, period }, t, random) {
  const value = base + swing * Math.sin((2 * Math.PI * t) / period) + noise * (random() * 2 - 1);
  return Math.round(value * 100) / 100;
}

function clamp(value, low, high) {
  return Math.min(high, Math.max(low, value));
}

/** A small deterministic generator, so the demo looks the same on every start. */
function seeded(seed) {
  let state = seed;
  return () => {
    state = (state * 1664525 + 1013904223) % 4294967296;
    return state / 4294967296;
  };
}
