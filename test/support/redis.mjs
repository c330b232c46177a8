// Finds a redis-server for the tests that share a state across processes, installs
// Debian's `redis-server` where that is safe to do unasked (root, with apt-get), and
// starts and stops throwaway servers on loopback.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

const candidates = ['/usr/bin/redis-server', '/usr/local/bin/redis-server', '/opt/homebrew/bin/redis-server', '/snap/bin/redis-server'];

const installHint =
  'Install it (Debian/Ubuntu: `sudo apt-get install -y redis-server`; Fedora: `sudo dnf install redis`; ' +
  'macOS: `brew install redis`) or point REDIS_SERVER_PATH at a redis-server binary.';

function executable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The redis-server binary to use, or undefined. REDIS_SERVER_PATH wins when set. */
export function findRedisServer() {
  if (process.env.REDIS_SERVER_PATH) {
    if (executable(process.env.REDIS_SERVER_PATH)) return process.env.REDIS_SERVER_PATH;
    throw new Error(`REDIS_SERVER_PATH=${process.env.REDIS_SERVER_PATH} is not an executable file. ${installHint}`);
  }
  const inPath = (process.env.PATH ?? '').split(delimiter).filter(Boolean).map((dir) => join(dir, 'redis-server'));
  return [...inPath, ...candidates].find(executable);
}

/** Like findRedisServer, but installs Debian's redis-server when running as root with apt-get. */
export function ensureRedisServer() {
  const found = findRedisServer();
  if (found) return found;
  const canApt = process.getuid?.() === 0 && spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status === 0;
  if (!canApt) throw new Error(`No redis-server found for the tests. ${installHint}`);
  console.log('redis-server not found: installing Debian\'s "redis-server" package with apt-get…');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  // The package's own service is not wanted: the tests start their own servers.
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'redis-server'], { stdio: 'inherit', env });
  const installed = findRedisServer();
  if (!installed) throw new Error(`apt-get installed redis-server but no binary was found. ${installHint}`);
  return installed;
}

/** A free TCP port on loopback (the kernel picks one; it is free again when we return it). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function acceptsConnections(port) {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * Starts a redis-server on loopback with nothing saved on its own (`--save ''
 * --appendonly no`), in a folder of its own. `stop({ save: true })` writes its
 * data to that folder first (SHUTDOWN SAVE), so `start()` again on the same port
 * brings it back with its data, as a restarted server with persistence would;
 * `stop()` alone loses it, as a server without persistence does.
 */
export async function startRedis() {
  const binary = ensureRedisServer();
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'juggler-redis-'));
  let child;

  async function start() {
    child = spawn(binary, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    const deadline = Date.now() + 10_000;
    while (!(await acceptsConnections(port))) {
      if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode} before listening on ${port}`);
      if (Date.now() > deadline) throw new Error(`redis-server did not listen on ${port} within 10 s`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    child.exited = exited;
  }

  async function command(...args) {
    // redis-cli ships with redis-server; a raw RESP command would do as well.
    const cli = join(binary, '..', 'redis-cli');
    return execFileSync(executable(cli) ? cli : 'redis-cli', ['-p', String(port), ...args], { encoding: 'utf8' }).trim();
  }

  async function stop({ save = false } = {}) {
    if (!child || child.exitCode !== null) return;
    const exited = child.exited;
    if (save) {
      await command('SHUTDOWN', 'SAVE').catch(() => {});
    } else {
      child.kill('SIGKILL');
    }
    await exited;
  }

  await start();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    start,
    stop,
    command,
    async dispose() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    console.log(`Redis for tests: ${ensureRedisServer()}`);
  } catch (error) {
    console.error(error.message);
    process.exit(1);
  }
}
