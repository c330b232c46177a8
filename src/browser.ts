/** The drop-in bundle (`/juggler-elements.js`): everything, with every tag defined. */
export * from './index.js';
import './elements/define.js';
