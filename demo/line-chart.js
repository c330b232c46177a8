// <line-chart>: a demo-only element that draws a sliding window of samples as
// SVG. `<juggler-bind property="samples">` hands it a new array on every change.
const width = 300;
const height = 80;

const template = document.createElement('template');
template.innerHTML = `
  <style>
    :host { display: flex; flex-direction: column; }
    svg { display: block; flex: 1; width: 100%; min-height: var(--line-chart-height, 5rem); overflow: visible; }
    .line { fill: none; stroke: var(--line-chart-color, currentColor); stroke-width: 2; vector-effect: non-scaling-stroke;
      stroke-linejoin: round; stroke-linecap: round; }
    .area { fill: var(--line-chart-color, currentColor); opacity: 0.12; }
    .grid { stroke: var(--line-chart-grid, #8883); stroke-width: 1; vector-effect: non-scaling-stroke; }
  </style>
  <svg viewBox="0 0 ${width} ${height}" preserveAspectRatio="none" role="img">
    <line class="grid" x1="0" x2="${width}" y1="${height / 4}" y2="${height / 4}"></line>
    <line class="grid" x1="0" x2="${width}" y1="${height / 2}" y2="${height / 2}"></line>
    <line class="grid" x1="0" x2="${width}" y1="${(3 * height) / 4}" y2="${(3 * height) / 4}"></line>
    <path class="area"></path>
    <path class="line"></path>
  </svg>`;

class LineChart extends HTMLElement {
  #samples = [];
  #frame = 0;

  set samples(samples) {
    this.#samples = Array.isArray(samples) ? samples : [];
    // Many changes in one frame draw once.
    this.#frame ||= requestAnimationFrame(() => this.#draw());
  }

  get samples() {
    return this.#samples;
  }

  connectedCallback() {
    // A value set before the element was defined sits in an own property that hides the setter.
    if (Object.hasOwn(this, 'samples')) {
      const samples = this.samples;
      delete this.samples;
      this.samples = samples;
    }
    if (!this.shadowRoot) this.attachShadow({ mode: 'open' }).append(template.content.cloneNode(true));
    this.#draw();
  }

  #draw() {
    this.#frame = 0;
    if (!this.shadowRoot) return;
    const samples = this.#samples;
    const min = Number(this.getAttribute('min') ?? Math.min(...samples));
    const max = Number(this.getAttribute('max') ?? Math.max(...samples));
    const span = max - min || 1;
    const step = width / Math.max(1, samples.length - 1);
    const points = samples.map((value, i) => `${(i * step).toFixed(1)},${(height - ((value - min) / span) * height).toFixed(1)}`);
    const line = points.length ? `M${points.join('L')}` : '';
    this.shadowRoot.querySelector('.line').setAttribute('d', line);
    this.shadowRoot.querySelector('.area').setAttribute('d', line ? `${line}L${width},${height}L0,${height}Z` : '');
    this.shadowRoot.querySelector('svg').setAttribute('aria-label', `${this.getAttribute('label') ?? 'chart'}: latest ${samples.at(-1) ?? 'unknown'}`);
  }
}

/** Registers the tag once. The bundled pages call it: a bare import of this file is dropped by bundlers, as the package declares no side effects here. */
export function defineLineChart() {
  if (!customElements.get('line-chart')) customElements.define('line-chart', LineChart);
}

defineLineChart();
