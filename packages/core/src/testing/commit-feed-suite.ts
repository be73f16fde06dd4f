// The commit feed (Storage.changesAfter) and CommitFollower, on every Storage.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChangeFeedGapError, ValidationError } from '../errors.js';
import { CommitFollower } from '../storage/commit-follower.js';
import type { ChangeBatch, CommitChange, Storage } from '../storage/types.js';
import { storageFactories, type StorageFactory } from './factories.js';

const show = (batch: ChangeBatch) => batch.commits.map((c) => `${c.lsn}:${c.keys.map(String).join(',')}`);

export function describeCommitFeedConformance(factories: readonly (() => StorageFactory)[] = storageFactories): void {
  describe.each(factories.map((f) => [f().name, f] as const))('commit feed: %s', (_name, makeFactory) => {
    let factory: StorageFactory;
    let s: Storage;
    beforeEach(async () => {
      factory = makeFactory();
      s = await factory.open({ syncMode: 'off' });
    });
    afterEach(async () => {
      await s.close();
      await factory.cleanup();
    });

    it('reports every commit after an LSN, in order, with the keys it wrote or deleted', async () => {
      const start = await s.latestLsn();
      expect(await s.changesAfter(start)).toEqual({ commits: [], lsn: start, more: false });
      const a = await s.put('a', '1');
      const b = await s.batch([
        { type: 'put', key: 'b', value: '2' },
        { type: 'del', key: 'a' },
      ]);
      const txn = s.beginTransaction();
      await txn.put('t', '3');
      const c = await txn.commit();
      const d = await s.clear({ gte: 'b', lt: 'c' });
      const all = await s.changesAfter(start);
      expect(show(all)).toEqual([`${a}:a`, `${b}:b,a`, `${c}:t`, `${d}:b`]);
      expect(all.lsn).toBe(d);
      expect(all.more).toBe(false);
      expect(await s.latestLsn()).toBe(d);
      // From the middle, and nothing once caught up.
      expect(show(await s.changesAfter(b))).toEqual([`${c}:t`, `${d}:b`]);
      expect((await s.changesAfter(d)).commits).toEqual([]);
      // An aborted transaction is no commit.
      const aborted = s.beginTransaction();
      await aborted.put('x', '1');
      await aborted.abort();
      expect((await s.changesAfter(d)).commits).toEqual([]);
    });

    it('filters by key range and pages by limit, still covering every LSN', async () => {
      const start = s.lsn;
      const lsns: bigint[] = [];
      for (const key of ['p/1', 'q/1', 'p/2', 'q/2', 'p/3']) lsns.push(await s.put(key, 'v'));
      const ps = await s.changesAfter(start, { gte: 'p/', lt: 'p0' });
      expect(show(ps)).toEqual([`${lsns[0]}:p/1`, `${lsns[2]}:p/2`, `${lsns[4]}:p/3`]);
      const first = await s.changesAfter(start, { gte: 'q/', lt: 'q0', limit: 1 });
      expect(show(first)).toEqual([`${lsns[1]}:q/1`]);
      expect(first.more).toBe(true);
      const rest = await s.changesAfter(first.lsn, { gte: 'q/', lt: 'q0', limit: 1 });
      expect(show(rest)).toEqual([`${lsns[3]}:q/2`]);
      const end = await s.changesAfter(rest.lsn, { gte: 'q/', lt: 'q0', limit: 1 });
      expect(end).toEqual({ commits: [], lsn: lsns[4], more: false });
    });

    it("keeps keys as they were committed, not views of the caller's buffers", async () => {
      const start = s.lsn;
      const key = Buffer.from('mutable');
      await s.put(key, 'v');
      key.write('XXXXXXX');
      expect(show(await s.changesAfter(start))[0]).toMatch(/:mutable$/);
    });

    it('a reader too far behind, or asking for an LSN it never had, gets ChangeFeedGapError', async () => {
      await s.close();
      s = await factory.open({ syncMode: 'off', changeLogBytes: 1024 });
      const start = s.lsn;
      for (let i = 0; i < 40; i++) await s.put(`key-${String(i).padStart(40, '0')}`, 'v');
      const error = await s.changesAfter(start).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ChangeFeedGapError);
      expect(error).toMatchObject({ code: 9005 });
      // The most recent commits are still there.
      expect((await s.changesAfter(s.lsn - 3n)).commits).toHaveLength(3);
      // Kept by number of commits, one large commit is still one.
      if (factory.traits?.feedRetention === 'commits') return;
      // One commit larger than the whole log: nobody can read across it.
      const before = s.lsn;
      const big = await s.batch(Array.from({ length: 100 }, (_, i) => ({ type: 'put' as const, key: `big-${i}`, value: 'v' })));
      await expect(s.changesAfter(before)).rejects.toBeInstanceOf(ChangeFeedGapError);
      expect(await s.changesAfter(big)).toEqual({ commits: [], lsn: big, more: false });
    });

    it('refuses bad arguments with ValidationError', async () => {
      await expect(s.changesAfter(-1n)).rejects.toBeInstanceOf(ValidationError);
      await expect(s.changesAfter(1 as never)).rejects.toBeInstanceOf(ValidationError);
      await expect(s.changesAfter(0n, { limit: 0 })).rejects.toMatchObject({ code: 6000, field: 'limit' });
      await expect(s.changesAfter(0n, { gte: 42 as never })).rejects.toBeInstanceOf(ValidationError);
    });

    it('after a reopen the feed starts at the stored LSN', async () => {
      if (!factory.persistent) return;
      await s.put('a', '1');
      const lsn = await s.put('b', '2');
      await s.close();
      s = await factory.open({ syncMode: 'off' });
      expect(await s.changesAfter(lsn)).toEqual({ commits: [], lsn, more: false });
      // A feed kept on the server outlives this process's storage; LevelDB's starts afresh.
      if (factory.traits?.feedRetention === 'commits') expect((await s.changesAfter(lsn - 1n)).commits.map((c) => c.lsn)).toEqual([lsn]);
      else await expect(s.changesAfter(lsn - 1n)).rejects.toBeInstanceOf(ChangeFeedGapError);
    });

    it('CommitFollower applies every commit to its range once, in order, and reloads after a gap', async () => {
      await s.close();
      s = await factory.open({ syncMode: 'off', changeLogBytes: 1024 });
      const applied: string[] = [];
      let reloads = 0;
      const follower = new CommitFollower(
        s,
        { gte: 'f/', lt: 'f0' },
        {
          apply: async (commits: readonly CommitChange[]) => void applied.push(...commits.flatMap((c) => c.keys.map(String))),
          reload: async () => void reloads++,
        },
        await s.latestLsn(),
      );
      await s.put('f/1', 'v');
      await s.put('g/1', 'v');
      // Calls made together share one round; each sees every commit made before it.
      await Promise.all([follower.catchUp(), follower.catchUp()]);
      expect(applied).toEqual(['f/1']);
      await s.put('f/2', 'v');
      const late = follower.catchUp();
      await s.put('f/3', 'v');
      await Promise.all([late, follower.catchUp()]);
      expect(applied).toEqual(['f/1', 'f/2', 'f/3']);
      expect(follower.lsn).toBe(s.lsn);
      for (let i = 0; i < 60; i++) await s.put(`f/${String(i).padStart(40, '0')}`, 'v');
      await follower.catchUp();
      expect(reloads).toBe(1);
      expect(follower.lsn).toBe(s.lsn);
    });
  });
}
