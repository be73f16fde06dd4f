// The Storage conformance suite (abstract-level's pattern): every Storage — LevelDB, in-memory,
// concurrent mode's owner and client, a remote or distributed backend — runs it. Checks that need
// what a backend may lack are gated by \`storage.supports\` and the factory's \`persistent\`.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DatabaseError, ValidationError } from '../errors.js';
import type { Transaction } from '../storage/types.js';
import type { Storage } from '../storage/types.js';
import type { AbstractStorage } from '../storage/abstract-storage.js';
import { storageFactories, type StorageFactory } from './factories.js';

const contents = async (s: Storage): Promise<Record<string, string>> => {
  const out: Record<string, string> = {};
  for await (const [k, v] of s.iterator()) out[k.toString()] = v.toString();
  return out;
};
const keysOf = async (it: AsyncIterable<readonly [Buffer, Buffer]>) => {
  const out: string[] = [];
  for await (const [k] of it) out.push(k.toString());
  return out;
};

export function describeStorageConformance(factories: readonly (() => StorageFactory)[] = storageFactories): void {
  describe.each(factories.map((f) => [f().name, f] as const))('Storage conformance: %s', (_name, makeFactory) => {
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

    it('puts, gets and deletes; a missing key is undefined and an empty value is not missing', async () => {
      await s.put('a', 'alpha');
      await s.put(Buffer.from([0, 255, 1]), Buffer.alloc(0));
      expect((await s.get('a'))?.toString()).toBe('alpha');
      expect(await s.get(Buffer.from([0, 255, 1]))).toEqual(Buffer.alloc(0));
      expect(await s.get('missing')).toBeUndefined();
      await s.del('a');
      expect(await s.get('a')).toBeUndefined();
      if (s.supports.getSync) expect(s.getSync(Buffer.from([0, 255, 1]))).toEqual(Buffer.alloc(0));
    });

    it('strings are UTF-8 and Uint8Array keys equal their Buffer form', async () => {
      await s.put('ключ-🔑', 'значение');
      expect((await s.get(new Uint8Array(Buffer.from('ключ-🔑'))))?.toString()).toBe('значение');
    });

    it('getMany returns values in key order with undefined for missing', async () => {
      await s.batch([
        { type: 'put', key: 'x', value: '1' },
        { type: 'put', key: 'y', value: '2' },
      ]);
      const values = await s.getMany(['y', 'nope', 'x']);
      expect(values.map((v) => v?.toString())).toEqual(['2', undefined, '1']);
    });

    it('batch is atomic: an invalid op rejects the whole batch before anything is written', async () => {
      await expect(
        s.batch([
          { type: 'put', key: 'ok', value: '1' },
          { type: 'put', key: '', value: '2' },
        ]),
      ).rejects.toBeInstanceOf(ValidationError);
      expect(await s.get('ok')).toBeUndefined();
      await expect(s.batch([{ type: 'nope', key: 'k' } as never])).rejects.toThrow(/'put' or 'del'/);
    });

    it('rejects the empty key and non-bytes with ValidationError naming the field', async () => {
      await expect(s.put('', 'v')).rejects.toMatchObject({ code: 6000, field: 'key' });
      await expect(s.put(42 as never, 'v')).rejects.toBeInstanceOf(ValidationError);
      await expect(s.get(null as never)).rejects.toBeInstanceOf(ValidationError);
    });

    describe('iteration', () => {
      beforeEach(async () => {
        await s.batch(['a', 'b', 'c', 'd', 'e'].map((k) => ({ type: 'put' as const, key: k, value: k.toUpperCase() })));
      });

      it('covers [gte, lt) and (gt, lte] in byte order, forward and reverse', async () => {
        expect(await keysOf(s.iterator())).toEqual(['a', 'b', 'c', 'd', 'e']);
        expect(await keysOf(s.iterator({ gte: 'b', lt: 'd' }))).toEqual(['b', 'c']);
        expect(await keysOf(s.iterator({ gt: 'b', lte: 'd' }))).toEqual(['c', 'd']);
        expect(await keysOf(s.iterator({ gte: 'b', lt: 'd', reverse: true }))).toEqual(['c', 'b']);
        expect(await keysOf(s.iterator({ gt: 'b', lte: 'd', reverse: true }))).toEqual(['d', 'c']);
        expect(await keysOf(s.iterator({ reverse: true, limit: 2 }))).toEqual(['e', 'd']);
        expect(await keysOf(s.iterator({ gte: '', lt: 'c' }))).toEqual(['a', 'b']);
        expect(await keysOf(s.iterator({ gte: 'd', lt: 'b' }))).toEqual([]);
        expect(await keysOf(s.iterator({ limit: 0 }))).toEqual([]);
      });

      it('nextv reads batches and returns [] at the end; the iterator sees the state at its creation', async () => {
        const it = s.iterator();
        await s.put('c', 'changed');
        await s.put('f', 'F');
        const first = await it.nextv(3);
        expect(first.map(([k, v]) => `${k.toString()}${v.toString()}`)).toEqual(['aA', 'bB', 'cC']);
        expect((await it.nextv(10)).map(([k]) => k.toString())).toEqual(['d', 'e']);
        expect(await it.nextv(10)).toEqual([]);
        await it.close();
        await it.close();
        await expect(it.nextv(1)).rejects.toBeInstanceOf(DatabaseError);
      });

      it('breaking out of for-await closes the iterator', async () => {
        const it = s.iterator();
        for await (const _ of it) break;
        await expect(it.next()).rejects.toThrow(/closed/);
      });

      it('rejects contradictory bounds and bad limits', () => {
        expect(() => s.iterator({ gt: 'a', gte: 'a' })).toThrow(ValidationError);
        expect(() => s.iterator({ limit: -2 })).toThrow(ValidationError);
        expect(() => s.iterator({ limit: 1.5 })).toThrow(ValidationError);
      });

      it('clear removes a range, or everything', async () => {
        await s.clear({ gte: 'b', lt: 'd' });
        expect(await keysOf(s.iterator())).toEqual(['a', 'd', 'e']);
        await s.clear();
        expect(await keysOf(s.iterator())).toEqual([]);
        expect((await s.currentStats()).keysCount).toBe(0);
      });
    });

    it('a snapshot keeps reading the old state until closed', async () => {
      await s.put('k', 'old');
      const snap = s.snapshot();
      await s.put('k', 'new');
      await s.put('k2', 'x');
      expect((await snap.get('k'))?.toString()).toBe('old');
      expect(await snap.get('k2')).toBeUndefined();
      expect(await keysOf(snap.iterator())).toEqual(['k']);
      await snap.close();
      await expect(snap.get('k')).rejects.toThrow(/closed/);
    });

    it('every write returns an increasing LSN and stats count keys exactly', async () => {
      const a = await s.put('a', '1');
      const b = await s.put('a', '2');
      const c = await s.batch([
        { type: 'put', key: 'b', value: '1' },
        { type: 'del', key: 'a' },
        { type: 'del', key: 'never-existed' },
      ]);
      expect(b).toBeGreaterThan(a);
      expect(c).toBeGreaterThan(b);
      expect(s.lsn).toBe(c);
      const stats = await s.currentStats();
      expect(stats.keysCount).toBe(1);
      expect(stats.lsn).toBe(c);
      expect(stats.bytesWritten).toBeGreaterThan(0);
    });

    it('concurrent writes are all applied, in LSN order', async () => {
      const lsns = await Promise.all(Array.from({ length: 200 }, (_, i) => s.put(`k${String(i).padStart(3, '0')}`, String(i))));
      expect(new Set(lsns).size).toBe(200);
      expect([...lsns].sort((x, y) => (x < y ? -1 : 1))).toEqual(lsns);
      expect((await s.currentStats()).keysCount).toBe(200);
      expect((await s.currentStats()).writeBatches).toBeLessThan(200); // group commit merged some
    });

    it.each([false, true])(
      'the key count stays exact through any mix of small and large writes, clears and transactions (trackKeyCount: %s)',
      async (trackKeyCount) => {
        // Counted on writes, small writes are counted against remembered existence, large ones by
        // reads; mixing them (and concurrent, grouped writes) must never drift from the real number
        // of keys. Uncounted, currentStats() counts by a scan.
        await s.close();
        s = await factory.open({ syncMode: 'off', trackKeyCount });
        let seed = 7;
        const random = (n: number) => {
          seed = (seed * 1103515245 + 12345) % 2 ** 31;
          return seed % n;
        };
        const key = () => `k${random(60)}`;
        const checkCount = async () => expect((await s.currentStats()).keysCount).toBe((await keysOf(s.iterator())).length);
        for (let round = 0; round < 30; round++) {
          const kind = random(5);
          if (kind === 0) await s.put(key(), 'v');
          else if (kind === 1) await Promise.all(Array.from({ length: 8 }, () => (random(2) ? s.put(key(), 'v') : s.del(key()))));
          else if (kind === 2)
            await s.batch(
              Array.from({ length: 40 + random(40) }, () =>
                random(3) ? { type: 'put' as const, key: key(), value: 'v' } : { type: 'del' as const, key: key() },
              ),
            );
          else if (kind === 3) await s.clear({ gte: `k${random(6)}`, lt: `k${random(6) + 3}` });
          else {
            await s.transaction(async (txn) => {
              for (let i = 0; i < 1 + random(50); i++) await (random(3) ? txn.put(key(), 'v') : txn.del(key()));
            });
          }
          await checkCount();
        }
      },
    );

    it.each([false, true])(
      'the key count stays exact for long ascending runs of new, existing, deleted and interleaved keys (trackKeyCount: %s)',
      async (trackKeyCount) => {
        // Counted on writes, a transaction's ascending run is counted with one range seek when
        // nothing is stored in its span, key by key otherwise.
        await s.close();
        s = await factory.open({ syncMode: 'off', trackKeyCount });
        const key = (i: number) => `run:${String(i).padStart(5, '0')}`;
        const checkCount = async () => expect((await s.currentStats()).keysCount).toBe((await keysOf(s.iterator())).length);
        const inTxn = (write: (txn: Transaction) => Promise<void>) => s.transaction(write);
        await inTxn(async (t) => {
          for (let i = 0; i < 200; i += 2) await t.put(key(i), 'v'); // new keys, empty span
        });
        await checkCount();
        await inTxn(async (t) => {
          for (let i = 0; i < 200; i++) await t.put(key(i), 'w'); // half exist
        });
        await checkCount();
        await inTxn(async (t) => {
          for (let i = 1000; i < 1100; i++) await t.del(key(i)); // deletes of absent keys, empty span
          await t.put('aaa-out-of-order', 'x'); // not part of the run
        });
        await checkCount();
        await inTxn(async (t) => {
          for (let i = 150; i < 300; i++) await (i % 3 === 0 ? t.del(key(i)) : t.put(key(i), 'z'));
        });
        await checkCount();
        await s.put(key(5000), 'lone');
        await inTxn(async (t) => {
          for (let i = 4950; i < 5100; i += 2) await t.put(key(i), 'v'); // span holds an unrelated key
        });
        await checkCount();
      },
    );

    it('onCommit reports every applied commit in LSN order, before its LSN is visible; unsubscribing stops it', async () => {
      // Optional: a storage that does not see every commit in this process has none.
      if (typeof s.onCommit !== 'function') return;
      const seen: string[] = [];
      let lsnSeenByListener = -1n;
      const off = s.onCommit((c) => {
        lsnSeenByListener = s.lsn;
        seen.push(`${c.lsn}:${c.ops.map((o) => `${o.key.toString()}${o.value ? '=' + o.value.toString() : '-'}`).join(',')}`);
      });
      const throwing = s.onCommit(() => {
        throw new Error('a listener that fails');
      });
      const a = await s.put('a', '1');
      const txn = s.beginTransaction();
      await txn.put('t', '2');
      const [b, c] = await Promise.all([s.del('a'), txn.commit()]);
      // Called in the step that makes the LSN visible: the storage already says it, nobody saw it before.
      expect(lsnSeenByListener).toBe(c);
      await s.checkpoint(); // no writes: not reported
      expect(seen).toEqual([`${a}:a=1`, `${b}:a-`, `${c}:t=2`]);
      off();
      throwing();
      await s.put('z', '9');
      expect(seen).toHaveLength(3);
      expect(() => s.onCommit!(42 as never)).toThrow(ValidationError);
    });

    it('watch calls the listener after each commit that wrote a key in its range, from anyone; unsubscribing stops it', async () => {
      // Optional: a storage that cannot push commits has none (its users poll).
      if (typeof s.watch !== 'function') return;
      let calls = 0;
      const until = async (n: number): Promise<void> => {
        // A storage reached through another process reports a round trip late.
        for (let waited = 0; calls < n; waited += 5) {
          if (waited > 5_000) throw new Error(`watch listener called ${calls} times, expected ${n}`);
          await new Promise((r) => setTimeout(r, 5));
        }
      };
      const off = s.watch({ gte: 'b', lt: 'c' }, () => calls++);
      await s.put('a', '1'); // outside the range
      await s.put('b1', '1');
      await until(1);
      await new Promise((r) => setTimeout(r, 50));
      expect(calls).toBe(1); // the write to 'a' did not count
      const txn = s.beginTransaction();
      await txn.put('a', '2');
      await txn.put('bz', '2');
      await txn.commit();
      await until(2);
      await s.batch([{ type: 'del', key: 'b1' }]);
      await until(3);
      off();
      await s.put('b2', '3');
      await new Promise((r) => setTimeout(r, 50));
      expect(calls).toBe(3);
      expect(() => s.watch!({}, 42 as never)).toThrow(ValidationError);
      expect(() => s.watch!({ gte: 7 as never }, () => undefined)).toThrow(ValidationError);
    });

    it('checkpoint resolves with the last LSN', async () => {
      const lsn = await s.put('a', '1');
      expect(await s.checkpoint()).toBe(lsn);
    });

    it('operations after close fail with DatabaseError, and close is idempotent', async () => {
      await s.close();
      await s.close();
      await expect(s.get('a')).rejects.toMatchObject({ code: 9003, message: 'database is closed' });
      await expect(s.put('a', 'b')).rejects.toBeInstanceOf(DatabaseError);
      expect(() => s.iterator()).toThrow(DatabaseError);
      expect(() => s.beginTransaction()).toThrow(DatabaseError);
    });

    it('withRollbackJournal keeps the work of a function that resolves and undoes all of one that throws, however it was committed', async () => {
      if (typeof s.withRollbackJournal !== 'function') return;
      await s.batch([
        { type: 'put', key: 'a', value: '1' },
        { type: 'put', key: 'b', value: '2' },
        { type: 'put', key: 'c', value: '3' },
      ]);
      const before = s.lsn;
      const failure = new Error('stop');
      await expect(
        s.withRollbackJournal(async () => {
          await s.put('a', '10');
          await s.del('b');
          await s.put('d', '4');
          await s.batch([
            { type: 'put', key: 'a', value: '11' },
            { type: 'put', key: 'e', value: '5' },
          ]);
          await s.transaction(async (txn) => {
            await txn.put('c', '30');
            await txn.put('f', '6');
          });
          await s.clear({ gte: 'a', lt: 'b' });
          throw failure;
        }),
      ).rejects.toBe(failure);
      expect(await contents(s)).toEqual({ a: '1', b: '2', c: '3' });
      expect((await s.currentStats()).keysCount).toBe(3);
      expect(s.lsn).toBeGreaterThan(before); // undone by new commits: readers that follow commits see the undo
      // A function that resolves keeps its work, and a later journal does not undo it.
      expect(
        await s.withRollbackJournal(async () => {
          await s.put('a', 'kept');
          await s.put('g', '7');
          return 'done';
        }),
      ).toBe('done');
      await expect(
        s.withRollbackJournal(async () => {
          await s.put('g', '8');
          throw failure;
        }),
      ).rejects.toBe(failure);
      expect(await contents(s)).toEqual({ a: 'kept', b: '2', c: '3', g: '7' });
      // One journal at a time; a non-function is refused before anything happens.
      await s.withRollbackJournal(async () => {
        await expect(s.withRollbackJournal!(async () => undefined)).rejects.toMatchObject({ code: 2001 });
        // A backup now would hold half the work with no journal to undo it.
        const { backup } = s as Partial<Pick<AbstractStorage, 'backup'>>;
        if (typeof backup === 'function') await expect(backup.call(s, '/nonexistent/sochdb-never-written')).rejects.toMatchObject({ code: 2001 });
      });
      await expect(s.withRollbackJournal(42 as never)).rejects.toBeInstanceOf(ValidationError);
    });

    it('a storage closed while a rollback journal is active undoes the work when it opens again', async () => {
      if (!factory.persistent || typeof s.withRollbackJournal !== 'function') return;
      await s.put('a', '1');
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      let pieces = 0;
      const journaled = s.withRollbackJournal(async () => {
        for (; pieces < 5; pieces++)
          await s.batch([
            { type: 'put', key: `k${pieces}`, value: 'x' },
            { type: 'put', key: 'a', value: String(pieces) },
          ]);
        release();
        await new Promise((resolve) => setTimeout(resolve, 50));
        await s.put('late', 'x'); // fails: the storage is closed
      });
      await held;
      await s.close();
      await expect(journaled).rejects.toMatchObject({ code: 9003 });
      s = await factory.open();
      expect(await contents(s)).toEqual({ a: '1' });
      expect((await s.currentStats()).keysCount).toBe(1);
    });

    it('a persistent backend keeps data, LSN and key count across reopen', async () => {
      if (!factory.persistent) return;
      await s.put('a', '1');
      const lsn = await s.put('b', '2');
      await s.close();
      s = await factory.open();
      expect((await s.get('b'))?.toString()).toBe('2');
      expect(s.lsn).toBe(lsn);
      expect((await s.currentStats()).keysCount).toBe(2);
      expect(await s.put('c', '3')).toBe(lsn + 1n);
    });
  });
}
