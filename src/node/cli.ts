#!/usr/bin/env node
import cluster from 'node:cluster';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { openAppContext, waitUntilReady, type AppModule } from './app-context.js';
import { parseCommandLine, UsageError, type ServeArgs } from './cli-args.js';
import { listen } from './listen.js';
import type { ServerLogger } from './server-log.js';
import { runWorkerPool, type ServingMessage } from './worker-pool.js';

const usage = `Usage: juggler-elements serve [folder] [options]

Runs a Juggler WebSocket endpoint and an application module that talks to the
connections. Pages load the kit from /juggler-elements.js (unless the folder
has a file of that name). With a folder, its files are served over HTTP too
(not its hidden files, nor anything outside it); without one, no files are.
Connections opened and closed, their errors, and refused requests are logged
to stderr, one line each.

Options:
  --port <n>       port to listen on, 0 to 65535 (default: $PORT or 8080)
  --host <name>    interface to listen on (default: 127.0.0.1)
  --path <path>    WebSocket endpoint path (default: /ws)
  --app <module>   module whose default export is called with the server
  --delay <ms>     coalescing delay of each connection's local data, in ms or
                   "manual" (default: 100)
  --origin <url>   another origin allowed to connect (repeatable; "*" for any)
  --allowed-host <name>
                   another Host name answered on loopback, e.g. a proxy's (repeatable)
  --redis <url>    share the app's state with other processes through this Redis
                   (default: $REDIS_URL; without it the process is alone)
  --workers <n>    serve the port from n processes (node:cluster), or "auto" for
                   one per core; more than one needs --redis (default: 1)
  -q, --quiet      log only refused requests and connection errors
  -v, --version    print the version
  -h, --help       show this help

Exit status: 0 when stopped by SIGINT or SIGTERM, 1 when the server cannot run
(the port is taken, the app module fails), 2 for a bad command line.
`;

/**
 * Which worker of `--workers` this process is, if it is one: its log lines say
 * so, and it tells its primary when it serves. Known by the variable the pool
 * sets, not by `cluster.isWorker`: under another cluster manager (pm2's
 * cluster mode) the command is a worker of that one, and runs as it would alone.
 */
const poolWorker = cluster.isWorker ? process.env.JUGGLER_WORKER : undefined;
const workerName = poolWorker === undefined ? '' : `worker ${poolWorker}: `;

/** Writes a line to stderr, as every message of the command is written. */
function say(text: string): void {
  process.stderr.write(`juggler-elements: ${workerName}${text}\n`);
}

/** The line saying where the command serves, on stdout; a worker's goes to the primary, which prints one for all. */
function announce(line: string): void {
  if (poolWorker !== undefined) process.send!({ type: 'juggler-elements:serving', line } satisfies ServingMessage);
  else process.stdout.write(`juggler-elements: ${line}\n`);
}

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/** The command's log: every event, or with --quiet only refusals and errors. */
function commandLogger(quiet: boolean): ServerLogger {
  return (level, message) => {
    if (!quiet || level !== 'info') say(message);
  };
}

async function serve(args: ServeArgs): Promise<void> {
  // Loaded before the server listens, so that no connection arrives before the app listens for it.
  const context = await openAppContext(args.redis, say);
  const app = args.app ? ((await import(pathToFileURL(resolve(args.app)).href)) as AppModule) : undefined;
  const server = await listen({
    // Only a folder named on the command line: serving the working directory by default exposes whatever is in it.
    staticDir: args.folder,
    serveBundle: true,
    port: args.port,
    host: args.host,
    path: args.path,
    delay: args.delay,
    allowedOrigins: args.origins.includes('*') ? '*' : args.origins,
    allowedHosts: args.allowedHosts,
    logger: commandLogger(args.quiet),
  });
  await app?.default(server, context);
  // Once: Ctrl-C reaches a worker both from the terminal and from its primary.
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    void Promise.all([server.close(), context.close()]).then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  // With Redis, connections get data once the shared state has loaded: say "serving" then (or after a bounded wait, saying why).
  await waitUntilReady(context, say);
  const what = args.folder === undefined ? 'the kit (no folder)' : resolve(args.folder);
  announce(`serving ${what} at ${server.httpUrl} (WebSocket ${server.url})`);
}

async function main(argv: string[]): Promise<void> {
  const request = parseCommandLine(argv, process.env);
  switch (request.command) {
    case 'help':
      return void process.stdout.write(usage);
    case 'version':
      return void process.stdout.write(`${version()}\n`);
    case 'usage':
      process.stdout.write(usage);
      process.exitCode = 2;
      return;
    case 'serve':
      if (request.serve.workers > 1 && poolWorker === undefined) {
        if (cluster.isWorker) throw new UsageError('--workers: this process is a worker of another cluster manager (pm2 cluster mode?); let it start the processes');
        const count = request.serve.workers;
        return runWorkerPool({ count, say, onServing: (line) => process.stdout.write(`juggler-elements: ${line}, ${count} workers\n`) });
      }
      return serve(request.serve);
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  // The message without the stack: a bad command line or a taken port is the user's to fix, not a bug to trace.
  say(error instanceof Error ? error.message : String(error));
  process.exit(error instanceof UsageError ? 2 : 1);
});
