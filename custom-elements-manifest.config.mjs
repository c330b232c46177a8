// `cem analyze` turns the elements' JSDoc (@attr with {type} and [name=default],
// @fires with the event's class, @csspart, @cssprop, @cssstate, @slot) into
// dist/custom-elements.json for editors and framework tools. The plugin below
// makes it describe the package as shipped (see its steps).
import { tagModules } from './scripts/manifest-modules.mjs';

export default {
  globs: ['src/elements/**/*.ts'],
  exclude: ['src/elements/**/*-define.ts', 'src/elements/define.ts', 'src/elements/index.ts'],
  outdir: 'dist',
  plugins: [
    {
      name: 'juggler-elements: the manifest of the built package',
      packageLinkPhase({ customElementsManifest: manifest }) {
        manifest.schemaVersion = '2.1.0';
        for (const module of manifest.modules) {
          for (const declaration of module.declarations ?? []) tidyDeclaration(declaration);
          for (const exported of module.exports ?? []) builtReference(exported.declaration);
          module.path = builtPath(module.path);
        }
        // The define modules register the tags: say so, as the definitions tools look for.
        for (const { tag, className, classModule, defineModule } of tagModules(manifest)) {
          const declaration = { name: className, module: classModule };
          manifest.modules.push({
            kind: 'javascript-module',
            path: defineModule,
            declarations: [],
            exports: [
              { kind: 'custom-element-definition', name: tag, declaration },
              { kind: 'js', name: className, declaration },
            ],
          });
        }
      },
    },
  ],
};

/** `src/x/y.ts` (or `/src/x/y.js`, as the analyzer writes references) -> `dist/x/y.js`. */
function builtPath(path) {
  return path.replace(/^\/?src\//, 'dist/').replace(/\.ts$/, '.js');
}

function builtReference(reference) {
  if (reference?.module) reference.module = builtPath(reference.module);
}

/** `{@link Name}` reads as `Name` in tools that show markdown. */
function plainText(text) {
  return text?.replace(/\{@link\s+([^}\s|]+)(?:[\s|]+([^}]*))?\}/g, (_, target, label) => `\`${label?.trim() || target}\``);
}

function tidyDeclaration(declaration) {
  // The analyzer also guesses events from dispatchEvent() calls, and guesses wrong
  // for event classes that take the name as a later argument: keep the @fires ones.
  if (declaration.events) declaration.events = declaration.events.filter((event) => event.name && event.description);
  // Private (#) members are nobody's business outside the class.
  if (declaration.members) declaration.members = declaration.members.filter((member) => !member.name.startsWith('#'));
  // The elements extend HTMLElement where there is a DOM (element-base.ts).
  if (declaration.superclass?.name === 'ElementBase') declaration.superclass = { name: 'HTMLElement', package: 'global:' };
  builtReference(declaration.superclass);
  const fields = new Set((declaration.members ?? []).filter((member) => member.kind === 'field' && !member.static).map((member) => member.name));
  for (const attribute of declaration.attributes ?? []) {
    // Attributes with a property of the same meaning (item-key -> itemKey).
    const field = attribute.name.replace(/-([a-z])/g, (_, letter) => letter.toUpperCase());
    if (fields.has(field)) attribute.fieldName = field;
  }
  for (const item of [declaration, ...['members', 'attributes', 'events', 'slots', 'cssParts', 'cssProperties', 'cssStates'].flatMap((key) => declaration[key] ?? [])]) {
    for (const key of ['description', 'summary']) if (item[key]) item[key] = plainText(item[key]);
    for (const parameter of item.parameters ?? []) if (parameter.description) parameter.description = plainText(parameter.description);
    if (item.return?.description) item.return.description = plainText(item.return.description);
    builtReference(item.inheritedFrom);
  }
}
