/**
 * The command line of a benchmark script: `--name=value` options with
 * defaults and `--flag`s. An unknown option, a missing value or a number that
 * is not one stops the script with the usage (exit 2): a typo must not run a
 * different benchmark (say the full default sizes) than the one asked for.
 */
import { parseArgs } from 'node:util';

type Spec = Record<string, string | boolean>;
type Values<T extends Spec> = { [K in keyof T]: T[K] extends boolean ? boolean : string };

function fail(message: string, usage: string): never {
  process.stderr.write(`${message}\n${usage}\n`);
  process.exit(2);
}

/** Reads the options in `defaults` (a string default takes a value, a boolean one is a flag). */
export function benchOptions<T extends Spec>(defaults: T, usage: string): Values<T> & { number(name: keyof T): number; numbers(name: keyof T): number[] } {
  const options = Object.fromEntries(
    Object.entries(defaults).map(([name, value]) => [name, typeof value === 'boolean' ? { type: 'boolean' as const } : { type: 'string' as const, default: value }]),
  );
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({ args: process.argv.slice(2), options, strict: true, allowPositionals: false }));
  } catch (error) {
    fail((error as Error).message, usage);
  }
  const numbers = (name: keyof T): number[] => {
    const text = String(values[name as string]);
    const list = text.split(',').map(Number);
    if (text === '' || !list.every((n) => Number.isFinite(n) && n > 0)) fail(`--${String(name)} takes positive numbers separated by commas, not "${text}"`, usage);
    return list;
  };
  return {
    ...(Object.fromEntries(Object.keys(defaults).map((name) => [name, values[name] ?? false])) as Values<T>),
    numbers,
    number: (name) => {
      const value = Number(values[name as string]);
      if (!(Number.isFinite(value) && value > 0)) fail(`--${String(name)} takes a positive number, not "${String(values[name as string])}"`, usage);
      return value;
    },
  };
}
