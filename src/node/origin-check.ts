import type { IncomingMessage } from 'node:http';
import { isIPv4 } from 'node:net';

/**
 * Which pages may open a WebSocket to this server. Browsers send cookies with a
 * WebSocket handshake from any site, so without this check any page a user
 * visits could talk to the server as that user (cross-site WebSocket hijacking).
 *
 * - absent (the default): requests without an Origin (non-browser clients) and
 *   same-origin pages only; a server that listens on loopback also wants a
 *   loopback Host (or one of `allowedHosts`) for those, which stops DNS
 *   rebinding (a page on another domain that re-resolves to 127.0.0.1 is
 *   same-origin with itself);
 * - a list: those origins (as `https://example.com`), plus same-origin pages;
 * - `'*'`: any origin;
 * - a function: its answer.
 */
export type AllowedOrigins = readonly string[] | '*' | ((origin: string | undefined, request: IncomingMessage) => boolean);

/**
 * Host names (without port) that a server listening on loopback answers under
 * besides its loopback names, such as a reverse proxy's; `'*'` for any.
 */
export type AllowedHosts = readonly string[] | '*';

export function isOriginAllowed(
  request: IncomingMessage,
  allowed: AllowedOrigins | undefined,
  listeningOnLoopback = false,
  allowedHosts: AllowedHosts = [],
): boolean {
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
  // Same-origin by Host alone is what DNS rebinding fakes: on loopback, the host must be a loopback or an allowed name too.
  return sameOrigin && (!listeningOnLoopback || isHostAllowed(request, allowedHosts));
}

/**
 * Whether a plain HTTP request names a host this server answers under. A page on
 * another domain that re-resolves to 127.0.0.1 (DNS rebinding) can read whatever
 * a loopback server returns to it, since to the browser it is same-origin with
 * itself; only the Host header gives it away. So a server on loopback answers
 * loopback names, the hosts of the origins listed in `allowedOrigins`, and
 * `allowedHosts`; a server on other interfaces answers any name.
 */
export function isHostAllowed(
  request: IncomingMessage,
  allowedHosts: AllowedHosts = [],
  allowedOrigins?: AllowedOrigins,
  listeningOnLoopback = true,
): boolean {
  if (!listeningOnLoopback || allowedHosts === '*') return true;
  const name = hostName(request.headers.host ?? '').toLowerCase();
  if (isLoopback(name)) return true;
  const bare = name.replace(/\.$/, '');
  if (allowedHosts.some((host) => host.toLowerCase().replace(/\.$/, '') === bare)) return true;
  if (!Array.isArray(allowedOrigins)) return false;
  return allowedOrigins.some((origin) => {
    try {
      return new URL(origin).hostname === bare;
    } catch {
      return false;
    }
  });
}

const loopbackNames = /^(localhost|[\w-]+(\.[\w-]+)*\.localhost|127(\.\d{1,3}){3}|\[::1\]|::1)\.?$/i;

/** Whether an interface name or address is this machine's loopback. */
export function isLoopback(host: string): boolean {
  return loopbackNames.test(host);
}

/**
 * Whether an address a socket is bound to, as Node reports it (`127.0.0.1`,
 * `::1`, `::ffff:127.0.0.1`), is this machine's loopback. The address bound
 * tells, not how `host` was spelled: `127.1`, `2130706433`, `0:0:0:0:0:0:0:1`
 * or a host name in /etc/hosts all bind loopback too.
 */
export function isLoopbackAddress(address: string): boolean {
  const lower = address.toLowerCase();
  const v4 = lower.startsWith('::ffff:') ? lower.slice('::ffff:'.length) : lower;
  // Node reports IPv6 addresses in their shortest form.
  return (isIPv4(v4) && v4.startsWith('127.')) || lower === '::1';
}

/** The name part of a Host header (`[::1]` stays bracketed, as `isLoopback` expects). */
function hostName(host: string): string {
  return host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.replace(/:\d+$/, '');
}
