// The row cache is never stale: random interleavings of writes (through a caching engine, a
// non-caching one, raw key-value commits, commits still being written), reads in and out of
// transactions of every age, and aborted writes, each read compared with an engine that has
// no cache reading the same snapshot.
import { afterEach, describe, expect, it } from 'vitest';
import { encodeKey, type Transaction } from '@sochdb/core';
import { SqlEngine } from '@sochdb/sql';
import { openEngine } from './helpers.js';

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

const QUERIES = [
  'SELECT count(*) AS n, sum(v) AS s FROM a',
  'SELECT a.id, a.v, b.w FROM a JOIN b ON b.id = a.id ORDER BY a.id',
  'SELECT b.w % 3 AS g, count(*) AS n FROM b GROUP BY g ORDER BY g',
];

function rng(seed: number): (n: number) => number {
  let x = seed;
  return (n) => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return x % n;
  };
}

describe('row cache under random interleavings', () => {
  for (const seed of [1, 2, 3]) {
    it(`answers exactly like an uncached engine on the same snapshot (seed ${seed})`, async () => {
      const db = await openEngine();
      close = db.close;
      const { storage, sql: cached } = db;
      const plain = new SqlEngine(storage, { rowCacheRows: 0 });
      await cached.execute('CREATE TABLE a (id INTEGER PRIMARY KEY, v INTEGER); CREATE TABLE b (id INTEGER PRIMARY KEY, w INTEGER)');
      const random = rng(seed);
      const open: Transaction[] = [];
      const compare = async (txn?: Transaction) => {
        for (const q of QUERIES) {
          const options = txn ? { txn } : {};
          const [got, want] = [await cached.execute(q, [], options), await plain.execute(q, [], options)];
          expect(got.rows).toEqual(want.rows);
        }
      };
      const write = (engine: SqlEngine) => {
        const table = random(2) === 0 ? 'a' : 'b';
        const id = 1 + random(12);
        const kind = random(3);
        const column = table === 'a' ? 'v' : 'w';
        if (kind === 0) return engine.execute(`INSERT OR REPLACE INTO ${table} (id, ${column}) VALUES (?, ?)`, [id, random(100)]);
        if (kind === 1) return engine.execute(`UPDATE ${table} SET ${column} = ${column} + 1 WHERE id = ?`, [id]);
        return engine.execute(`DELETE FROM ${table} WHERE id = ?`, [id]);
      };
      for (let step = 0; step < 120; step++) {
        const action = random(10);
        if (action <= 2) await write(random(2) === 0 ? cached : plain);
        else if (action === 3) await storage.put(`elsewhere:${random(5)}`, String(step));
        else if (action === 4) {
          // Raw write of a row key of `a`, value copied from another row (a valid encoded row).
          const from = await storage.get(encodeKey(['sql', 'default', 'r', 'a', 1 + random(12)]));
          if (from) await storage.put(encodeKey(['sql', 'default', 'r', 'a', 1 + random(12)]), from);
        } else if (action === 5) {
          // A commit still being written while a transaction begins and reads: both engines read
          // that transaction's snapshot, so they must agree whichever side of it the commit fell.
          const landing = write(cached);
          const during = storage.beginTransaction();
          await compare(during);
          await landing;
          await compare(during);
          await during.abort();
        } else if (action === 8) {
          // The window that makes a snapshot inexact: LevelDB has applied a commit whose
          // completion JavaScript has not yet seen, so the new snapshot holds it while its LSN
          // does not. Warm the cache, start a raw write of a row of `a`, let it reach the thread
          // pool, block until LevelDB has surely applied it, then begin a transaction.
          await compare();
          const from = await storage.get(encodeKey(['sql', 'default', 'r', 'a', 1 + random(12)]));
          if (!from) continue;
          const landing = storage.put(encodeKey(['sql', 'default', 'r', 'a', 13 + random(5)]), from);
          for (let i = 0; i < 50; i++) await Promise.resolve();
          const until = Date.now() + 15;
          while (Date.now() < until) {
            // busy: the thread pool writes, the completion callback cannot run
          }
          const during = storage.beginTransaction();
          await compare(during);
          await landing;
          await during.abort();
        } else if (action === 6) {
          if (open.length < 3) open.push(storage.beginTransaction());
          else await open.shift()!.abort();
        } else if (action === 7) {
          // A transaction with its own (then aborted) writes.
          const txn = storage.beginTransaction();
          await cached.execute('INSERT OR REPLACE INTO a (id, v) VALUES (?, ?)', [1 + random(12), 1000], { txn });
          await compare(txn);
          await txn.abort();
        }
        await compare();
        for (const txn of open) await compare(txn); // older snapshots, possibly before cached entries
      }
      for (const txn of open) await txn.abort();
      expect(cached.rowCacheStats().hits).toBeGreaterThan(20);
    });
  }
});
