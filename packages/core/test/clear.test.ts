// Storage.clear deletes a range of any size in constant memory: commits of CLEAR_CHUNK_KEYS keys
// (one atomic commit up to that many), from one snapshot, so keys written after it began survive
// (issue 25). Run on LevelDB and in memory.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLEAR_CHUNK_KEYS, type Storage } from '../src/index.js';
import { storageFactories, type StorageFactory } from '../src/testing/index.js';

const pad = (i: number) => String(i).padStart(6, '0');

for (const make of storageFactories) {
  describe(`clear on ${make().name}`, () => {
    let f: StorageFactory;
    let storage: Storage;
    beforeEach(async () => {
      f = make();
      storage = await f.open({ syncMode: 'off' });
    });
    afterEach(async () => {
      await storage.close();
      await f.cleanup();
    });

    const fill = async (prefix: string, n: number): Promise<void> => {
      for (let i = 0; i < n; i += 5_000) {
        await storage.batch(Array.from({ length: Math.min(5_000, n - i) }, (_, j) => ({ type: 'put' as const, key: `${prefix}${pad(i + j)}`, value: 'v' })));
      }
    };
    const count = async (prefix: string): Promise<number> => {
      let n = 0;
      for await (const _ of storage.iterator({ gte: prefix, lt: `${prefix}\xff` })) n++;
      return n;
    };

    it('deletes a large range in commits of at most CLEAR_CHUNK_KEYS keys, and nothing outside it', async () => {
      const n = 2 * CLEAR_CHUNK_KEYS + 7;
      await fill('r/', n);
      await fill('s/', 3);
      const sizes: number[] = [];
      const stop = storage.onCommit!((commit) => sizes.push(commit.ops.length));
      const lsn = await storage.clear({ gte: 'r/', lt: 'r/\xff' });
      stop();
      expect(sizes).toEqual([CLEAR_CHUNK_KEYS, CLEAR_CHUNK_KEYS, 7]);
      expect(lsn).toBe(await storage.latestLsn());
      expect(await count('r/')).toBe(0);
      expect(await count('s/')).toBe(3);
    });

    it('is one atomic commit up to CLEAR_CHUNK_KEYS keys, and an empty range still commits', async () => {
      await fill('r/', CLEAR_CHUNK_KEYS);
      const sizes: number[] = [];
      const stop = storage.onCommit!((commit) => sizes.push(commit.ops.length));
      await storage.clear({ gte: 'r/', lt: 'r/\xff' });
      const before = await storage.latestLsn();
      expect(await storage.clear({ gte: 'none/', lt: 'none/\xff' })).toBe(before + 1n);
      stop();
      expect(sizes).toEqual([CLEAR_CHUNK_KEYS, 0]);
    });

    it('keeps a key written in the range after the clear began', async () => {
      await fill('r/', CLEAR_CHUNK_KEYS + 10);
      let wrote: Promise<bigint> | undefined;
      const stop = storage.onCommit!(() => {
        // After the first chunk lands: a new key past the snapshot the clear iterates.
        wrote ??= storage.put('r/zzz-new', 'kept');
      });
      await storage.clear({ gte: 'r/', lt: 'r/\xff' });
      stop();
      await wrote;
      expect((await storage.get('r/zzz-new'))?.toString()).toBe('kept');
      expect(await count('r/')).toBe(1);
    });
  });
}
