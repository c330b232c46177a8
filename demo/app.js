// The demo back-end: simulated plant signals, counters and a table of machines in
// one shared state, broadcast to every page at 10 Hz; the pages' controls folded
// back into it; messages answered with messages, and calls with results. Run several processes on one
// Redis (`--redis`) and they serve one state.

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

/**
 * One process or many: the command gives `context`, whose shared state and lease go
 * through Redis when it runs with `--redis` (every process on that Redis serves the
 * same state, and one of them runs the simulation), and stay in this process without.
 *
 * @param {import('juggler-elements/node').JugglerServer} server
 * @param {import('juggler-elements/node').AppContext} context
 */
export default function demo(server, context) {
  const shared = context.sharedState({ key: 'juggler-demo', delay: tickMs, initialData: initialData() });
  // The signals advance once per tick whatever the number of processes: only the lease holder moves them.
  const simulation = context.lease('juggler-demo:simulation', { ttl: 3000 });
  const processId = Math.random().toString(36).slice(2, 10);
  let tick = 0;
  let random = seeded(7);
  let resets = 0;
  // A process that takes the lease goes on from where the shared state is, not from its own start.
  let adopted = false;
  simulation.addEventListener('change', () => (adopted = false));

  const timer = setInterval(() => {
    const data = shared.data;
    if (!simulation.held || data === null) return;
    if (!adopted || (data.counters.resets ?? 0) !== resets) {
      // A page asked for a reset (on whichever process it is connected to) when resets moved.
      tick = adopted ? 0 : data.counters.ticks;
      random = seeded(7 + tick);
      resets = data.counters.resets ?? 0;
      adopted = true;
    }
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
      const { state: previous, load: previousLoad } = data.machines[index];
      const state = random() < 0.15 ? machineStates[Math.floor(random() * machineStates.length)] : previous;
      const load = state === 'running' ? clamp(previousLoad + (random() - 0.5) * 20, 5, 100) : 0;
      if (state !== previous) shared.setAt(`/machines/${index}/since`, tick);
      shared.setAt(`/machines/${index}/state`, state);
      shared.setAt(`/machines/${index}/load`, Math.round(load));
      if (state === 'maintenance' && previous !== 'maintenance') shared.incrementAt('/counters/alarms');
    }
    if (tick % 10 === 0) countViewers(data);
  }, tickMs);
  timer.unref();

  // Each process says how many pages it serves; the lease holder adds them up and forgets processes gone quiet.
  const report = () => shared.setAt(`/processes/${processId}`, { clients: server.connectionCount, seen: Date.now() });
  const heartbeat = setInterval(report, 1000);
  heartbeat.unref();
  shared.ready.then(report);

  function countViewers(data) {
    let clients = 0;
    for (const [id, { clients: count, seen }] of Object.entries(data.processes ?? {})) {
      if (Date.now() - seen > 5000) shared.removeAt(`/processes/${id}`);
      else clients += count;
    }
    if (clients !== data.counters.clients) shared.setAt('/counters/clients', clients);
  }

  // What pages ask for is folded here and written once per tick, not once per frame: a page can send
  // thousands of frames in one TCP read, and the shared state's writes are a back-end's to bound.
  const asked = { messages: 0, reset: false, controls: new Map() };
  const fold = setInterval(() => {
    if (asked.messages > 0) shared.incrementAt('/counters/messages', asked.messages);
    if (asked.reset) {
      shared.setAt('/counters/ticks', 0);
      shared.setAt('/counters/alarms', 0);
      shared.incrementAt('/counters/resets');
    }
    for (const [name, value] of asked.controls) shared.setAt(`/controls/${name}`, value);
    asked.messages = 0;
    asked.reset = false;
    asked.controls.clear();
  }, tickMs);
  fold.unref();

  /** What a page may call (`<juggler-send action="ping">`): each answers with a result, or fails with its error. */
  const actions = {
    ping: () => {
      asked.messages++;
      return { level: 'info', text: `Pong: the back-end answered at tick ${shared.data?.counters.ticks ?? 0}.` };
    },
  };

  server.addEventListener('connection', ({ peer }) => {
    peer.localState = shared.state;
    for (const [name, handler] of Object.entries(actions)) peer.handle(name, handler);
    report();
    peer.addEventListener('close', report);

    // A page writes its controls into its own local data; fold what changed into the shared state.
    peer.addEventListener('change', ({ data, paths }) => {
      for (const [name, valid] of Object.entries(controls)) {
        const touched = paths.some((path) => path === '' || path === `/${name}`);
        if (touched && data !== null && valid(data[name])) asked.controls.set(name, data[name]);
      }
    });

    peer.addEventListener('message', ({ payload }) => {
      asked.messages++;
      switch (payload?.action) {
        case 'reset':
          asked.reset = true;
          return peer.send({ level: 'info', text: 'Counters reset.' });
        case 'ping':
          return peer.send({ level: 'info', text: `Pong: the back-end answered at tick ${shared.data?.counters.ticks ?? 0}.` });
        case 'note':
          return peer.send({ level: 'info', text: `Note received: “${typeof payload.text === 'string' ? payload.text.slice(0, 80) : ''}”` });
        default:
          return peer.send({ level: 'warning', text: `Unknown request ${JSON.stringify(payload).slice(0, 80)}` });
      }
    });
  });
}

/** The state a new deployment starts from (with Redis: only when Redis holds none yet). */
function initialData() {
  const random = seeded(7);
  return {
    signals: Object.fromEntries(
      Object.entries(signals).map(([name, signal]) => {
        const samples = Array.from({ length: windowSize }, (_, i) => sample(signal, i - windowSize, random));
        return [name, { unit: signal.unit, value: samples.at(-1), samples }];
      }),
    ),
    counters: { ticks: 0, messages: 0, clients: 0, alarms: 0, resets: 0 },
    controls: { setpoint: 50, mode: 'auto', enabled: true, label: 'Line 1' },
    machines: machineNames.map((name, i) => ({ id: i + 1, name, state: 'running', load: 40 + i * 7, since: 0 })),
    processes: {},
  };
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
