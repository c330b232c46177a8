/** The built command: --version, --help, and one-line errors with exit status 2 for a bad command line. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { describe, test } from 'node:test';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `node dist/node/cli.js ...args` to its end; `env` is added to this process's.
 * A command that is still running after 5 s (serving instead of refusing) is killed: its code is null.
 */
function run(args: string[], env: Record<string, string> = {}): Promise<Run> {
  const child = spawn(process.execPath, ['dist/node/cli.js', ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve) =>
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    }),
  );
}

// Cases whose subject is not the port give --port=0: a command that wrongly serves must not take a shared port.

/** The command refused its arguments as a user would see it: one line on stderr, nothing on stdout, exit 2. */
async function assertUsageError(args: string[], message: RegExp, env?: Record<string, string>): Promise<void> {
  const { code, stdout, stderr } = await run(args, env);
  assert.equal(code, 2, `exit status for ${args.join(' ')}: ${stderr}`);
  assert.equal(stdout, '');
  assert.match(stderr, /^juggler-elements: [^\n]+\n$/, 'one line');
  assert.match(stderr, message);
}

describe('the command line', () => {
  test('--version prints the version from package.json', async () => {
    const { version } = JSON.parse(await readFile('package.json', 'utf8')) as { version: string };
    for (const flag of ['--version', '-v']) {
      assert.deepEqual(await run([flag]), { code: 0, stdout: `${version}\n`, stderr: '' });
    }
  });

  test('--help lists every option and exits with 0', async () => {
    const { code, stdout } = await run(['serve', '--help']);
    assert.equal(code, 0);
    for (const option of ['--port', '--host', '--path', '--app', '--delay', '--origin', '--allowed-host', '--redis', '--workers', '--quiet', '--version', '--help']) {
      assert.ok(stdout.includes(option), option);
    }
  });

  test('a folder that does not exist, or is a file', async () => {
    await assertUsageError(['serve', 'no-such-folder', '--port=0'], /no folder "no-such-folder"/);
    await assertUsageError(['serve', 'package.json', '--port=0'], /"package\.json" is not a folder/);
  });

  test('a port that is not an integer from 0 to 65535, as --port or PORT', async () => {
    for (const port of ['abc', '65536', '-1', '80.5', '', '0x50']) {
      await assertUsageError(['serve', `--port=${port}`], /--port must be an integer from 0 to 65535/);
    }
    await assertUsageError(['serve'], /PORT must be an integer from 0 to 65535, not "http"/, { PORT: 'http' });
  });

  test('a bad --delay', async () => {
    for (const delay of ['soon', '-5', 'NaN', '1e99']) {
      await assertUsageError(['serve', `--delay=${delay}`, '--port=0'], /--delay must be a number of milliseconds .* or "manual"/);
    }
    await assertUsageError(['serve', '--port=0', '--delay', '-5'], /option --delay needs a value/);
  });

  test('a bad --workers, or more than one without Redis', async () => {
    for (const workers of ['0', 'two', '-1', '1.5', '257', '']) {
      await assertUsageError(['serve', `--workers=${workers}`, '--port=0', '--redis=redis://127.0.0.1:1'], /--workers must be a number from 1 to 256, or "auto"/);
    }
    await assertUsageError(['serve', '--workers=2', '--port=0'], /--workers 2 needs --redis \(or REDIS_URL\)/, { REDIS_URL: '' });
  });

  test('an unknown option or command, an option without its value, a second folder', async () => {
    await assertUsageError(['serve', '--prot', '8080'], /unknown option --prot \(see --help\)/);
    await assertUsageError(['serve', '--port'], /option --port needs a value/);
    await assertUsageError(['serve', '--port=0', '--quiet=yes'], /option --quiet takes no value/);
    await assertUsageError(['frobnicate'], /unknown command "frobnicate"/);
    await assertUsageError(['serve', 'demo', 'test', '--port=0'], /one folder at most/);
  });

  test('a port already taken is a one-line error with exit status 1', async () => {
    const taken = createServer();
    await new Promise<void>((done) => taken.listen(0, '127.0.0.1', done));
    try {
      const port = (taken.address() as { port: number }).port;
      const { code, stderr } = await run(['serve', '--port', String(port)]);
      assert.equal(code, 1);
      assert.match(stderr, /^juggler-elements: listen EADDRINUSE[^\n]*\n$/);
    } finally {
      taken.close();
    }
  });
});
