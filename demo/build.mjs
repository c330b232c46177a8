// Bundles the React 19 and Vue 3 example pages (`npm run build:demo`, part of `npm start`).
import { build } from 'esbuild';

const common = { bundle: true, minify: true, format: 'esm', target: 'es2022', sourcemap: true, logLevel: 'warning' };

await Promise.all([
  build({
    ...common,
    entryPoints: ['demo/react/app.jsx'],
    outfile: 'demo/react/bundle.js',
    jsx: 'automatic',
    define: { 'process.env.NODE_ENV': '"production"' },
  }),
  build({
    ...common,
    entryPoints: ['demo/vue/app.js'],
    outfile: 'demo/vue/bundle.js',
    // The build with the template compiler: this page writes its template in HTML.
    alias: { vue: 'vue/dist/vue.esm-bundler.js' },
    define: {
      'process.env.NODE_ENV': '"production"',
      __VUE_OPTIONS_API__: 'true',
      __VUE_PROD_DEVTOOLS__: 'false',
      __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false',
    },
  }),
]);
