import { useRef, useState } from 'react';
import { createRoot } from 'react-dom/client';
import 'juggler-elements/define';
import { defineLineChart } from '../line-chart.js';

defineLineChart();

function App() {
  const connection = useRef(null);
  const slider = useRef(null);
  const [status, setStatus] = useState('connecting');
  const [samples, setSamples] = useState([]);
  const [setpoint, setSetpoint] = useState(50);
  const [log, setLog] = useState([]);

  // React 19 listens to custom events by their lower-case names, and sets properties.
  function onChange(event) {
    const data = event.data;
    setSamples(data?.signals?.temperature?.samples?.slice() ?? []);
    const shared = data?.controls?.setpoint;
    // Two-way: follow the shared value, except while the user holds the slider.
    if (typeof shared === 'number' && document.activeElement !== slider.current) setSetpoint(shared);
  }

  function onSetpoint(event) {
    const value = event.target.valueAsNumber;
    setSetpoint(value);
    connection.current.setAt('/setpoint', value);
  }

  return (
    <juggler-connection
      ref={connection}
      url="/ws"
      delay="100"
      onjuggler-status={(event) => setStatus(event.status)}
      onjuggler-change={onChange}
      onjuggler-message={(event) => setLog((lines) => [event.payload.text, ...lines].slice(0, 5))}
    >
      <header>
        <h1>React 19</h1>
        <p>
          Status from <code>onjuggler-status</code>: <strong data-testid="status">{status}</strong>
        </p>
      </header>
      <section>
        <h2>
          Temperature <juggler-bind path="/signals/temperature/value">–</juggler-bind> °C
        </h2>
        {/* A property set by React: the samples array from the last juggler-change. */}
        <line-chart samples={samples} min="40" max="85" label="Temperature"></line-chart>
      </section>
      <section>
        <label>
          Setpoint (React state, two-way) <output data-testid="setpoint">{setpoint}</output>
          <input ref={slider} type="range" min="0" max="100" value={setpoint} onChange={onSetpoint} />
        </label>
        <label>
          Mode (bound by the kit)
          <juggler-bind path="/controls/mode" write-path="/mode">
            <select>
              <option value="auto">Automatic</option>
              <option value="manual">Manual</option>
              <option value="eco">Eco</option>
            </select>
          </juggler-bind>
        </label>
      </section>
      <section>
        <juggler-send message='{"action": "ping"}'>
          <button type="button">Ping the back-end</button>
        </juggler-send>
        <ul data-testid="log">
          {log.map((line, i) => (
            <li key={`${i}-${line}`}>{line}</li>
          ))}
        </ul>
      </section>
      <p>
        <a href="/">Dashboard</a> · <a href="/vue/">Vue 3</a>
      </p>
    </juggler-connection>
  );
}

createRoot(document.getElementById('app')).render(<App />);
