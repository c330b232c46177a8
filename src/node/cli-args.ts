import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import type { Delay } from '../core/throttle.js';

/** A command line that cannot be run as given: reported in one line, exit code 2. */
export class UsageError extends Error {}

/** What the command line asks for. */
export type CliRequest =
  | { command: 'help' }
  | { command: 'version' }
  | { command: 'usage' }
  | { command: 'serve'; serve: ServeArgs };

/** The checked arguments of `juggler-elements serve`. */
export interface ServeArgs {
  folder: string | undefined;
  port: number;
  host: string | undefined;
  path: string | undefined;
  app: string | undefined;
  delay: Delay | undefined;
  origins: readonly string[];
  allowedHosts: readonly string[] | undefined;
  redis: string | undefined;
  /** Processes serving the port (node:cluster workers); 1 runs the server in this process. */
  workers: number;
  quiet: boolean;
}

const options = {
  port: { type: 'string' },
  host: { type: 'string' },
  path: { type: 'string' },
  app: { type: 'string' },
  delay: { type: 'string' },
  origin: { type: 'string', multiple: true },
  'allowed-host': { type: 'string', multiple: true },
  redis: { type: 'string' },
  workers: { type: 'string' },
  quiet: { type: 'boolean', short: 'q' },
  version: { type: 'boolean', short: 'v' },
  help: { type: 'boolean', short: 'h' },
} as const;

// The longest delay a timer keeps; Node turns a longer one into 1 ms.
const maxDelay = 2 ** 31 - 1;

/**
 * Reads and checks the command line (without `node` and the script). Throws a
 * {@link UsageError} for an unknown option, a missing value, a port that is not
 * an integer from 0 to 65535, a bad delay, a folder that is not one, or a
 * number of workers that is not a count from 1 to {@link maxWorkers} or
 * `auto` (one per core, `cores`), or more than one without Redis.
 */
export function parseCommandLine(argv: readonly string[], env: NodeJS.ProcessEnv, cores = availableParallelism()): CliRequest {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], allowPositionals: true, strict: true, options });
  } catch (error) {
    throw new UsageError(parseErrorText(error as Error & { code?: string }));
  }
  const { values, positionals } = parsed;
  if (values.help) return { command: 'help' };
  if (values.version) return { command: 'version' };
  const [command, folder, ...rest] = positionals;
  if (command === undefined) return { command: 'usage' };
  if (command !== 'serve') throw new UsageError(`unknown command "${command}" (the command is "serve")`);
  if (rest.length > 0) throw new UsageError(`one folder at most, not also "${rest[0]}"`);
  if (folder !== undefined) checkFolder(folder);
  const origins = values.origin ?? [];
  const redis = values.redis ?? env.REDIS_URL;
  const workers = values.workers === undefined ? 1 : parseWorkers(values.workers, cores);
  // Each worker holds its own replica of the app's state: without Redis to keep them in step, pages would see different states.
  if (workers > 1 && !redis) throw new UsageError(`--workers ${values.workers} needs --redis (or REDIS_URL): the workers share the app's state through Redis`);
  return {
    command: 'serve',
    serve: {
      folder,
      port: parsePort(values.port ?? env.PORT ?? '8080', values.port === undefined && env.PORT !== undefined ? 'PORT' : '--port'),
      host: values.host,
      path: values.path === undefined ? undefined : parsePath(values.path),
      app: values.app,
      delay: values.delay === undefined ? undefined : parseDelay(values.delay),
      origins: origins.includes('*') ? ['*'] : origins,
      allowedHosts: values['allowed-host'],
      redis,
      workers,
      quiet: values.quiet ?? false,
    },
  };
}

function parsePort(text: string, source: string): number {
  const port = /^\d{1,5}$/.test(text) ? Number(text) : NaN;
  if (!(port <= 65535)) throw new UsageError(`${source} must be an integer from 0 to 65535, not "${text}"`);
  return port;
}

/** More worker processes than this is a typo, not a plan: each holds a replica of the state and a Redis connection. */
export const maxWorkers = 256;

function parseWorkers(text: string, cores: number): number {
  if (text === 'auto') return Math.min(cores, maxWorkers);
  const count = /^\d{1,3}$/.test(text) ? Number(text) : NaN;
  if (!(count >= 1 && count <= maxWorkers)) throw new UsageError(`--workers must be a number from 1 to ${maxWorkers}, or "auto" (one per core), not "${text}"`);
  return count;
}

function parseDelay(text: string): Delay {
  if (text === 'manual') return 'manual';
  const delay = /^\d+(\.\d+)?$/.test(text) ? Number(text) : NaN;
  if (!(delay <= maxDelay)) throw new UsageError(`--delay must be a number of milliseconds from 0 to ${maxDelay}, or "manual", not "${text}"`);
  return delay;
}

function parsePath(text: string): string {
  if (!text.startsWith('/') || /[?#\s]/.test(text)) throw new UsageError(`--path must be a URL path starting with "/", not "${text}"`);
  return text;
}

function checkFolder(folder: string): void {
  const info = statSync(folder, { throwIfNoEntry: false });
  if (info === undefined) throw new UsageError(`no folder "${folder}"`);
  if (!info.isDirectory()) throw new UsageError(`"${folder}" is not a folder`);
}

/** `parseArgs`'s errors, shorter and in the command's words. */
function parseErrorText(error: Error & { code?: string }): string {
  // parseArgs names the option in quotes: '--frob', '--port <value>', '-q, --quiet'.
  const named = /'([^']*)'/.exec(error.message)?.[1] ?? '';
  const option = named.split(/[ ,]+/).filter((word) => word.startsWith('-')).at(-1) ?? named;
  if (error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `unknown option ${option} (see --help)`;
  if (error.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    if (error.message.includes('does not take')) return `option ${option} takes no value`;
    // parseArgs will not take "-1" as the value of "--delay -1": it could be an option.
    if (error.message.includes('ambiguous')) return `option ${option} needs a value (write ${option}=-… for one starting with "-")`;
    return `option ${option} needs a value`;
  }
  return error.message;
}
