import { createApp, ref } from 'vue';
import 'juggler-elements/define';
import { defineLineChart } from '../line-chart.js';

defineLineChart();

const app = createApp({
  template: '#app-template',
  setup() {
    const connection = ref(null);
    const slider = ref(null);
    const status = ref('connecting');
    const samples = ref([]);
    const setpoint = ref(50);
    const log = ref([]);

    function onChange(event) {
      samples.value = event.data?.signals?.temperature?.samples?.slice() ?? [];
      const shared = event.data?.controls?.setpoint;
      // Two-way: follow the shared value, except while the user holds the slider.
      if (typeof shared === 'number' && document.activeElement !== slider.value) setpoint.value = shared;
    }

    function onSetpoint() {
      connection.value.setAt('/setpoint', setpoint.value);
    }

    return { connection, slider, status, samples, setpoint, log, onChange, onSetpoint };
  },
});
// The juggler-* tags (and the demo's chart) are custom elements, not Vue components.
app.config.compilerOptions.isCustomElement = (tag) => tag.startsWith('juggler-') || tag === 'line-chart';
app.mount('#app');
