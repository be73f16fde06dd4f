import { afterEach, describe, expect, it } from 'vitest';
import { DatabaseError, ValidationError, encodeKey, type Range, type Transaction } from '@sochdb/core';
import { SqlEngine } from '@sochdb/sql';
import { RowCache } from '../src/exec/row-cache.js';
import { BetterSqlite, openEngine } from './helpers.js';

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

const COUNT = 'SELECT count(*) AS n, sum(v) AS total FROM t';

/** A LevelDB-backed engine with table t(id, v) holding ids 1…rows (v = id). */
async function fresh(rows = 20, options = {}) {
  const db = await openEngine(options);
  close = db.close;
  await db.sql.execute('CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER, data BLOB)');
  const txn = db.storage.beginTransaction();
  for (let i = 1; i <= rows; i++) await db.sql.execute('INSERT INTO t (id, v) VALUES (?, ?)', [i, i], { txn });
  await txn.commit();
  return db;
}

const total = (n: number) => (n * (n + 1)) / 2;

/** Runs `COUNT` twice, so the second run is served from the cache; returns the answer. */
async function warm(sql: SqlEngine): Promise<unknown> {
  await sql.execute(COUNT);
  const before = sql.rowCacheStats().hits;
  const again = (await sql.execute(COUNT)).rows[0];
  expect(sql.rowCacheStats().hits).toBe(before + 1);
  return again;
}

