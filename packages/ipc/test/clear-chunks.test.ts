// A concurrent-mode client's clear() deletes like every Storage's: commits of CLEAR_CHUNK_KEYS
// keys from one snapshot, so a large range never travels or commits as one huge batch (issue 25).
import { join } from 'node:path';
import { CLEAR_CHUNK_KEYS } from '@sochdb/core';
import { makeTempDir } from '@sochdb/core/testing';
import { afterEach, expect, it } from 'vitest';
import { ConcurrentStorage } from '../src/concurrent/concurrent-storage.js';

let dir: ReturnType<typeof makeTempDir> | undefined;
afterEach(() => dir?.cleanup());

it("a client's clear of a large range commits in chunks, and deletes only the range", async () => {
  dir = makeTempDir('sochdb-conc-clear-');
  const path = join(dir.path, 'db');
  const owner = await ConcurrentStorage.open(path, { syncMode: 'off' });
  const client = await ConcurrentStorage.open(path, { syncMode: 'off' });
  try {
    expect(client.isOwner).toBe(false);
    const n = CLEAR_CHUNK_KEYS + 5;
    for (let i = 0; i < n; i += 2_500) {
      await client.batch(
        Array.from({ length: Math.min(2_500, n - i) }, (_, j) => ({ type: 'put' as const, key: `r/${String(i + j).padStart(6, '0')}`, value: 'v' })),
      );
    }
    await client.put('s/keep', 'v');
    const before = await client.latestLsn();
    const lsn = await client.clear({ gte: 'r/', lt: 'r/\xff' });
    const { commits } = await owner.changesAfter(before, { limit: 10 });
    expect(commits.map((c) => c.keys.length)).toEqual([CLEAR_CHUNK_KEYS, 5]);
    expect(lsn).toBe(commits.at(-1)!.lsn);
    let left = 0;
    for await (const _ of client.iterator()) left++;
    expect(left).toBe(1);
  } finally {
    await client.close();
    await owner.close();
  }
});
