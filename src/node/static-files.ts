import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, isAbsolute, join, relative, resolve, sep } from 'node:path';

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * Serves the files below `root` for GET and HEAD; a folder serves its
 * `index.html`. It serves only what really lies inside `root`: no path that
 * leaves it (`..`, encoded or not, or a symbolic link that points elsewhere:
 * the real path must lie inside the real root), and no hidden files or folders
 * (a name starting with a dot, such as `.env` or `.git`; `/.well-known/` is the
 * exception). Other paths are 404s.
 *
 * `extra` maps more URL paths to files elsewhere, used where `root` has no file
 * of that name, or alone when there is no `root` (the CLI serves the kit's
 * browser bundle this way).
 */
export function serveStatic(
  root: string | undefined,
  extra: Readonly<Record<string, string>> = {},
): (request: IncomingMessage, response: ServerResponse) => Promise<void> {
  const base = root === undefined ? undefined : resolve(root);
  return async (request, response) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return reply(response, 405, 'Method Not Allowed');
    let pathname: string;
    try {
      pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
    } catch {
      return reply(response, 400, 'Bad Request');
    }
    try {
      const found = (base !== undefined && (await fileInside(base, pathname))) || (Object.hasOwn(extra, pathname) && extra[pathname]);
      if (!found) return reply(response, 404, 'Not Found');
      const info = await stat(found);
      if (!info.isFile()) return reply(response, 404, 'Not Found');
      response.writeHead(200, {
        'content-type': contentTypes[extname(found).toLowerCase()] ?? 'application/octet-stream',
        'content-length': info.size,
        'cache-control': 'no-cache',
        'x-content-type-options': 'nosniff',
      });
      if (request.method === 'HEAD') return void response.end();
      // The file can still vanish or refuse to open after stat(): end this response, not the process.
      createReadStream(found)
        .on('error', () => response.destroy())
        .pipe(response);
    } catch {
      reply(response, 404, 'Not Found');
    }
  };
}

/**
 * The real path of the file `pathname` names below `base` (its `index.html` for
 * a folder), or undefined when there is none, it is hidden, or it lies outside.
 * Symbolic links are resolved before the check, so a link inside the folder
 * cannot lead out of it, nor to a hidden file inside it.
 */
async function fileInside(base: string, pathname: string): Promise<string | undefined> {
  if (pathname.includes('\0') || isHidden(pathname.split('/'))) return undefined;
  const realBase = await realpath(base).catch(() => undefined);
  if (realBase === undefined) return undefined;
  let file = await realpath(resolve(base, `.${pathname}`)).catch(() => undefined);
  if (file !== undefined && (await stat(file)).isDirectory()) {
    file = await realpath(join(file, 'index.html')).catch(() => undefined);
  }
  if (file === undefined) return undefined;
  const inside = relative(realBase, file);
  if (inside === '' || inside.startsWith(`..${sep}`) || inside === '..' || isAbsolute(inside)) return undefined;
  return isHidden(inside.split(sep)) ? undefined : file;
}

/** Whether a path (as its names) passes through a hidden file or folder, `.well-known` at the top aside. */
function isHidden(names: readonly string[]): boolean {
  const named = names.filter((name) => name !== '');
  return named.some((name, index) => name.startsWith('.') && !(index === 0 && name === '.well-known'));
}

function reply(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  response.end(text);
}
