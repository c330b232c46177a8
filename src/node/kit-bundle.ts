import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Where the kit's browser bundle may lie, relative to this module: beside the
 * built `dist/node/` (the package as installed or built), or, for this module
 * run from `src/node/` (under tsx), in the package's `dist/`.
 */
const bundleLocations = ['../juggler-elements.js', '../../dist/juggler-elements.js'];

/**
 * The URL paths of the kit's browser bundles, `/juggler-elements.js` and
 * `/juggler-inspector.js` (loaded on demand, beside it) with their source maps,
 * mapped to the built files, for {@link serveStatic}'s `extra`. Empty when the
 * package has not been built (no bundle to serve: those paths are 404s, as any
 * other missing file).
 */
export function kitBundleFiles(): Record<string, string> {
  for (const location of bundleLocations) {
    const bundle = fileURLToPath(new URL(location, import.meta.url));
    if (!existsSync(bundle)) continue;
    const inspector = bundle.replace(/juggler-elements\.js$/, 'juggler-inspector.js');
    return {
      '/juggler-elements.js': bundle,
      '/juggler-elements.js.map': `${bundle}.map`,
      '/juggler-inspector.js': inspector,
      '/juggler-inspector.js.map': `${inspector}.map`,
    };
  }
  return {};
}
