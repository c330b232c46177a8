import type { JsonValue } from '../../core/json.js';

/**
 * Whether `value` must not be set as the property or attribute `name`: a peer's
 * values are data, never script or markup. Refused: event handler attributes
 * (`on…`), `srcdoc`, `innerHTML` and `outerHTML` whatever the value, and in the
 * names a browser follows as a URL, a `javascript:`, `vbscript:` or `data:`
 * address. Relative URLs, and any that do not parse, are left as they are.
 */
export function refusedSink(name: string, value: JsonValue | undefined, isAttribute: boolean): boolean {
  if (/^((inner|outer)html|srcdoc)$/i.test(name) || (isAttribute && /^on/i.test(name))) return true;
  if (typeof value != 'string' || !/^(href|src|action|formaction|xlink:href|poster|data|ping|background|cite)$/i.test(name)) return false;
  try {
    // The parsed protocol is lower case, with the tabs, new lines and spaces a browser skips taken out.
    return /^(javascript|vbscript|data):$/.test(new URL(value, document.baseURI).protocol);
  } catch {
    return false;
  }
}
