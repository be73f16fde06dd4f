import { fileURLToPath } from 'node:url';
import { readmeIncludesExample, spawnTs, waitForExit } from '@sochdb/core/testing';
import { describe, expect, it } from 'vitest';
import { serverUrl } from './factory.js';

const example = fileURLToPath(new URL('../examples/basic.ts', import.meta.url));
const readme = fileURLToPath(new URL('../README.md', import.meta.url));

describe('the README example', () => {
  it('runs as a real node process against the test server and prints what it says', async () => {
    const { code, stdout, stderr } = await waitForExit(spawnTs(example, [], { env: { ...process.env, DATABASE_URL: serverUrl() } }));
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout.trimEnd().split('\n')).toEqual(['hello 3', "[ [ 'counter' ], [ 'counter' ], [ 'counter' ] ]"]);
  });

  it('is pasted into the README verbatim', () => {
    expect(readmeIncludesExample(readme, example)).toBe(true);
  });
});
