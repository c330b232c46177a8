/** The registry of this realm, or undefined where there is none (Node, SSR without a DOM shim). */
export function defaultRegistry(): CustomElementRegistry | undefined {
  return globalThis.customElements;
}

/**
 * Registers `element` as `tag` in `registry`. Nothing happens when the tag is
 * already this class (a second call, or a module loaded twice), nor where there
 * is no registry. Another class under the tag is a mistake worth hearing about:
 * it throws, naming both.
 */
export function defineElement(element: CustomElementConstructor, tag: string, registry = defaultRegistry()): void {
  if (!registry) return;
  const existing = registry.get(tag);
  if (existing === element) return;
  if (existing) {
    // Two copies of the kit on a page, or another library's element under the same name.
    throw new Error(`<${tag}> is already defined by another class (${existing.name || 'anonymous'}): pass define() another tag`);
  }
  registry.define(tag, element);
}

/**
 * What the `juggler-elements/define` modules do: registers `element` as `tag`
 * unless the tag is taken, by this class or another copy of the kit (two
 * copies on a page must not throw when both are loaded).
 */
export function defineIfFree(element: CustomElementConstructor, tag: string, registry = defaultRegistry()): void {
  if (registry && !registry.get(tag)) registry.define(tag, element);
}
