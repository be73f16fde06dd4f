import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { spawnTs, waitForExit } from '@sochdb/core/testing';
import { describe, expect, it } from 'vitest';

const example = fileURLToPath(new URL('../examples/basic.ts', import.meta.url));
const readme = fileURLToPath(new URL('../README.md', import.meta.url));

describe('README example', () => {
  it('runs and prints what the README says', async () => {
    const result = await waitForExit(spawnTs(example));
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('worker-1 process_order #123 (attempt 1, from api)');
    expect(result.stdout).toContain(`next up: [ '{"action":"process_order","orderId":124}', 'send the newsletter' ]`);
    expect(result.stdout).toContain('stats: {"pending":2,"delayed":1,"claimed":0,"completed":1,"deadLettered":0,"total":4}');
  });

  it('is pasted verbatim into the README', () => {
    expect(readFileSync(readme, 'utf8')).toContain(readFileSync(example, 'utf8').trim());
  });
});
