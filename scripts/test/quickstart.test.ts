// The root README's Quick start, copied verbatim from the README, run as a new user would: as
// plain `.mjs` on Node 20 and as TypeScript (type-checked, then run), each twice in a fresh
// folder (the second run finds the first run's database).
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';

const run = promisify(execFile);
const root = join(import.meta.dirname, '..', '..');
const require = createRequire(import.meta.url);
const expected = ["[ 'doc_001' ]", 'users[1]{id,name}:1,Alice'];

let code: string;
// The script files sit inside the repository, so `@sochdb/sdk` resolves from its node_modules
// (the built package, as an installed one); the database folder is a fresh temp dir.
let scripts: string;
const cwds: string[] = [];
beforeAll(() => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Quick start'));
  code = /```ts\n([\s\S]*?)```/.exec(section)![1]!;
  mkdirSync(join(root, '.tmp'), { recursive: true });
  scripts = mkdtempSync(join(root, '.tmp', 'quickstart-'));
  writeFileSync(join(scripts, 'package.json'), JSON.stringify({ type: 'module' }));
});
afterAll(() => {
  rmSync(scripts, { recursive: true, force: true });
  for (const cwd of cwds) rmSync(cwd, { recursive: true, force: true });
});

const freshCwd = () => {
  const cwd = mkdtempSync(join(tmpdir(), 'sochdb-quickstart-'));
  cwds.push(cwd);
  return cwd;
};

it('runs as .mjs on plain Node, twice', async () => {
  const file = join(scripts, 'quickstart.mjs');
  writeFileSync(file, code);
  const cwd = freshCwd();
  for (let i = 0; i < 2; i++) {
    const { stdout, stderr } = await run(process.execPath, [file], { cwd });
    expect(stderr).toBe('');
    expect(stdout.trimEnd().split('\n')).toEqual(expected);
  }
});

it('type-checks as TypeScript and runs, twice', async () => {
  const file = join(scripts, 'quickstart.ts');
  writeFileSync(file, code);
  const tsc = require.resolve('typescript/bin/tsc');
  const flags = ['--noEmit', '--strict', '--target', 'es2022', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--skipLibCheck', '--types', 'node'];
  await expect(run(process.execPath, [tsc, ...flags, file], { cwd: scripts })).resolves.toMatchObject({ stdout: '' });
  const cwd = freshCwd();
  for (let i = 0; i < 2; i++) {
    const { stdout, stderr } = await run(process.execPath, ['--import', require.resolve('tsx'), file], { cwd });
    expect(stderr).toBe('');
    expect(stdout.trimEnd().split('\n')).toEqual(expected);
  }
}, 60_000);
