import { join } from 'node:path';
import { expect, it } from 'vitest';
import { readmeIncludesExample, spawnTs, waitForExit } from '@sochdb/core/testing';

const root = join(import.meta.dirname, '..');

it('the README quick start is the example file, and it runs with the output it shows', async () => {
  const example = join(root, 'examples/quickstart.ts');
  expect(readmeIncludesExample(join(root, 'README.md'), example)).toBe(true);
  const { code, stdout, stderr } = await waitForExit(spawnTs(example));
  expect(stderr).toBe('');
  expect(code).toBe(0);
  expect(stdout).toContain('put at LSN 1n -> hello');
  expect(stdout).toMatch(/\[ 'scores', -5 \] -5\n\[ 'scores', 3 \] 3\n\[ 'scores', 42 \] 42/);
  expect(stdout).toContain('t2: conflict, nothing written');
  expect(stdout).toContain('greeting = from t1');
  expect(stdout).toContain('keys: 5 durable through LSN 4n');
});
