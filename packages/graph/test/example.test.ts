import { readFileSync } from 'node:fs';
import { spawnTs, waitForExit } from '@sochdb/core/testing';
import { describe, expect, it } from 'vitest';

const example = new URL('../examples/agent-memory.ts', import.meta.url);
const readme = new URL('../README.md', import.meta.url);

describe("the README example (the guide's agent-memory graph)", () => {
  it('runs as a real process and prints the traversal', async () => {
    const result = await waitForExit(spawnTs(example.pathname));
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n')).toEqual([
      'Node: user_alice (User) depth 0',
      'Node: conv_123 (Conversation) depth 1',
      'user_alice -[STARTED]-> conv_123',
      '',
    ]);
  });

  it('is pasted verbatim in the README', () => {
    expect(readFileSync(readme, 'utf8')).toContain(readFileSync(example, 'utf8').trim());
  });
});
