/**
 * The drop-in bundle (`/juggler-elements.js`): the protocol core, the client and
 * the elements' classes, with every tag defined. `JugglerController`, for your
 * own Lit components, is left out (a page of drop-in tags does not need it):
 * import it from `juggler-elements`.
 */
export * from './core/index.js';
export * from './client/index.js';
export * from './elements/index.js';
import './elements/define.js';
