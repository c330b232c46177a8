// The built command with `--workers`: several node:cluster processes serving one port and one
// state through a real Redis; a worker killed and replaced; the primary stopped or killed.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { connect as connectTcp } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { isDeepStrictEqual } from 'node:util';
import type { JugglerClient } from '../../src/client/juggler-client.js';
import { connect } from '../../src/node/connect.js';
import { freePort, startRedis, type TestRedis } from '../support/redis.mjs';
import { until } from '../support/wait.js';

let redis: TestRedis;
const children = new Set<ChildProcess>();
const clients: JugglerClient[] = [];

before(async () => {
  redis = await startRedis();
});
after(async () => {
  for (const client of clients) client.close();
  for (const child of children) child.kill('SIGKILL');
  await redis.dispose();
});

interface Command {
  child: ChildProcess;
  readonly stdout: string;
  readonly stderr: string;
  exited: Promise<number | null>;
}

/** Runs `juggler-elements serve --workers <n>` with `--redis`; the output is gathered as it comes. */
function run(args: string[], env: Record<string, string> = {}): Command {
  const child = spawn(process.execPath, ['dist/node/cli.js', 'serve', '--redis', redis.url, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, JUGGLER_SNAPSHOT_INTERVAL: '1000', ...env },
  });
  children.add(child);
  const command = { child, stdout: '', stderr: '', exited: new Promise<number | null>((resolve) => child.once('exit', resolve)) };
  child.stdout!.on('data', (chunk) => (command.stdout += chunk));
  child.stderr!.on('data', (chunk) => (command.stderr += chunk));
  void command.exited.then(() => children.delete(child));
  return command;
}

async function serving(command: Command): Promise<string> {
  await until(() => /\(WebSocket ws:/.test(command.stdout) || command.child.exitCode !== null, 'the command to serve', 20_000);
  const match = /\(WebSocket (ws:\S+)\), (\d+) workers\n/.exec(command.stdout);
  assert.ok(match, `serving line: ${command.stdout} ${command.stderr}`);
  return match[1];
}

function page(wsUrl: string, id: string) {
  const client = connect(wsUrl, { delay: 0, reconnect: { initialDelay: 20, maxDelay: 100 } });
  clients.push(client);
  client.setAt('/id', id);
  return client;
}

/** The pids of the processes whose parent is `pid`. */
function workerPids(pid: number): number[] {
  const listed = spawnSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' }).stdout;
  return listed.split('\n').filter(Boolean).map(Number);
}

const pidOf = async (client: JugglerClient) => (await client.call('pid', [], { timeout: 5000 })) as number;
const isRunning = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const refused = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connectTcp(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(false)));
    socket.once('error', () => resolve(true));
  });

