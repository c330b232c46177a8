/**
 * The base class of the kit's elements: `HTMLElement` where there is a DOM, and
 * an empty class elsewhere (Node, server-side rendering without a DOM shim), so
 * that importing the elements never throws. An element is only ever created in
 * a DOM, where the base is the real `HTMLElement`. Under Lit's SSR DOM shim the
 * shim's `HTMLElement` is used.
 */
export const ElementBase: typeof HTMLElement =
  globalThis.HTMLElement ?? (class {} as unknown as typeof HTMLElement);
