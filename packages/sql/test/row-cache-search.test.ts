// Index and primary-key searches served from the row cache (cached-ranges.ts) answer exactly as
// a read of LevelDB does: random data of every storage class, random searches of every shape,
// random writes (through any of three engines sharing the storage, in transactions that abort,
// many rows in one commit) and snapshots of every age in between,
// each answer compared with an engine that has no cache reading the same snapshot.
import { afterEach, describe, expect, it } from 'vitest';
import type { Transaction } from '@sochdb/core';
import { SqlEngine } from '@sochdb/sql';
import { openEngine } from './helpers.js';

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

function rng(seed: number): (n: number) => number {
  let x = seed;
  return (n) => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return x % n;
  };
}

const SCHEMA = `
  CREATE TABLE t (id INTEGER PRIMARY KEY, a REAL, b, c TEXT, u INTEGER);
  CREATE INDEX t_a ON t (a);
  CREATE INDEX t_bc ON t (b, c);
  CREATE UNIQUE INDEX t_u ON t (u);
  CREATE TABLE k (name TEXT PRIMARY KEY, n INTEGER, m);
  CREATE INDEX k_n ON k (n);
  CREATE TABLE r (x, y);
  CREATE INDEX r_x ON r (x)`;

/** A value of any storage class for the typeless column `b`: integers, reals, text, blobs, NULL. */
function anyValue(random: (n: number) => number): unknown {
  switch (random(6)) {
    case 0:
      return null;
    case 1:
      return random(20) - 5;
    case 2:
      return (random(40) - 10) / 4;
    case 3:
      return ['', 'a', 'b', 'ab', 'B', '10', 'é'][random(7)];
    case 4:
      return Buffer.from([random(3), random(3)]);
    default:
      return random(5);
  }
}

/** Searches by index (equality prefix and ranges), by primary-key range, and joins that search. */
function searches(random: (n: number) => number): [string, unknown[]][] {
  const lo = random(30) - 5;
  const hi = lo + random(15);
  return [
    ['SELECT id, a FROM t WHERE a BETWEEN ? AND ?', [lo / 2, hi / 2]],
    ['SELECT id, a, b FROM t WHERE a > ? ORDER BY a DESC, id LIMIT 7', [lo]],
    ['SELECT * FROM t WHERE a < ?', [hi]],
    ['SELECT id, b, c FROM t WHERE b = ?', [anyValue(random)]],
    ['SELECT id, b, c FROM t WHERE b = ? AND c >= ? AND c < ?', [random(5), 'a', 'c']],
    ['SELECT id, b FROM t WHERE b > ? AND b <= ?', [anyValue(random), anyValue(random)]],
    ['SELECT id, u FROM t WHERE u = ?', [random(40)]],
    ['SELECT id, u FROM t WHERE u >= ?', [random(40)]],
    ['SELECT id FROM t WHERE id > ? AND id < ?', [lo, hi * 3]],
    ['SELECT name, n FROM k WHERE name >= ? AND name < ?', ['k1', 'k3']],
    ['SELECT name, n, m FROM k WHERE n = ?', [random(10)]],
    ['SELECT x, y FROM r WHERE x BETWEEN ? AND ?', [lo, hi]],
    ['SELECT x, y FROM r WHERE x = ?', [anyValue(random)]],
    ['SELECT t.id, k.name FROM t JOIN k ON k.n = t.u WHERE t.id < ? ORDER BY t.id, k.name', [hi * 2]],
  ];
}

async function write(engine: SqlEngine, random: (n: number) => number, options: { txn?: Transaction } = {}): Promise<void> {
  const id = 1 + random(300);
  switch (random(7)) {
    case 0:
      await engine.execute(
        'INSERT OR REPLACE INTO t VALUES (?, ?, ?, ?, ?)',
        [id, random(60) / 4 - 2, anyValue(random), `c${random(9)}`, random(400)],
        options,
      );
      return;
    case 1:
      await engine.execute('UPDATE t SET a = a + 1, b = ? WHERE id = ?', [anyValue(random), id], options);
      return;
    case 2:
      await engine.execute('DELETE FROM t WHERE id = ?', [id], options);
      return;
    case 3:
      await engine.execute('INSERT OR REPLACE INTO k VALUES (?, ?, ?)', [`k${random(50)}`, random(10), anyValue(random)], options);
      return;
    case 4:
      await engine.execute('INSERT INTO r VALUES (?, ?)', [anyValue(random), random(5)], options);
      return;
    case 5:
      await engine.execute('DELETE FROM r WHERE x = ? AND y = ?', [anyValue(random), random(5)], options);
      return;
    default:
      // Many rows in one commit: more than the cache applies, so the entry is dropped and reloaded.
      await engine.execute('UPDATE t SET c = c || ? WHERE id % 3 = ?', ['x', random(3)], options);
  }
}