describe('serve --workers', () => {
  test('two workers share the port and the state; a killed worker is replaced; SIGTERM stops them all with status 0', async () => {
    const command = run(['--app', 'test/support/redis-counter-app.mjs', '--port', '0', '--workers', '2'], { JUGGLER_TEST_KEY: 'workers' });
    const wsUrl = await serving(command);
    assert.match(command.stdout, /, 2 workers\n$/, 'one serving line, for all the workers');

    // The primary hands connections out in turn: four pages land on both workers, none on the primary.
    const pages = ['a', 'b', 'c', 'd'].map((id) => page(wsUrl, id));
    const pids = await Promise.all(pages.map(pidOf));
    assert.equal(new Set(pids).size, 2, `two workers serve: ${pids}`);
    assert.ok(!pids.includes(command.child.pid!), 'the primary serves no page');

    // A write through a page of one worker reaches the pages of the other, through Redis.
    pages[0].setAt('/counter', 1);
    pages[1].setAt('/counter', 2);
    const expected = { a: 1, b: 2 };
    const agree = () => pages.every((p) => isDeepStrictEqual((p.remoteData as { counters?: object } | null)?.counters, expected));
    await until(agree, 'every page to show both writes', 10_000);

    // A worker dies: the primary says so and starts another; its pages reconnect and catch up.
    const victim = pids[0];
    process.kill(victim, 'SIGKILL');
    await until(() => /worker \d \(pid \d+\) was killed by SIGKILL; starting another/.test(command.stderr), 'the primary to report the dead worker', 10_000);
    await until(() => /worker \d \(pid \d+\) serves\n/.test(command.stderr), 'the primary to report the new worker serving', 15_000);
    pages[2].setAt('/counter', 3);
    Object.assign(expected, { c: 3 });
    await until(agree, 'every page, the dead worker’s too, to show the write made after', 15_000);
    const newPids = new Set(await Promise.all(pages.map(pidOf)));
    for (const fresh of [page(wsUrl, 'e'), page(wsUrl, 'f')]) newPids.add(await pidOf(fresh));
    assert.ok(!newPids.has(victim), 'no page is served by the dead worker');
    assert.equal(new Set([...newPids].filter(isRunning)).size, 2, `two workers serve again: ${[...newPids]}`);

    command.child.kill('SIGTERM');
    assert.equal(await command.exited, 0, command.stderr);
    await until(() => [...newPids].every((pid) => !isRunning(pid)), 'every worker to end');
    assert.doesNotMatch(command.stderr, /\n\s+at |Uncaught/, 'no stack trace');
  });

  test('a worker that cannot start stops the command with status 1 and the reason', async () => {
    const port = await freePort();
    const command = run(['--app', 'test/support/throwing-app.mjs', '--port', String(port), '--workers', '2']);
    assert.equal(await command.exited, 1);
    assert.match(command.stderr, /juggler-elements: worker \d: the app cannot start: no database\n/);
    assert.match(command.stderr, /worker \d exited with 1 before it served; stopping/);
    assert.equal(command.stdout, '', 'it never said it serves');
    assert.ok(await refused(port), 'no worker is left holding the port');
  });

  test('Ctrl-C while the workers are still starting stops the command with status 0, not as a failure', async () => {
    // The terminal sends SIGINT to the whole group: workers that have not yet set up their handlers die of it,
    // and the primary may see them die a moment before it handles its own. Here that moment is 50 ms.
    const command = run(['--app', 'test/support/slow-app.mjs', '--port', '0', '--workers', '2']);
    await until(() => workerPids(command.child.pid!).length === 2, 'the workers to start', 10_000);
    for (const pid of workerPids(command.child.pid!)) process.kill(pid, 'SIGINT');
    await new Promise((resolve) => setTimeout(resolve, 50));
    command.child.kill('SIGINT');
    assert.equal(await command.exited, 0, command.stderr);
    assert.doesNotMatch(command.stderr, /before it served/);
  });

  test('a worker that never serves is stopped after the start timeout and the command exits with 1', async () => {
    const child = spawn(process.execPath, ['test/support/stuck-pool.mjs', '300'], { stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(child);
    let stderr = '';
    child.stderr!.on('data', (chunk) => (stderr += chunk));
    const code = await new Promise((resolve) => child.once('exit', resolve));
    assert.equal(code, 1);
    assert.match(stderr, /worker 1 \(pid \d+\) has not served within 0\.3 s; stopping it\n/);
    assert.match(stderr, /worker 1 was killed by SIGKILL before it served; stopping/);
  });

  test('under another cluster manager (pm2 cluster mode) the command serves as it does alone, and refuses --workers', async () => {
    const host = spawn(process.execPath, ['test/support/cluster-host.mjs', 'dist/node/cli.js', 'serve', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(host);
    let stdout = '';
    let stderr = '';
    host.stdout!.on('data', (chunk) => (stdout += chunk));
    host.stderr!.on('data', (chunk) => (stderr += chunk));
    await until(() => /serving/.test(stdout), 'the serving line on stdout', 10_000);
    assert.match(stdout, /^juggler-elements: serving the kit \(no folder\) at \S+ \(WebSocket ws:\S+\)\n$/);
    host.kill('SIGTERM');
    await new Promise((resolve) => host.once('exit', resolve));
    assert.doesNotMatch(stderr, /worker/);

    const nested = spawn(process.execPath, ['test/support/cluster-host.mjs', 'dist/node/cli.js', 'serve', '--port', '0', '--redis', redis.url, '--workers', '2'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.add(nested);
    let nestedErr = '';
    nested.stderr!.on('data', (chunk) => (nestedErr += chunk));
    assert.equal(await new Promise((resolve) => nested.once('exit', resolve)), 2);
    assert.match(nestedErr, /--workers: this process is a worker of another cluster manager/);
  });

  test('the workers end when their primary is killed', async () => {
    const command = run(['--app', 'test/support/redis-counter-app.mjs', '--port', '0', '--workers', '2'], { JUGGLER_TEST_KEY: 'orphans' });
    const wsUrl = await serving(command);
    const pids = await Promise.all([page(wsUrl, 'x'), page(wsUrl, 'y')].map(pidOf));
    assert.equal(new Set(pids).size, 2);
    command.child.kill('SIGKILL');
    await until(() => pids.every((pid) => !isRunning(pid)), 'the workers of the killed primary to end', 10_000);
  });
});
