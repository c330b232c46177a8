#!/usr/bin/env node
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { openAppContext, waitUntilReady, type AppModule } from './app-context.js';
import { listen } from './listen.js';

const usage = `Usage: juggler-elements serve [folder] [options]

Runs a Juggler WebSocket endpoint and an application module that talks to the
connections. Pages load the kit from /juggler-elements.js (unless the folder
has a file of that name). With a folder, its files are served over HTTP too
(not its hidden files, nor anything outside it); without one, no files are.

Options:
  --port <n>       port to listen on (default: $PORT or 8080)
  --host <name>    interface to listen on (default: 127.0.0.1)
  --path <path>    WebSocket endpoint path (default: /ws)
  --app <module>   module whose default export is called with the server
  --delay <ms>     coalescing delay of each connection's local data (default: 100)
  --origin <url>   another origin allowed to connect (repeatable; "*" for any)
  --allowed-host <name>
                   another Host name answered on loopback, e.g. a proxy's (repeatable)
  --redis <url>    share the app's state with other processes through this Redis
                   (default: $REDIS_URL; without it the process is alone)
  -h, --help       show this help
`;


async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      path: { type: 'string' },
      app: { type: 'string' },
      delay: { type: 'string' },
      origin: { type: 'string', multiple: true },
      'allowed-host': { type: 'string', multiple: true },
      redis: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, folder] = positionals;
  if (values.help || command !== 'serve') {
    process.stdout.write(usage);
    process.exitCode = values.help ? 0 : 2;
    return;
  }
  const origins = values.origin ?? [];
  // Loaded before the server listens, so that no connection arrives before the app listens for it.
  const log = (text: string) => process.stderr.write(`juggler-elements: ${text}\n`);
  const context = await openAppContext(values.redis ?? process.env.REDIS_URL, log);
  const app = values.app ? ((await import(pathToFileURL(resolve(values.app)).href)) as AppModule) : undefined;
  const server = await listen({
    // Only a folder named on the command line: serving the working directory by default exposes whatever is in it.
    staticDir: folder,
    port: Number(values.port ?? process.env.PORT ?? 8080),
    host: values.host,
    path: values.path,
    delay: values.delay === undefined ? undefined : values.delay === 'manual' ? 'manual' : Number(values.delay),
    allowedOrigins: origins.includes('*') ? '*' : origins,
    allowedHosts: values['allowed-host'],
    extraFiles: {
      '/juggler-elements.js': fileURLToPath(new URL('../juggler-elements.js', import.meta.url)),
      '/juggler-elements.js.map': fileURLToPath(new URL('../juggler-elements.js.map', import.meta.url)),
    },
  });
  await app?.default(server, context);
  const stop = () => void Promise.all([server.close(), context.close()]).then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  // With Redis, connections get data once the shared state has loaded: say "serving" then (or after a bounded wait, saying why).
  await waitUntilReady(context, log);
  const what = folder === undefined ? 'the kit (no folder)' : resolve(folder);
  process.stdout.write(`juggler-elements: serving ${what} at ${server.httpUrl} (WebSocket ${server.url})\n`);
}

main(process.argv.slice(2)).catch((error: Error) => {
  process.stderr.write(`juggler-elements: ${error.message}\n`);
  process.exit(1);
});
