import type { IncomingMessage } from 'node:http';

/**
 * Which pages may open a WebSocket to this server. Browsers send cookies with a
 * WebSocket handshake from any site, so without this check any page a user
 * visits could talk to the server as that user (cross-site WebSocket hijacking).
 *
 * - absent (the default): requests without an Origin (non-browser clients) and
 *   same-origin pages only (and, for a server on loopback, only requests that
 *   name a loopback host: see {@link isHostAllowed});
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

const loopbackNames = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\]|::1)$/i;

/** Whether an interface name or address is this machine's loopback. */
export function isLoopback(host: string): boolean {
  return loopbackNames.test(host);
}

/**
 * For a server that listens on loopback only: the request must name a loopback
 * host. A page on an attacker's domain that re-resolves to 127.0.0.1 (DNS
 * rebinding) is then same-origin with itself but sends its own Host, and is
 * refused.
 */
export function isHostAllowed(request: IncomingMessage, listeningOnLoopback: boolean): boolean {
  if (!listeningOnLoopback) return true;
  const host = request.headers.host ?? '';
  const name = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.replace(/:\d+$/, '');
  return isLoopback(name);
}
