import { join } from 'node:path';
import { expect, it } from 'vitest';
import { readmeIncludesExample, spawnTs, waitForExit } from '@sochdb/core/testing';

const root = join(import.meta.dirname, '..');

it('the README quick start is the example file, and it prints what the README shows', async () => {
  const example = join(root, 'examples/quickstart.ts');
  expect(readmeIncludesExample(join(root, 'README.md'), example)).toBe(true);
  const { code, stdout, stderr } = await waitForExit(spawnTs(example));
  expect(stderr).toBe('');
  expect(code).toBe(0);
  expect(stdout).toBe(
    [
      '{"name":"Alice","age":30}',
      'users[2]{name,age}:Bob,25;Alice,30',
      "[ 'doc_1', 'doc_2' ]",
      "[ 'doc_1', 'doc_3' ]",
      'INVALID_AGE',
      'send welcome email true',
      "[ 'alice', 'bob' ]",
      '',
    ].join('\n'),
  );
});
