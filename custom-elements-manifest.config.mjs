// `cem analyze` turns the elements' JSDoc (@attr, @fires, @csspart, @cssprop,
// @cssstate, @slot) into dist/custom-elements.json for editors and framework tools.
export default {
  globs: ['src/elements/**/*.ts'],
  exclude: ['src/elements/**/*-define.ts', 'src/elements/define.ts', 'src/elements/index.ts'],
  outdir: 'dist',
  plugins: [
    {
      name: 'documented-events-only',
      // The analyzer also guesses events from dispatchEvent() calls, and guesses wrong
      // for event classes that take the name as a later argument: keep the @fires ones.
      packageLinkPhase({ customElementsManifest }) {
        for (const module of customElementsManifest.modules) {
          for (const declaration of module.declarations ?? []) {
            if (declaration.events) declaration.events = declaration.events.filter((event) => event.name && event.description);
          }
        }
      },
    },
  ],
};