describe('row cache', () => {
  it('serves a repeated whole-table scan from memory with the same answer', async () => {
    const { sql } = await fresh(50);
    expect(await warm(sql)).toEqual({ n: 50, total: total(50) });
    const join = 'SELECT a.id, b.v FROM t a JOIN t b ON b.v = a.v + 1 WHERE a.v > 45 ORDER BY a.id';
    const first = (await sql.execute(join)).rows;
    const hits = sql.rowCacheStats().hits;
    expect((await sql.execute(join)).rows).toEqual(first);
    expect(first).toEqual([46, 47, 48, 49].map((id) => ({ id, v: id + 1 })));
    expect(sql.rowCacheStats().hits).toBeGreaterThan(hits);
    expect(sql.rowCacheStats()).toMatchObject({ tables: 1, rows: 50 });
    // Rows are kept whole: a query reading other columns is served from the same entry.
    const before = sql.rowCacheStats().hits;
    expect((await sql.execute('SELECT id, data FROM t WHERE v > 48 ORDER BY id')).rows).toEqual([
      { id: 49, data: null },
      { id: 50, data: null },
    ]);
    expect(sql.rowCacheStats().hits).toBe(before + 1);
  });

  it('sees a raw key-value write to a row key made after the cache was filled', async () => {
    const { sql, storage } = await fresh();
    await warm(sql);
    // Delete row 1 behind the engine's back: no SQL statement, only a Storage commit.
    await storage.del(encodeKey(['sql', 'default', 'r', 't', 1]));
    expect((await sql.execute(COUNT)).rows[0]).toEqual({ n: 19, total: total(20) - 1 });
    // Commits that write neither the table's rows nor its definition keep the entry.
    await warm(sql);
    await storage.put('unrelated', 'x');
    await sql.execute('CREATE TABLE other (id INTEGER PRIMARY KEY)');
    await sql.execute('INSERT INTO other VALUES (1)');
    const { hits, misses } = sql.rowCacheStats();
    expect((await sql.execute(COUNT)).rows[0]).toEqual({ n: 19, total: total(20) - 1 });
    expect(sql.rowCacheStats()).toMatchObject({ hits: hits + 1, misses });
    // A raw write of one of its row keys is applied to the entry (no re-read of the table)...
    await storage.put(encodeKey(['sql', 'default', 'r', 't', 1]), (await storage.get(encodeKey(['sql', 'default', 'r', 't', 2])))!);
    expect((await sql.execute(COUNT)).rows[0]).toEqual({ n: 20, total: total(20) - 1 + 2 });
    expect(sql.rowCacheStats()).toMatchObject({ hits: hits + 2, misses });
    // ...and one that is not a row this table can decode drops it: the next scan reads storage.
    await storage.put(encodeKey(['sql', 'default', 'r', 't', 3]), Buffer.from([0xff, 0xff, 0xff]));
    await expect(sql.execute(COUNT)).rejects.toMatchObject({ code: expect.any(Number) });
    expect(sql.rowCacheStats().misses).toBe(misses + 1);
  });

  it('applies a few rows written since it was filled (UPDATE, INSERT, DELETE, by any engine), without re-reading the table', async () => {
    for (const ddl of ['CREATE TABLE r (v INTEGER)', 'CREATE TABLE r (k TEXT PRIMARY KEY, v INTEGER)']) {
      const { sql, storage } = await fresh(0);
      const other = new SqlEngine(storage);
      const plain = new SqlEngine(storage, { rowCacheRows: 0 });
      const keyed = ddl.includes('k TEXT');
      await sql.execute(ddl);
      for (let i = 1; i <= 200; i++) await sql.execute(keyed ? 'INSERT INTO r VALUES (?, ?)' : 'INSERT INTO r VALUES (?)', keyed ? [`k${i}`, i] : [i]);
      const query = 'SELECT * FROM r ORDER BY v';
      const same = async () => expect((await sql.execute(query)).rows).toEqual((await plain.execute(query)).rows);
      await same(); // fills the entry
      const before = storage.beginTransaction(); // its snapshot predates the writes below
      const oldRows = (await plain.execute(query, [], { txn: before })).rows;
      await sql.execute('UPDATE r SET v = v + 1000 WHERE v = 7');
      await other.execute(keyed ? "INSERT INTO r VALUES ('k0', -1), ('k999', 999)" : 'INSERT INTO r VALUES (-1), (999)');
      await other.execute('DELETE FROM r WHERE v IN (3, 150)');
      const { hits, misses } = sql.rowCacheStats();
      await same();
      expect(sql.rowCacheStats()).toMatchObject({ hits: hits + 1, misses });
      // The older snapshot is not served the newer rows.
      expect((await sql.execute(query, [], { txn: before })).rows).toEqual(oldRows);
      await before.abort();
      // A write of more rows than is worth recording drops the entry; the next scan reads storage.
      await other.execute('UPDATE r SET v = v + 1');
      await same();
      expect(sql.rowCacheStats().misses).toBe(misses + 2); // the older snapshot, and this scan
      await close?.();
      close = undefined;
    }
  });

  it('serves a transaction whose snapshot is after the entry, and not one from before it', async () => {
    const { sql, storage } = await fresh(10);
    const before = storage.beginTransaction(); // sees 10 rows
    await sql.execute('INSERT INTO t (id, v) VALUES (11, 11)');
    await warm(sql); // the entry: 11 rows, at the LSN of that insert
    await storage.put('unrelated', 'x');
    const after = storage.beginTransaction(); // later than the entry, table unchanged since
    const { hits } = sql.rowCacheStats();
    expect((await sql.execute(COUNT, [], { txn: after })).rows[0]).toEqual({ n: 11, total: total(11) });
    expect(sql.rowCacheStats().hits).toBe(hits + 1);
    expect((await sql.execute(COUNT, [], { txn: before })).rows[0]).toEqual({ n: 10, total: total(10) });
    expect(sql.rowCacheStats().hits).toBe(hits + 1);
    await before.abort();
    await after.abort();
  });

  it('drops an entry when another engine changes the table definition', async () => {
    const { sql, storage } = await fresh(5);
    await warm(sql);
    const other = new SqlEngine(storage);
    await other.execute("ALTER TABLE t ADD COLUMN note TEXT DEFAULT 'n'");
    const { misses } = sql.rowCacheStats();
    await sql.execute(COUNT);
    expect(sql.rowCacheStats().misses).toBe(misses + 1);
  });

  it('sees rows written by another engine on the same Storage', async () => {
    const { sql, storage } = await fresh();
    await warm(sql);
    const other = new SqlEngine(storage);
    await other.execute('INSERT INTO t (id, v) VALUES (100, 100)');
    expect((await sql.execute(COUNT)).rows[0]).toEqual({ n: 21, total: total(20) + 100 });
  });

  it('shows a transaction its own uncommitted rows, and no one else; an abort leaves nothing', async () => {
    const { sql, storage } = await fresh();
    await warm(sql);
    const txn = storage.beginTransaction();
    await sql.execute('INSERT INTO t (id, v) VALUES (21, 21)', [], { txn });
    expect((await sql.execute(COUNT, [], { txn })).rows[0]).toEqual({ n: 21, total: total(21) });
    expect(await warm(sql)).toEqual({ n: 20, total: total(20) });
    // Own writes made through the key-value API count too.
    await txn.del(encodeKey(['sql', 'default', 'r', 't', 2]));
    expect((await sql.execute(COUNT, [], { txn })).rows[0]).toEqual({ n: 20, total: total(21) - 2 });
    await txn.abort();
    expect(await warm(sql)).toEqual({ n: 20, total: total(20) });
  });

  it('keeps snapshot isolation: a transaction begun before a commit never sees it, even after a newer scan filled the cache', async () => {
    const { sql, storage } = await fresh();
    const early = storage.beginTransaction();
    expect((await sql.execute(COUNT, [], { txn: early })).rows[0]).toEqual({ n: 20, total: total(20) });
    await sql.execute('DELETE FROM t WHERE id > 10');
    expect(await warm(sql)).toEqual({ n: 10, total: total(10) });
    expect((await sql.execute(COUNT, [], { txn: early })).rows[0]).toEqual({ n: 20, total: total(20) });
    await early.commit();
    // A read-only transaction begun at the cache's commit uses it and still sees the same rows.
    const late = storage.beginTransaction({ readOnly: true });
    const hits = sql.rowCacheStats().hits;
    expect((await sql.execute(COUNT, [], { txn: late })).rows[0]).toEqual({ n: 10, total: total(10) });
    expect(sql.rowCacheStats().hits).toBe(hits + 1);
    await late.abort();
  });

  it('stores nothing from a scan stopped early by LIMIT', async () => {
    const { sql } = await fresh();
    expect((await sql.execute('SELECT id FROM t LIMIT 2')).rows).toEqual([{ id: 1 }, { id: 2 }]);
    expect(sql.rowCacheStats().tables).toBe(0);
    expect(await warm(sql)).toEqual({ n: 20, total: total(20) });
  });

  it('sees a column added by ALTER TABLE, with its default, right after the change', async () => {
    const { sql } = await fresh(3);
    await warm(sql);
    await sql.execute("ALTER TABLE t ADD COLUMN label TEXT DEFAULT 'none'");
    expect((await sql.execute('SELECT DISTINCT label FROM t')).rows).toEqual([{ label: 'none' }]);
  });

  it('never hands out a stored blob a caller can change', async () => {
    const { sql } = await fresh(1);
    await sql.execute('UPDATE t SET data = ? WHERE id = 1', [Buffer.from([1, 2, 3])]);
    await sql.execute('SELECT data FROM t');
    const [row] = (await sql.execute('SELECT data FROM t')).rows;
    (row!['data'] as Buffer).fill(9);
    expect((await sql.execute('SELECT data FROM t')).rows[0]).toEqual({ data: Buffer.from([1, 2, 3]) });
    expect(sql.rowCacheStats().hits).toBeGreaterThan(0);
  });

  it('keeps at most rowCacheRows rows, least recently used tables first; 0 turns it off', async () => {
    const { sql, storage } = await fresh(30, { rowCacheRows: 40 });
    await sql.execute('CREATE TABLE u (id INTEGER PRIMARY KEY)');
    await sql.execute('INSERT INTO u VALUES (1), (2), (3)');
    await sql.execute('SELECT count(*) FROM t');
    await sql.execute('SELECT count(*) FROM u');
    expect(sql.rowCacheStats()).toMatchObject({ tables: 2, rows: 33 });
    await sql.execute('CREATE TABLE w (id INTEGER PRIMARY KEY)');
    await sql.execute('INSERT INTO w SELECT id FROM t WHERE id <= 20');
    await sql.execute('SELECT count(*) FROM t');
    await sql.execute('SELECT count(*) FROM u');
    await sql.execute('SELECT count(*) FROM w'); // 30 + 3 + 20 > 40: t, the least recently used, goes
    expect(sql.rowCacheStats()).toMatchObject({ tables: 2, rows: 23 });
    const off = new SqlEngine(storage, { rowCacheRows: 0 });
    await off.execute(COUNT);
    expect((await off.execute(COUNT)).rows[0]).toEqual({ n: 30, total: total(30) });
    expect(off.rowCacheStats()).toEqual({ hits: 0, misses: 0, tables: 0, rows: 0 });
    expect(() => new SqlEngine(storage, { rowCacheRows: -1 })).toThrow(ValidationError);
    expect(() => new SqlEngine(storage, { rowCacheRows: 1.5 })).toThrow(ValidationError);
  });

  it('is neither used nor filled by a transaction begun while a commit was being written', async () => {
    // LevelDB may already hold that commit while the transaction's LSN does not count it yet.
    const { storage } = await fresh(5);
    const cache = new RowCache(storage, 1000);
    const landing = storage.put('elsewhere', 'x');
    const during = storage.beginTransaction();
    expect(cache.eligible(during)).toBeUndefined();
    const lsn = await landing;
    const after = storage.beginTransaction();
    expect(cache.eligible(after)).toBe(lsn);
    await during.abort();
    await after.abort();
  });

  it('is not used over a Storage without in-process reads (a concurrent-mode client)', async () => {
    const { storage } = await fresh();
    // What RemoteStorage reports: its LSN is only what it has seen of other processes' commits.
    const remoteLike = new Proxy(storage, {
      get(target, prop) {
        if (prop === 'supports') return { getSync: false, snapshots: true };
        const value: unknown = Reflect.get(target, prop, target);
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
    const sql = new SqlEngine(remoteLike);
    await sql.execute(COUNT);
    expect((await sql.execute(COUNT)).rows[0]).toEqual({ n: 20, total: total(20) });
    expect(sql.rowCacheStats()).toMatchObject({ hits: 0, tables: 0 });
  });
});

describe('hash joins over cached tables', () => {
  it('patch the hash table after a few writes to the joined table: same rows in the same order as a fresh build', async () => {
    const db = await openEngine();
    close = db.close;
    const { sql, storage } = db;
    const plain = new SqlEngine(storage, { rowCacheRows: 0 });
    await sql.execute('CREATE TABLE c (id INTEGER PRIMARY KEY, region TEXT); CREATE TABLE o (id INTEGER PRIMARY KEY, cid INTEGER, amount REAL)');
    for (let i = 1; i <= 20; i++) await sql.execute('INSERT INTO c VALUES (?, ?)', [i, `r${i % 3}`]);
    const txn = storage.beginTransaction();
    for (let i = 1; i <= 600; i++) await sql.execute('INSERT INTO o VALUES (?, ?, ?)', [i, 1 + ((i * 7) % 20), (i * 37) / 7], { txn });
    await txn.commit();
    // No ORDER BY: the order (and a REAL sum's rounding) follows the hash buckets' order.
    const queries = [
      'SELECT c.id, o.id, o.amount FROM c JOIN o ON o.cid = c.id',
      'SELECT c.region, count(*) AS n, sum(o.amount) AS total FROM c JOIN o ON o.cid = c.id GROUP BY c.region',
    ];
    const same = async () => {
      for (const q of queries) expect((await sql.execute(q)).rows).toEqual((await plain.execute(q)).rows);
    };
    await same();
    await same(); // the hash table over o is built and kept
    let seed = 11;
    const random = (n: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
    for (let step = 0; step < 25; step++) {
      const id = 1 + random(700);
      const kind = random(3);
      if (kind === 0) await plain.execute('INSERT OR REPLACE INTO o VALUES (?, ?, ?)', [id, 1 + random(20), random(1000) / 3]);
      else if (kind === 1) await sql.execute('UPDATE o SET cid = ? WHERE id = ?', [1 + random(20), id]);
      else await plain.execute('DELETE FROM o WHERE id = ?', [id]);
      const { misses } = sql.rowCacheStats();
      await same();
      expect(sql.rowCacheStats().misses).toBe(misses); // served by catching the entry up
    }
  });

  it('give SQLite’s rows for keys of mixed types, on the first run and on repeated runs', async () => {
    const db = await openEngine();
    close = db.close;
    const lite = new BetterSqlite(':memory:');
    try {
      const setup = [
        'CREATE TABLE l (id INTEGER PRIMARY KEY, k)',
        'CREATE TABLE r (id INTEGER PRIMARY KEY, k, w INTEGER)',
        // Text 'b61' and the blob x'61' share the hash-table key of the engine's blob encoding.
        "INSERT INTO l (k) VALUES (1), (1.0), (2.5), ('1'), ('a'), ('b61'), (x'61'), (NULL), (9007199254740993), (-0.0)",
        "INSERT INTO r (k, w) VALUES (1, 10), (1.0, 11), ('1', 12), (2.5, 13), ('a', 14), (x'61', 15), ('b61', 16), (NULL, 17), (9007199254740993, 18), (0, 19), ('A', 20)",
      ];
      for (const s of setup) {
        await db.sql.execute(s);
        lite.exec(s);
      }
      const queries = [
        'SELECT l.id, r.id FROM l JOIN r ON r.k = l.k ORDER BY 1, 2',
        'SELECT l.id, r.id FROM l JOIN r ON r.k = l.k AND r.w > 11 ORDER BY 1, 2',
        'SELECT l.id, count(*), sum(r.w) FROM l JOIN r ON l.k = r.k GROUP BY l.id ORDER BY 1',
        'SELECT l.id, r.id FROM l LEFT JOIN r ON r.k = l.k ORDER BY 1, 2',
        'SELECT a.id, b.id FROM l a JOIN l b ON b.k = a.k + 0 ORDER BY 1, 2',
      ];
      for (let run = 0; run < 3; run++) {
        for (const q of queries) {
          const ours = (await db.sql.execute(q, [], { rowMode: 'array' })).rows;
          expect(ours, `${q} (run ${run})`).toEqual(lite.prepare(q).raw(true).all());
        }
      }
      // A key computed from a parameter hashes differently per run: no hash table is reused.
      const param = 'SELECT l.id, r.id FROM l JOIN r ON r.w - ? = l.id ORDER BY 1, 2';
      for (const p of [9, 10, 9, 14]) expect((await db.sql.execute(param, [p], { rowMode: 'array' })).rows).toEqual(lite.prepare(param).raw(true).all(p));
      expect(db.sql.rowCacheStats().hits).toBeGreaterThan(0);
    } finally {
      lite.close();
    }
  });
});

describe('scans', () => {
  it('surface a read that fails mid-scan as a typed error, and ignore one a LIMIT no longer needs', async () => {
    const { storage } = await fresh(2000);
    // A Storage whose iterators fail on their second batch (as when LevelDB fails under a scan).
    const failing = (txn: Transaction): Transaction =>
      new Proxy(txn, {
        get(target, prop) {
          if (prop === 'iterator') {
            return (range: Range) => {
              const it = target.iterator(range);
              let calls = 0;
              return new Proxy(it, {
                get(t, p) {
                  if (p === 'nextv') return (n: number) => (++calls === 2 ? Promise.reject(new DatabaseError('disk went away')) : t.nextv(n));
                  const v: unknown = Reflect.get(t, p, t);
                  return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(t) : v;
                },
              });
            };
          }
          const value: unknown = Reflect.get(target, prop, target);
          return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
        },
      });
    const sql = new SqlEngine(storage, { rowCacheRows: 0 });
    const txn = failing(storage.beginTransaction({ readOnly: true }));
    await expect(sql.execute(COUNT, [], { txn })).rejects.toBeInstanceOf(DatabaseError);
    expect((await sql.execute('SELECT id FROM t LIMIT 3', [], { txn, rowMode: 'array' })).rows).toEqual([[1], [2], [3]]);
    await txn.abort();
  });
});
