import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { spawnTs, waitForExit } from '@sochdb/core/testing';
import { describe, expect, it } from 'vitest';

const example = fileURLToPath(new URL('../examples/kv.ts', import.meta.url));
const readme = fileURLToPath(new URL('../README.md', import.meta.url));

describe('the README example', () => {
  it('runs as a real node process and prints what the guide shows', async () => {
    const { code, stdout, stderr } = await waitForExit(spawnTs(example));
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout.trimEnd().split('\n')).toEqual([
      '{"name":"Alice","age":30}',
      'null',
      "Alice's email: alice@example.com",
      'tenants/acme/orders/1: {"total":100}',
      'tenants/acme/users/1: {"name":"Alice"}',
      'account:1:balance: 1000',
      'account:2:balance: 500',
      'Batched scan: 10000 items',
      'products/laptop: result[1]{name,price}:Laptop,999',
      'products/mouse: result[1]{name,price}:Mouse,25',
      'products[1]{name,price}:Mouse,25',
    ]);
  });

  it('is pasted into the README verbatim', () => {
    expect(readFileSync(readme, 'utf8')).toContain(readFileSync(example, 'utf8').trim());
  });
});
