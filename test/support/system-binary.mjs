// Finds a program the tests need that npm cannot bring (a browser, a Redis server),
// and installs its Debian package where that is safe to do unasked: as root, with apt-get.
import { execFileSync, spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

function executable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The first executable of: the path in `envVar` (which must be executable when
 * set), `command` on PATH (when given), then `candidates`; or undefined.
 */
export function findBinary({ envVar, command, candidates, hint }) {
  const chosen = process.env[envVar];
  if (chosen) {
    if (executable(chosen)) return chosen;
    throw new Error(`${envVar}=${chosen} is not an executable file. ${hint}`);
  }
  const inPath = command ? (process.env.PATH ?? '').split(delimiter).filter(Boolean).map((dir) => join(dir, command)) : [];
  return [...inPath, ...candidates].find(executable);
}

/** Like findBinary, but installs the Debian package `debianPackage` when running as root with apt-get. */
export function ensureBinary(spec) {
  const found = findBinary(spec);
  if (found) return found;
  const { what, debianPackage, hint, aptOptions = [] } = spec;
  const canApt = process.getuid?.() === 0 && spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status === 0;
  if (!canApt) throw new Error(`No ${what} found for the tests. ${hint}`);
  console.log(`${what} not found: installing Debian's "${debianPackage}" package with apt-get…`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', ...aptOptions, debianPackage], { stdio: 'inherit', env });
  const installed = findBinary(spec);
  if (!installed) throw new Error(`apt-get installed ${debianPackage} but no binary was found. ${hint}`);
  return installed;
}
