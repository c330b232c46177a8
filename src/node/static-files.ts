import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';

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
 * `index.html`. Paths that would leave `root` (`..`, encoded or not) are 404s.
 * `extra` maps more URL paths to files elsewhere, used where `root` has no file
 * of that name (the CLI serves the kit's browser bundle this way).
 */
export function serveStatic(
  root: string,
  extra: Readonly<Record<string, string>> = {},
): (request: IncomingMessage, response: ServerResponse) => Promise<void> {
  const base = resolve(root);
  return async (request, response) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return reply(response, 405, 'Method Not Allowed');
    let pathname: string;
    try {
      pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
    } catch {
      return reply(response, 400, 'Bad Request');
    }
    let file = resolve(base, `.${pathname}`);
    if (pathname.includes('\0') || (file !== base && !file.startsWith(base + sep))) return reply(response, 404, 'Not Found');
    try {
      let info = await stat(file).catch((error) => {
        if (!Object.hasOwn(extra, pathname)) throw error;
        file = extra[pathname];
        return stat(file);
      });
      if (info.isDirectory()) {
        file = join(file, 'index.html');
        info = await stat(file);
      }
      if (!info.isFile()) return reply(response, 404, 'Not Found');
      response.writeHead(200, {
        'content-type': contentTypes[extname(file).toLowerCase()] ?? 'application/octet-stream',
        'content-length': info.size,
        'cache-control': 'no-cache',
        'x-content-type-options': 'nosniff',
      });
      if (request.method === 'HEAD') return void response.end();
      // The file can still vanish or refuse to open after stat(): end this response, not the process.
      createReadStream(file)
        .on('error', () => response.destroy())
        .pipe(response);
    } catch {
      reply(response, 404, 'Not Found');
    }
  };
}

function reply(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  response.end(text);
}
