#!/usr/bin/env node
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { openAppContext, type AppContext } from './app-context.js';
import { listen, type JugglerServer } from './listen.js';

const usage = `Usage: juggler-elements serve [folder] [options]

Serves a folder over HTTP with a Juggler WebSocket endpoint beside it, and runs
an application module that talks to the connections. Pages load the kit from
/juggler-elements.js (unless the folder has a file of that name).

Options:
  --port <n>       port to listen on (default: $PORT or 8080)
  --host <name>    interface to listen on (default: 127.0.0.1)
  --path <path>    WebSocket endpoint path (default: /ws)
  --app <module>   module whose default export is called with the server
  --delay <ms>     coalescing delay of each connection's local data (default: 100)
  --origin <url>   another origin allowed to connect (repeatable; "*" for any)
  --redis <url>    share the app's state with other processes through this Redis
                   (default: $REDIS_URL; without it the process is alone)
  -h, --help       show this help
`;

/**
 * The contract of an `--app` module: called with the server and an
 * {@link AppContext} (shared state and leases, through Redis with `--redis`).
 */
export type AppModule = { default: (server: JugglerServer, context: AppContext) => void | Promise<void> };

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
  const context = await openAppContext(values.redis ?? process.env.REDIS_URL, (text) => process.stderr.write(`juggler-elements: ${text}\n`));
  const app = values.app ? ((await import(pathToFileURL(resolve(values.app)).href)) as AppModule) : undefined;
  const server = await listen({
    staticDir: folder ?? '.',
    port: Number(values.port ?? process.env.PORT ?? 8080),
    host: values.host,
    path: values.path,
    delay: values.delay === undefined ? undefined : values.delay === 'manual' ? 'manual' : Number(values.delay),
    allowedOrigins: origins.includes('*') ? '*' : origins,
    extraFiles: {
      '/juggler-elements.js': fileURLToPath(new URL('../juggler-elements.js', import.meta.url)),
      '/juggler-elements.js.map': fileURLToPath(new URL('../juggler-elements.js.map', import.meta.url)),
    },
  });
  await app?.default(server, context);
  const stop = () => void Promise.all([server.close(), context.close()]).then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  process.stdout.write(`juggler-elements: serving ${resolve(folder ?? '.')} at ${server.httpUrl} (WebSocket ${server.url})\n`);
}

main(process.argv.slice(2)).catch((error: Error) => {
  process.stderr.write(`juggler-elements: ${error.message}\n`);
  process.exit(1);
});
