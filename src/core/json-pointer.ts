import { JugglerError } from './errors.js';

/**
 * Recently parsed pointers. A page binds and writes the same few paths over and
 * over, and every patch names them again, so parsing each once pays off. Bounded
 * so a peer sending endless distinct paths cannot grow it.
 */
const parsed = new Map<string, readonly string[]>();
const maxParsed = 2048;
const maxCachedLength = 256;

/**
 * Splits an RFC 6901 JSON Pointer into unescaped reference tokens (shared: do
 * not mutate). Every token is allowed, `__proto__` and `constructor` included:
 * they are a peer's data like any other key, and everything that follows a
 * pointer reads and writes own properties only, so no token reaches a prototype.
 */
export function parsePointer(pointer: unknown): readonly string[] {
  if (typeof pointer !== 'string') {
    throw new JugglerError('invalid-path', `a JSON Pointer must be a string, got ${typeof pointer}`);
  }
  let tokens = parsed.get(pointer);
  if (tokens === undefined) {
    tokens = splitPointer(pointer);
    if (pointer.length > maxCachedLength) return tokens;
    if (parsed.size >= maxParsed) parsed.clear();
    parsed.set(pointer, tokens);
  }
  return tokens;
}

function splitPointer(pointer: string): readonly string[] {
  if (pointer === '') return [];
  if (pointer[0] !== '/') {
    throw new JugglerError('invalid-path', `JSON Pointer ${JSON.stringify(pointer)} must start with "/"`);
  }
  const tokens = pointer.slice(1).split('/');
  for (let i = 0; i < tokens.length; i++) {
    const raw = tokens[i];
    if (raw.includes('~')) {
      if (/~[^01]|~$/.test(raw)) {
        throw new JugglerError('invalid-path', `JSON Pointer ${JSON.stringify(pointer)} has a bad "~" escape`);
      }
      tokens[i] = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    }
  }
  return Object.freeze(tokens);
}

/** Escapes one reference token for use in a JSON Pointer. */
export function escapeToken(token: string): string {
  return token.includes('~') || token.includes('/') ? token.replace(/~/g, '~0').replace(/\//g, '~1') : token;
}

/** Joins a parent pointer and one more (unescaped) token. */
export function childPointer(parent: string, token: string | number): string {
  return `${parent}/${typeof token === 'number' ? token : escapeToken(token)}`;
}

/** Builds a pointer from unescaped tokens. */
export function formatPointer(tokens: readonly string[]): string {
  let pointer = '';
  for (const token of tokens) pointer = childPointer(pointer, token);
  return pointer;
}

/**
 * Reads an array index token as RFC 6902 allows it: digits without leading
 * zeros. Returns -1 for anything else (including "-", which callers handle).
 */
export function arrayIndex(token: string): number {
  if (!/^(0|[1-9][0-9]{0,15})$/.test(token)) return -1;
  return Number(token);
}

/**
 * True when `path` is `ancestor` itself or lies below it. Pointers are compared
 * as text: "/a/b" is below "/a" but "/ab" is not.
 */
export function isAtOrBelow(path: string, ancestor: string): boolean {
  return path === ancestor || (path.startsWith(ancestor) && path[ancestor.length] === '/');
}