async function seed(engine: SqlEngine, random: (n: number) => number): Promise<void> {
  await engine.execute(SCHEMA);
  for (let i = 1; i <= 300; i++) {
    await engine.execute('INSERT OR IGNORE INTO t VALUES (?, ?, ?, ?, ?)', [
      i,
      random(60) / 4 - 2,
      anyValue(random),
      `c${random(9)}`,
      random(2) ? random(400) : null,
    ]);
    if (i % 5 === 0) await engine.execute('INSERT OR REPLACE INTO k VALUES (?, ?, ?)', [`k${random(50)}`, random(10), anyValue(random)]);
    await engine.execute('INSERT INTO r VALUES (?, ?)', [anyValue(random), random(5)]);
  }
}

describe('searches served from the row cache', () => {
  for (const seedNumber of [7, 8]) {
    it(`answer exactly like an uncached engine on the same snapshot (seed ${seedNumber})`, async () => {
      const db = await openEngine();
      close = db.close;
      const { storage, sql: cached } = db;
      const plain = new SqlEngine(storage, { rowCacheRows: 0 });
      const other = new SqlEngine(storage);
      const random = rng(seedNumber);
      await seed(cached, random);
      const open: Transaction[] = [];
      const compare = async (txn?: Transaction) => {
        for (const [q, params] of searches(random)) {
          const options = txn ? { txn } : {};
          const [got, want] = [await cached.execute(q, params, options), await plain.execute(q, params, options)];
          expect(got.rows, `${q} ${JSON.stringify(params)}`).toEqual(want.rows);
        }
      };
      for (let step = 0; step < 90; step++) {
        const action = random(10);
        if (action <= 3) await write(random(3) === 0 ? plain : cached, random);
        else if (action === 4) {
          // A commit by a third engine, which has a row cache of its own.
          await write(other, random);
        } else if (action === 5) {
          if (open.length < 2) open.push(storage.beginTransaction());
          else await open.shift()!.abort();
        } else if (action === 6) {
          // A transaction's own writes are seen by its searches (and never by anyone else's).
          const txn = storage.beginTransaction();
          await write(cached, random, { txn });
          await compare(txn);
          await txn.abort();
        }
        await compare();
        for (const txn of open) await compare(txn);
      }
      for (const txn of open) await txn.abort();
      // The searches were served from memory (after loads), not only read from storage.
      expect(cached.rowCacheStats().hits).toBeGreaterThan(300);
    });
  }

  it('loads a table that is searched again and again, and serves the searches from memory', async () => {
    const db = await openEngine();
    close = db.close;
    const { sql } = db;
    await sql.execute('CREATE TABLE o (id INTEGER PRIMARY KEY, amount REAL); CREATE INDEX o_amount ON o (amount)');
    const txn = db.storage.beginTransaction();
    for (let i = 1; i <= 2000; i++) await sql.execute('INSERT INTO o VALUES (?, ?)', [i, (i * 37) % 1000], { txn });
    await txn.commit();
    const search = async (from: number) => (await sql.execute('SELECT id FROM o WHERE amount BETWEEN ? AND ? ORDER BY id', [from, from + 9])).rows.length;
    expect(sql.rowCacheStats().tables).toBe(0);
    // Each search reads 20 rows: the first ~50 come from storage, then the table is loaded.
    for (let i = 0; i < 60; i++) expect(await search(i * 10)).toBe(20);
    expect(sql.rowCacheStats()).toMatchObject({ tables: 1, rows: 2000 });
    const hits = sql.rowCacheStats().hits;
    for (let i = 0; i < 10; i++) expect(await search(i * 10)).toBe(20);
    expect(sql.rowCacheStats().hits).toBe(hits + 10);
    // A write is seen by the very next search, whether it applies the commit or reads storage.
    const ids = (amount: number) => Array.from({ length: 2000 }, (_, i) => i + 1).filter((i) => (i * 37) % 1000 === amount);
    await sql.execute('UPDATE o SET amount = 5 WHERE id = 1');
    expect((await sql.execute('SELECT id FROM o WHERE amount = 5 ORDER BY id')).rows).toEqual([1, ...ids(5)].map((id) => ({ id })));
    await sql.execute('DELETE FROM o WHERE amount = 5');
    const left = [...ids(4), ...ids(6)].sort((x, y) => x - y);
    expect((await sql.execute('SELECT id FROM o WHERE amount BETWEEN 4 AND 6 ORDER BY id')).rows).toEqual(left.map((id) => ({ id })));
  });

  it('keeps searching storage, with the right answers, when the table does not fit the cache', async () => {
    const db = await openEngine({ rowCacheRows: 500 });
    close = db.close;
    const { sql } = db;
    await sql.execute('CREATE TABLE o (id INTEGER PRIMARY KEY, amount REAL); CREATE INDEX o_amount ON o (amount)');
    const txn = db.storage.beginTransaction();
    for (let i = 1; i <= 2000; i++) await sql.execute('INSERT INTO o VALUES (?, ?)', [i, (i * 37) % 1000], { txn });
    await txn.commit();
    for (let i = 0; i < 200; i++) {
      const rows = (await sql.execute('SELECT id, amount FROM o WHERE amount BETWEEN ? AND ?', [i, i + 4])).rows;
      expect(rows).toHaveLength(10);
      expect(rows.every((r) => (r.amount as number) >= i && (r.amount as number) <= i + 4)).toBe(true);
    }
    expect(sql.rowCacheStats()).toMatchObject({ tables: 0, rows: 0 });
  });
});
