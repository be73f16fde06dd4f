import { fileURLToPath } from 'node:url';
import { readmeIncludesExample, spawnTs, waitForExit } from '@sochdb/core/testing';
import { describe, expect, it } from 'vitest';

const example = fileURLToPath(new URL('../examples/drizzle.ts', import.meta.url));
const readme = fileURLToPath(new URL('../README.md', import.meta.url));

describe('the README example', () => {
  it('runs as a real node process on a LevelDB folder and prints what the README says', async () => {
    const { code, stdout, stderr } = await waitForExit(spawnTs(example));
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout.trimEnd().split('\n')).toEqual([
      "[ { id: 1, title: 'buy milk' }, { id: 2, title: 'ship adapters' } ]",
      "[ { title: 'ship adapters', done: false } ]",
      '[ { done: false, n: 1 }, { done: true, n: 1 } ]',
    ]);
  });

  it('is pasted into the README verbatim', () => {
    expect(readmeIncludesExample(readme, example)).toBe(true);
  });
});
