import { readFileSync } from 'node:fs';
import { spawnTs, waitForExit } from '@sochdb/core/testing';
import { describe, expect, it } from 'vitest';

const example = new URL('../examples/employment-history.ts', import.meta.url);
const readme = new URL('../README.md', import.meta.url);

describe("the README example (the guide's Alice WORKS_AT history)", () => {
  it("runs as a real process and prints the guide's answers", async () => {
    const result = await waitForExit(spawnTs(example.pathname));
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n')).toEqual([
      'Worked at: acme_corp as Engineer',
      'acme_corp: 1704067200000 - 1735689600000',
      'Now at: globex_inc',
      'globex_inc staff: alice',
      '',
    ]);
  });

  it('is pasted verbatim in the README', () => {
    expect(readFileSync(readme, 'utf8')).toContain(readFileSync(example, 'utf8').trim());
  });
});
