// VS Code's HTML custom data, made from the manifest: tag and attribute
// completions with descriptions, and the choices of attributes whose type is
// a union of string literals (`source`: `remote`, `local`).
import { withDefault } from './framework-types.mjs';
import { customElementsOf } from './manifest-modules.mjs';

/** The string literals of a type such as `'remote' | 'local'` or `number | 'manual'`. */
export function literalValues(typeText = '') {
  return typeText
    .split('|')
    .map((part) => /^\s*'([^']*)'\s*$/.exec(part)?.[1])
    .filter((value) => value !== undefined);
}

const markdown = (value) => ({ kind: 'markdown', value });

export function vscodeCustomData(manifest) {
  return {
    version: 1.1,
    tags: customElementsOf(manifest).map(({ tag, declaration }) => ({
      name: tag,
      description: markdown([declaration.summary, declaration.description].filter(Boolean).join('\n\n')),
      attributes: (declaration.attributes ?? []).map((attribute) => {
        const values = literalValues(attribute.type?.text);
        return {
          name: attribute.name,
          description: markdown(withDefault(attribute)),
          ...(values.length > 0 && { values: values.map((name) => ({ name })) }),
        };
      }),
    })),
  };
}
