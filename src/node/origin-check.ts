import type { IncomingMessage } from 'node:http';

/**
 * Which pages may open a WebSocket to this server. Browsers send cookies with a
 * WebSocket handshake from any site, so without this check any page a user
 * visits could talk to the server as that user (cross-site WebSocket hijacking).
 *
 * - absent (the default): requests without an Origin (non-browser clients) and
 *   same-origin pages only; a server that listens on loopback also wants a
 *   loopback Host for those, which stops DNS rebinding (a page on another
 *   domain that re-resolves to 127.0.0.1 is same-origin with itself);
 * - a list: those origins (as `https://example.com`), plus same-origin pages;
 * - `'*'`: any origin;
 * - a function: its answer.
 */
export type AllowedOrigins = readonly string[] | '*' | ((origin: string | undefined, request: IncomingMessage) => boolean);

export function isOriginAllowed(request: IncomingMessage, allowed: AllowedOrigins | undefined, listeningOnLoopback = false): boolean {
  const origin = request.headers.origin;
  if (typeof allowed === 'function') return allowed(origin, request);
  if (allowed === '*' || origin === undefined) return true;
  if (allowed?.includes(origin)) return true;
  let sameOrigin: boolean;
  try {
    sameOrigin = new URL(origin).host === request.headers.host;
  } catch {
    return false;
  }
  // Same-origin by Host alone is what DNS rebinding fakes: on loopback, the host must be a loopback name too.
  return sameOrigin && (!listeningOnLoopback || isLoopbackHost(request.headers.host ?? ''));
}

const loopbackNames = /^(localhost|[\w-]+(\.[\w-]+)*\.localhost|127(\.\d{1,3}){3}|\[::1\]|::1)\.?$/i;

/** Whether an interface name or address is this machine's loopback. */
export function isLoopback(host: string): boolean {
  return loopbackNames.test(host);
}

/** Whether a Host header (name and port) names this machine's loopback. */
function isLoopbackHost(host: string): boolean {
  const name = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.replace(/:\d+$/, '');
  return isLoopback(name);
}
