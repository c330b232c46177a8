// Finds a redis-server for the tests that share a state across processes, installs
// Debian's `redis-server` where that is safe to do unasked (root, with apt-get), and
// starts and stops throwaway servers on loopback.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBinary, findBinary } from './system-binary.mjs';

const redisServer = {
  what: 'redis-server',
  envVar: 'REDIS_SERVER_PATH',
  command: 'redis-server',
  debianPackage: 'redis-server',
  // The package's recommended extras are not wanted: the tests start their own servers.
  aptOptions: ['--no-install-recommends'],
  candidates: ['/usr/bin/redis-server', '/usr/local/bin/redis-server', '/opt/homebrew/bin/redis-server', '/snap/bin/redis-server'],
  hint:
    'Install it (Debian/Ubuntu: `sudo apt-get install -y redis-server`; Fedora: `sudo dnf install redis`; ' +
    'macOS: `brew install redis`) or point REDIS_SERVER_PATH at a redis-server binary.',
};

/** The redis-server binary to use, or undefined. REDIS_SERVER_PATH wins when set. */
export function findRedisServer() {
  return findBinary(redisServer);
}

/** Like findRedisServer, but installs Debian's redis-server when running as root with apt-get. */
export function ensureRedisServer() {
  return ensureBinary(redisServer);
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
    return execFileSync(existsSync(cli) ? cli : 'redis-cli', ['-p', String(port), ...args], { encoding: 'utf8' }).trim();
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
