// Reading dist/custom-elements.json: shared by its config and the generators that start from it.

/** Every custom element of the manifest: its tag, class, and the module of each. */
export function customElementsOf(manifest) {
  return manifest.modules.flatMap((module) =>
    (module.declarations ?? [])
      .filter((declaration) => declaration.customElement && declaration.tagName)
      .map((declaration) => ({ tag: declaration.tagName, className: declaration.name, module: module.path, declaration })),
  );
}

/** Each tag with its class's module and its define module (`dist/elements/<tag>/<tag>-define.js`). */
export function tagModules(manifest) {
  return customElementsOf(manifest).map(({ tag, className, module }) => ({
    tag,
    className,
    classModule: module,
    defineModule: module.replace(/[^/]+\.js$/, `${tag}-define.js`),
  }));
}
