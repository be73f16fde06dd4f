// The README example, run as a real node process. Not through @sochdb/core/testing: core depends
// on this package, and a dependency back would make a cycle.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const example = fileURLToPath(new URL('../examples/basic.ts', import.meta.url));
const readme = fileURLToPath(new URL('../README.md', import.meta.url));

it('the README example runs and prints what it says', async () => {
  const tsx = createRequire(import.meta.url).resolve('tsx');
  const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--conditions=sochdb-source', '--import', tsx, example]);
  expect(stderr).toBe('');
  expect(stdout.trimEnd().split('\n')).toEqual(['5005', 'Create it with CREATE TABLE.', 'missing table', 'false']);
});

it('is pasted into the README verbatim', () => {
  const fenced = /```ts\n([\s\S]*?)```/.exec(readFileSync(readme, 'utf8'))?.[1];
  expect(fenced?.trim()).toBe(readFileSync(example, 'utf8').trim());
});
