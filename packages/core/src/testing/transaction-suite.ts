// Transactions on every Storage: snapshot reads, own writes, atomic commit, conflicts, lifecycle.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TransactionConflictError, TransactionError } from '../errors.js';
import { LocalTransaction } from '../storage/transaction.js';
import type { Storage } from '../storage/types.js';
import { storageFactories, type StorageFactory } from './factories.js';

const read = async (s: { get(k: string): Promise<Buffer | undefined> }, k: string) => (await s.get(k))?.toString();
const entries = async (it: AsyncIterable<readonly [Buffer, Buffer]>) => {
  const out: string[] = [];
  for await (const [k, v] of it) out.push(`${k.toString()}=${v.toString()}`);
  return out;
};

export function describeTransactionConformance(factories: readonly (() => StorageFactory)[] = storageFactories): void {
  describe.each(factories.map((f) => [f().name, f] as const))('Transaction: %s', (_name, makeFactory) => {
    let factory: StorageFactory;
    let s: Storage;
    beforeEach(async () => {
      factory = makeFactory();
      s = await factory.open({ syncMode: 'off' });
      await s.batch([
        { type: 'put', key: 'a', value: '1' },
        { type: 'put', key: 'c', value: '3' },
        { type: 'put', key: 'e', value: '5' },
      ]);
    });
    afterEach(async () => {
      await s.close();
      await factory.cleanup();
    });

    it('reads its snapshot plus its own writes, merged in gets and scans (both directions)', async () => {
      const txn = s.beginTransaction();
      await s.put('b', 'outside'); // committed after begin: invisible to txn
      await txn.put('d', '4');
      await txn.put('a', 'one');
      await txn.del('e');
      expect(await read(txn, 'a')).toBe('one');
      expect(await read(txn, 'b')).toBeUndefined();
      expect(await read(txn, 'e')).toBeUndefined();
      expect((await txn.getMany(['a', 'c', 'e', 'd'])).map((v) => v?.toString())).toEqual(['one', '3', undefined, '4']);
      expect(await entries(txn.iterator())).toEqual(['a=one', 'c=3', 'd=4']);
      expect(await entries(txn.iterator({ reverse: true }))).toEqual(['d=4', 'c=3', 'a=one']);
      expect(await entries(txn.iterator({ gt: 'a', limit: 1 }))).toEqual(['c=3']);
      expect(await read(s, 'd')).toBeUndefined(); // nothing visible outside before commit
      const lsn = await txn.commit();
      expect(lsn).toBe(s.lsn);
      expect(await entries(s.iterator())).toEqual(['a=one', 'b=outside', 'c=3', 'd=4']);
    });

    it('getSync reads own writes, then the snapshot, synchronously (as do snapshots)', async () => {
      if (!s.supports.getSync) return;
      const txn = s.beginTransaction();
      const snap = s.snapshot();
      await s.put('a', 'after-begin'); // invisible to both
      await txn.put('c', 'mine');
      await txn.del('e');
      expect(txn.getSync).toBeTypeOf('function');
      expect(txn.getSync!('a')?.toString()).toBe('1');
      expect(txn.getSync!('c')?.toString()).toBe('mine');
      expect(txn.getSync!('e')).toBeUndefined();
      expect(txn.getSync!('zz')).toBeUndefined();
      expect(snap.getSync!('a')?.toString()).toBe('1');
      expect(snap.getSync!(Buffer.from('e'))?.toString()).toBe('5');
      expect(() => txn.getSync!('')).toThrow(/empty/);
      await txn.commit();
      expect(() => txn.getSync!('a')).toThrow(TransactionError);
      await snap.close();
      expect(() => snap.getSync!('a')).toThrow(/closed/);
    });

    it('a snapshot or transaction taken while a commit is being written says it is not exact', async () => {
      const writing = s.put('a', 'landing');
      const during = s.beginTransaction();
      const snapDuring = s.snapshot();
      if (factory.traits?.exactSnapshots) {
        // Exact by construction: whatever the view holds, its LSN says so.
        const lsn = await writing;
        const seen = (await snapDuring.get('a'))?.toString();
        expect(snapDuring.exact).toBe(true);
        expect(seen === 'landing').toBe(snapDuring.lsn >= lsn);
        await during.abort();
        return snapDuring.close();
      }
      expect(snapDuring.exact).toBe(false);
      if (!(during instanceof LocalTransaction)) {
        // A storage that cannot tell (another process writes the commits) never says exact.
        await writing;
        await during.abort();
        await snapDuring.close();
        const snapAfter = s.snapshot();
        expect(snapAfter.exact).toBe(false);
        return snapAfter.close();
      }
      expect(during.snapshotExact).toBe(false);
      const lsn = await writing;
      const after = s.beginTransaction() as LocalTransaction;
      const snapAfter = s.snapshot();
      expect([after.snapshotExact, snapAfter.exact, after.snapshotLsn]).toEqual([true, true, lsn]);
      for (const t of [during, after]) await t.abort();
      for (const snap of [snapDuring, snapAfter]) await snap.close();
    });

    it("batch copies the caller's buffers unless told they are handed over", async () => {
      const txn = s.beginTransaction();
      const key = Buffer.from('mine');
      const value = Buffer.from('one');
      await txn.batch([{ type: 'put', key, value }]);
      value.write('two');
      expect(await read(txn, 'mine')).toBe('one'); // copied: the caller's later change is not seen
      const given = Buffer.from('yes');
      await txn.batch([{ type: 'put', key: Buffer.from('given'), value: given }], { copy: false });
      // Kept as handed over, not copied (where the transaction is in this process).
      if (txn instanceof LocalTransaction) expect(await txn.get('given')).toBe(given);
      await txn.commit();
      expect([await read(s, 'mine'), await read(s, 'given')]).toEqual(['one', 'yes']);
    });

    it('merges correctly when either side runs out first, in both directions', async () => {
      const txn = s.beginTransaction();
      await txn.put('0', 'zero'); // before every snapshot key
      await txn.put('z', 'last'); // after every snapshot key
      expect(await entries(txn.iterator())).toEqual(['0=zero', 'a=1', 'c=3', 'e=5', 'z=last']);
      expect(await entries(txn.iterator({ reverse: true }))).toEqual(['z=last', 'e=5', 'c=3', 'a=1', '0=zero']);
      expect(await entries(txn.iterator({ lt: 'b', reverse: true }))).toEqual(['a=1', '0=zero']);
      expect(await entries(txn.iterator({ gt: 'd', reverse: true }))).toEqual(['z=last', 'e=5']);
      await txn.del('a');
      await txn.del('c');
      await txn.del('e');
      expect(await entries(txn.iterator({ reverse: true }))).toEqual(['z=last', '0=zero']);
      // Writes after a range read (new keys and overwrites) show in the next one.
      await txn.put('b', 'new');
      await txn.put('0', 'again');
      await txn.put('a', 'back');
      expect(await entries(txn.iterator())).toEqual(['0=again', 'a=back', 'b=new', 'z=last']);
      await txn.abort();
    });

    it('abort leaves nothing behind, and is idempotent', async () => {
      const txn = s.beginTransaction();
      await txn.put('z', 'x');
      await txn.del('a');
      await txn.abort();
      await txn.abort();
      expect(await read(s, 'z')).toBeUndefined();
      expect(await read(s, 'a')).toBe('1');
      expect((await s.currentStats()).transactionsAborted).toBe(1);
    });

    it('first committer wins: a write-write conflict throws and writes nothing of the loser', async () => {
      const t1 = s.beginTransaction();
      const t2 = s.beginTransaction();
      await t1.put('a', 't1');
      await t2.put('a', 't2');
      await t2.put('new', 'from-t2');
      await t1.commit();
      await expect(t2.commit()).rejects.toBeInstanceOf(TransactionConflictError);
      expect(t2.state).toBe('aborted');
      expect(await read(s, 'a')).toBe('t1');
      expect(await read(s, 'new')).toBeUndefined();
      expect((await s.currentStats()).conflicts).toBe(1);
    });

    it('a conflict is reported once the winning commit has landed: the retry sees it and does not lose again', async () => {
      const winner = s.beginTransaction();
      const loser = s.beginTransaction();
      await winner.put('a', 'winner');
      await loser.put('a', 'loser');
      // Both commits start together: the winner's write is still in flight when the loser is checked.
      const won = winner.commit();
      await expect(loser.commit()).rejects.toBeInstanceOf(TransactionConflictError);
      const retry = s.beginTransaction();
      expect((await retry.get('a'))?.toString()).toBe('winner');
      await retry.put('a', 'retry');
      await retry.commit();
      await won;
      expect(await read(s, 'a')).toBe('retry');
    });

    it('dependOn: a key read, not written, conflicts when another transaction commits it first', async () => {
      const reader = s.beginTransaction();
      reader.dependOn!('schema');
      await reader.put('row', 'x');
      const ddl = s.beginTransaction();
      await ddl.put('schema', 'v2');
      await ddl.commit();
      await expect(reader.commit()).rejects.toBeInstanceOf(TransactionConflictError);
      expect(await read(s, 'row')).toBeUndefined();
      // Begun after that commit, the same dependency is satisfied; without it nothing conflicts.
      const later = s.beginTransaction();
      later.dependOn!('schema');
      await later.put('row', 'y');
      const unrelated = s.beginTransaction();
      await unrelated.put('row2', 'z');
      await s.put('schema', 'v3');
      await unrelated.commit();
      await expect(later.commit()).rejects.toBeInstanceOf(TransactionConflictError);
      const fresh = s.beginTransaction();
      fresh.dependOn!('schema');
      await fresh.put('row', 'ok');
      await fresh.commit();
      expect(await read(s, 'row')).toBe('ok');
    });

    it('savepoint and rollbackTo undo exactly the writes made after the mark', async () => {
      const txn = s.beginTransaction();
      // Optional: a transaction held for another process has none.
      if (!txn.savepoint) return txn.abort();
      await txn.put('a', 'before');
      const mark = txn.savepoint();
      await txn.put('a', 'after');
      await txn.del('c');
      await txn.put('zz', 'new');
      txn.rollbackTo!(mark);
      expect(await read(txn, 'a')).toBe('before');
      expect(await read(txn, 'c')).toBe('3');
      expect(await read(txn, 'zz')).toBeUndefined();
      await txn.put('after-rollback', '1');
      await txn.commit();
      expect(await entries(s.iterator())).toEqual(['a=before', 'after-rollback=1', 'c=3', 'e=5']);
      const other = s.beginTransaction();
      expect(() => txn.rollbackTo!(mark)).toThrow(TransactionError);
      expect(() => other.rollbackTo!(mark)).toThrow(TransactionError);
      await other.abort();
    });

    it('a transaction begun while the only other one is still writing its commit conflicts with it', async () => {
      // The sole live transaction's keys are not tracked at submit; a transaction that begins before
      // that write lands must still see it as a conflict.
      const first = s.beginTransaction();
      await first.put('c', 'first');
      const landing = first.commit();
      const second = s.beginTransaction();
      if (factory.traits?.exactSnapshots) {
        // Its view may or may not hold the first commit; if it does not, the commit conflicts.
        const sees = (await second.get('c'))?.toString() === 'first';
        await landing;
        await second.put('c', 'second');
        if (sees) {
          await second.commit();
          return;
        }
      } else {
        expect(second.snapshotLsn).toBeLessThan(await landing);
        await second.put('c', 'second');
      }
      await expect(second.commit()).rejects.toBeInstanceOf(TransactionConflictError);
      expect(await read(s, 'c')).toBe('first');
      // …and once the write has landed, a new transaction starts from it and commits.
      const third = s.beginTransaction();
      await third.put('c', 'third');
      await third.commit();
      expect(await read(s, 'c')).toBe('third');
      expect((await s.currentStats()).keysCount).toBe(3);
    });

    it('a plain put after begin also conflicts with the transaction writing that key', async () => {
      const txn = s.beginTransaction();
      await txn.put('c', 'txn');
      await s.put('c', 'plain');
      await expect(txn.commit()).rejects.toMatchObject({ code: 2002 });
      expect(await read(s, 'c')).toBe('plain');
    });

    it('a transaction retried more often commits first: a fresher one on the key it lost waits for it, then conflicts', async () => {
      // Fairness between retried and fresh transactions is AbstractStorage's (one process decides).
      if (factory.traits?.fairness === false) return;
      await expect(async () => s.beginTransaction({ attempt: 0 })).rejects.toMatchObject({ code: 6000, field: 'attempt' });
      // A conflict on 'hot' first: that is what marks the key as contested.
      const [winner, loser] = [s.beginTransaction(), s.beginTransaction()];
      await winner.put('hot', 'w');
      await loser.put('hot', 'l');
      await winner.commit();
      await expect(loser.commit()).rejects.toMatchObject({ code: 2002 });
      const starving = s.beginTransaction({ attempt: 3 });
      await starving.put('hot', 'retried');
      const fresh = s.beginTransaction();
      await fresh.put('hot', 'fresh');
      // Within one process (over one connection, requests are answered in order: the fairness of
      // concurrent mode's clients is tested with real processes in @sochdb/sdk).
      if (!(fresh instanceof LocalTransaction)) return Promise.all([fresh.abort(), starving.abort()]);
      const outcomes = await Promise.all([
        fresh.commit().then(
          () => 'committed',
          (e: Error) => e.name,
        ),
        starving.commit().then(() => 'committed'),
      ]);
      expect(outcomes).toEqual(['TransactionConflictError', 'committed']);
      expect((await s.get('hot'))?.toString()).toBe('retried');
    });

    it('while a retried transaction is live, a commit on keys nobody lost a conflict on does not wait for it', async () => {
      // Fairness between retried and fresh transactions is AbstractStorage's (one process decides).
      if (factory.traits?.fairness === false) return;
      const [winner, loser] = [s.beginTransaction(), s.beginTransaction()];
      await winner.put('contested', 'w');
      await loser.put('contested', 'l');
      await winner.commit();
      await expect(loser.commit()).rejects.toMatchObject({ code: 2002 });
      const retried = s.beginTransaction({ attempt: 2 });
      await retried.put('contested', 'retried');
      const onContested = s.beginTransaction();
      await onContested.put('contested', 'fresh');
      const elsewhere = s.beginTransaction();
      await elsewhere.put('elsewhere', 'fresh');
      if (!(elsewhere instanceof LocalTransaction)) return Promise.all([onContested.abort(), elsewhere.abort(), retried.abort()]);
      // The commit on the contested key waits (for the retried one, or a short while); the other
      // does not, so it lands first although it was asked second.
      const order: string[] = [];
      const done = Promise.all([
        onContested.commit().then(
          () => order.push('contested'),
          () => order.push('contested failed'),
        ),
        elsewhere.commit().then(() => order.push('elsewhere')),
      ]);
      await done;
      expect(order[0]).toBe('elsewhere');
      await retried.abort();
    });

    it('disjoint writers and read-only transactions never conflict', async () => {
      const t1 = s.beginTransaction();
      const t2 = s.beginTransaction();
      const reader = s.beginTransaction({ readOnly: true });
      await t1.put('x', '1');
      await t2.put('y', '2');
      expect(await read(reader, 'a')).toBe('1');
      await Promise.all([t1.commit(), t2.commit()]);
      await s.put('a', 'changed');
      expect(await read(reader, 'a')).toBe('1');
      await reader.commit();
      await expect(reader.put('q', 'q')).rejects.toBeInstanceOf(TransactionError);
    });

    it('enforces the lifecycle: no use after commit or abort, no double commit', async () => {
      const txn = s.beginTransaction();
      await txn.put('k', 'v');
      await txn.commit();
      await expect(txn.commit()).rejects.toBeInstanceOf(TransactionError);
      await expect(txn.get('k')).rejects.toBeInstanceOf(TransactionError);
      await expect(txn.abort()).rejects.toBeInstanceOf(TransactionError);
      const aborted = s.beginTransaction();
      await aborted.abort();
      await expect(aborted.commit()).rejects.toBeInstanceOf(TransactionError);
      expect(() => aborted.iterator()).toThrow(TransactionError);
    });

    it('transaction(fn) commits on return, aborts on throw, and retries conflicts when asked', async () => {
      const result = await s.transaction(async (txn) => {
        await txn.put('fn', 'ok');
        return 42;
      });
      expect(result).toBe(42);
      expect(await read(s, 'fn')).toBe('ok');
      await expect(
        s.transaction(async (txn) => {
          await txn.put('boom', 'x');
          throw new Error('user failure');
        }),
      ).rejects.toThrow('user failure');
      expect(await read(s, 'boom')).toBeUndefined();

      // Concurrent read-modify-write increments: with retries, no update is lost.
      await s.put('counter', '0');
      await Promise.all(
        Array.from({ length: 20 }, () =>
          s.transaction(
            async (txn) => {
              const n = Number((await txn.get('counter'))!.toString());
              await new Promise((r) => setTimeout(r, Math.random() * 3));
              await txn.put('counter', String(n + 1));
            },
            { retries: 100 },
          ),
        ),
      );
      expect(await read(s, 'counter')).toBe('20');
    });

    it('afterCommit hooks run only after a successful commit', async () => {
      const seen: string[] = [];
      const ok = s.beginTransaction();
      ok.afterCommit(() => seen.push('ok'));
      await ok.put('k', 'v');
      await ok.commit();
      const bad = s.beginTransaction();
      bad.afterCommit(() => seen.push('bad'));
      await bad.put('k2', 'v');
      await bad.abort();
      expect(seen).toEqual(['ok']);
    });

    it('await using aborts an unfinished transaction', async () => {
      {
        await using txn = s.beginTransaction();
        await txn.put('scoped', 'x');
      }
      expect(await read(s, 'scoped')).toBeUndefined();
      expect((await s.currentStats()).activeTransactions).toBe(0);
    });

    it('closing the storage aborts open transactions', async () => {
      const txn = s.beginTransaction();
      await txn.put('k', 'v');
      await s.close();
      expect(txn.state).toBe('aborted');
      s = await factory.open();
    });
  });
}
