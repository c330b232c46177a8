import type { IncomingMessage } from 'node:http';

/**
 * Which pages may open a WebSocket to this server. Browsers send cookies with a
 * WebSocket handshake from any site, so without this check any page a user
 * visits could talk to the server as that user (cross-site WebSocket hijacking).
 *
 * - absent (the default): requests without an Origin (non-browser clients) and
 *   same-origin pages only;
 * - a list: those origins (as `https://example.com`), plus same-origin pages;
 * - `'*'`: any origin;
 * - a function: its answer.
 */
export type AllowedOrigins = readonly string[] | '*' | ((origin: string | undefined, request: IncomingMessage) => boolean);

export function isOriginAllowed(request: IncomingMessage, allowed: AllowedOrigins | undefined): boolean {
  const origin = request.headers.origin;
  if (typeof allowed === 'function') return allowed(origin, request);
  if (allowed === '*' || origin === undefined) return true;
  if (allowed?.includes(origin)) return true;
  try {
    return new URL(origin).host === request.headers.host;
  } catch {
    return false;
  }
}
