/** `juggler-elements/lit`: directives for your own Lit templates (Lit is needed, as a dependency of the kit). */
export { bind, type BindDirective, type BindOptions } from './bind.js';
