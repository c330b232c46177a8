// Every ```ts, ```tsx, ```js and ```jsx block of the README is type-checked
// against the built package (imported by its name, as a user would), under
// `strict`, so the examples cannot drift from the API.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';

const run = promisify(execFile);
const dir = join('test-output', 'readme-code');

/** Names the examples use without defining them: what a page or a back-end would have. */
const placeholders = `
import type { JsonValue } from 'juggler-elements';
import type {} from 'juggler-elements/react';

declare global {
  /** A page's own drawing code. */
  function render(data: JsonValue, paths: readonly string[]): void;
  /** A page's own error reporting. */
  function reportToMonitoring(code: string, message: string, where: EventTarget | null): void;
  /** A back-end's own way to apply a request. */
  function applyMode(mode: JsonValue): JsonValue;
  /** A page's own way to get an auth token. */
  function fetchToken(): Promise<string>;
}
`;

interface Block {
  line: number;
  language: string;
  code: string;
}

function readmeBlocks(): Block[] {
  const text = readFileSync('README.md', 'utf8');
  const blocks: Block[] = [];
  for (const match of text.matchAll(/^```(ts|tsx|js|jsx)\n([\s\S]*?)^```$/gm)) {
    blocks.push({ line: text.slice(0, match.index).split('\n').length + 1, language: match[1], code: match[2] });
  }
  return blocks;
}

test('every TypeScript and JavaScript block in the README compiles against the package', async () => {
  const blocks = readmeBlocks();
  assert.ok(blocks.length >= 5, `found ${blocks.length} blocks`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const files = new Map<string, Block>();
  for (const block of blocks) {
    const file = `line-${block.line}.${block.language}`;
    // Each block is a module of its own, so blocks do not see each other's names.
    writeFileSync(join(dir, file), `${block.code}\nexport {};\n`);
    files.set(file, block);
  }
  writeFileSync(join(dir, 'placeholders.d.ts'), placeholders);
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        lib: ['ES2022', 'DOM', 'DOM.Iterable'],
        types: ['node'],
        jsx: 'react-jsx',
        strict: true,
        allowJs: true,
        checkJs: true,
        noEmit: true,
        // As a consumer that checks libraries: the shipped declarations must hold too.
        skipLibCheck: false,
      },
      include: ['*'],
    }),
  );
  const tsc = join('node_modules', '.bin', 'tsc');
  const output = await run(tsc, ['-p', join(dir, 'tsconfig.json')]).then(
    ({ stdout }) => stdout,
    (error: { stdout?: string; message: string }) => error.stdout || error.message,
  );
  // Point each message at its README line.
  const located = output.replace(/(?:^|\n)(?:[^\n]*[\\/])?line-(\d+)\.\w+\((\d+),(\d+)\)/g, (_, start, line, column) => {
    return `\nREADME.md:${Number(start) + Number(line) - 1}:${column}`;
  });
  assert.equal(located.trim(), '', 'the README blocks do not compile');
});
