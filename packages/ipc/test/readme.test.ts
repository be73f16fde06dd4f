import { join } from 'node:path';
import { expect, it } from 'vitest';
import { readmeIncludesExample, spawnTs, waitForExit } from '@sochdb/core/testing';

const root = join(import.meta.dirname, '..');

it('the README example is the example file, and it prints what the README shows', async () => {
  const example = join(root, 'examples/quickstart.ts');
  expect(readmeIncludesExample(join(root, 'README.md'), example)).toBe(true);
  const { code, stdout, stderr } = await waitForExit(spawnTs(example));
  expect(stderr).toBe('');
  expect(code).toBe(0);
  expect(stdout).toBe(['Alice null', 'user:1 Alice', 'user:2 Bob', 'Carol from memory', 'true false hello', ''].join('\n'));
});
