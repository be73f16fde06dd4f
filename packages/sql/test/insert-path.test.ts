import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { ConstraintError, encodeKey, type KeyPart } from '@sochdb/core';
import { SqlEngine } from '@sochdb/sql';
import { KeySpace } from '../src/schema/keys.js';
import { decodeRow, encodeRow } from '../src/schema/row-codec.js';
import type { SqlValue } from '../src/values/values.js';
import { openEngine } from './helpers.js';

// Bulk inserts take a synchronous path once a transaction knows a table's next rowid
// (insertRowSync); these check it gives the same rows, errors and rowids as the general path.

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

async function fresh() {
  const db = await openEngine();
  close = db.close;
  await db.sql.execute('CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT UNIQUE, n INTEGER NOT NULL)');
  await db.sql.execute("INSERT INTO t VALUES (1, 'a', 1), (2, 'b', 2), (3, 'c', 3)");
  return db;
}

const ids = async (db: Awaited<ReturnType<typeof fresh>>, txn?: Parameters<typeof db.sql.execute>[2]) =>
  (await db.sql.execute('SELECT id, name FROM t ORDER BY id', [], { ...txn, rowMode: 'array' })).rows;

describe('bulk insert path', () => {
  it('refuses a duplicate primary key or UNIQUE value after appends in one transaction, and the transaction stays usable', async () => {
    const db = await fresh();
    const txn = db.storage.beginTransaction();
    for (let i = 4; i <= 10; i++) await db.sql.execute('INSERT INTO t VALUES (?, ?, ?)', [i, `n${i}`, i], { txn });
    const dupPk = await db.sql.execute('INSERT INTO t VALUES (2, ?, 0)', ['new'], { txn }).catch((e: unknown) => e);
    expect(dupPk).toBeInstanceOf(ConstraintError);
    expect(dupPk).toMatchObject({ code: 5002, constraint: 'PRIMARY KEY' });
    const dupOwn = await db.sql.execute('INSERT INTO t VALUES (7, ?, 0)', ['new'], { txn }).catch((e: unknown) => e);
    expect(dupOwn).toMatchObject({ constraint: 'PRIMARY KEY' });
    const dupName = await db.sql.execute("INSERT INTO t VALUES (11, 'n5', 0)", [], { txn }).catch((e: unknown) => e);
    expect(dupName).toMatchObject({ constraint: 'UNIQUE', columnName: 'name' });
    const dupCommitted = await db.sql.execute("INSERT INTO t VALUES (11, 'b', 0)", [], { txn }).catch((e: unknown) => e);
    expect(dupCommitted).toMatchObject({ constraint: 'UNIQUE' });
    await db.sql.execute('INSERT INTO t (name, n) VALUES (?, 0)', ['auto'], { txn });
    await txn.commit();
    expect((await ids(db)).map((r) => r[0])).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  });

  it('resolves conflicts with OR IGNORE, OR REPLACE and ON CONFLICT DO UPDATE after appends', async () => {
    const db = await fresh();
    const txn = db.storage.beginTransaction();
    await db.sql.execute("INSERT INTO t VALUES (4, 'd', 4)", [], { txn });
    await db.sql.execute("INSERT OR IGNORE INTO t VALUES (2, 'x', 0), (5, 'e', 5)", [], { txn });
    await db.sql.execute("INSERT OR REPLACE INTO t VALUES (6, 'a', 6)", [], { txn });
    await db.sql.execute("INSERT INTO t VALUES (3, 'z', 0) ON CONFLICT (id) DO UPDATE SET name = 'C'", [], { txn });
    await txn.commit();
    expect(await ids(db)).toEqual([
      [2, 'b'],
      [3, 'C'],
      [4, 'd'],
      [5, 'e'],
      [6, 'a'],
    ]);
  });

  it('does not use up a rowid on a failed row, as SQLite does', async () => {
    const db = await fresh();
    const txn = db.storage.beginTransaction();
    await db.sql.execute("INSERT INTO t (name, n) VALUES ('d', 4)", [], { txn });
    await expect(db.sql.execute("INSERT INTO t (name, n) VALUES ('e', NULL)", [], { txn })).rejects.toMatchObject({ constraint: 'NOT NULL' });
    const r = await db.sql.execute("INSERT INTO t (name, n) VALUES ('e', 5)", [], { txn });
    expect(r.lastInsertRowid).toBe(5);
    await txn.commit();
    // A table without a primary key numbers its hidden rowids the same way.
    await db.sql.execute('CREATE TABLE h (x NOT NULL)');
    await db.sql.execute('INSERT INTO h VALUES (1)');
    await expect(db.sql.execute('INSERT INTO h VALUES (NULL)')).rejects.toBeInstanceOf(ConstraintError);
    expect((await db.sql.execute('INSERT INTO h VALUES (2)')).lastInsertRowid).toBe(2);
  });

  it("sees the transaction's own key-value writes to row keys, not Storage's older rows", async () => {
    const db = await fresh();
    const txn = db.storage.beginTransaction();
    await db.sql.execute("INSERT INTO t VALUES (4, 'd', 4)", [], { txn });
    // Row 2 deleted through the key-value API (no SQL statement): its id is free in this transaction.
    await txn.del(encodeKey(['sql', 'default', 'r', 't', 2]));
    await db.sql.execute("INSERT INTO t VALUES (2, 'b2', 2)", [], { txn });
    // Row 1 copied to id 9 the same way: id 9 is taken in this transaction.
    await txn.put(encodeKey(['sql', 'default', 'r', 't', 9]), (await txn.get(encodeKey(['sql', 'default', 'r', 't', 1])))!);
    await expect(db.sql.execute("INSERT INTO t VALUES (9, 'i', 9)", [], { txn })).rejects.toMatchObject({ constraint: 'PRIMARY KEY' });
    await txn.commit();
    // (The copy under key 9 holds row 1's values, id included.)
    expect(await ids(db)).toEqual([
      [1, 'a'],
      [1, 'a'],
      [2, 'b2'],
      [3, 'c'],
      [4, 'd'],
    ]);
  });

  it('stores and reads back any row: short ASCII, other text (also lone surrogates as U+FFFD), numbers, blobs', () => {
    const value: fc.Arbitrary<SqlValue> = fc.oneof(
      fc.string({ maxLength: 40 }),
      fc.string({ unit: 'grapheme', maxLength: 40 }),
      fc.string({ unit: 'binary', maxLength: 5 }),
      fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
      fc.double({ noNaN: true }),
      fc.uint8Array({ maxLength: 8 }).map((b) => Buffer.from(b)),
      fc.constant(null),
    );
    fc.assert(
      fc.property(fc.array(value, { maxLength: 6 }), (row) => {
        const back = decodeRow(encodeRow(row), row.length, []);
        const expected = row.map((v) => (typeof v === 'string' ? Buffer.from(v, 'utf8').toString('utf8') : v));
        expect(back).toEqual(expected);
      }),
    );
  });

  it('fires insert hooks on every row when a trigger host has them, and keeps the fast path when it has none', async () => {
    const db = await openEngine();
    close = db.close;
    const fired: string[] = [];
    const sql = new SqlEngine(db.storage, {
      triggers: {
        has: (table, event) => table === 'hooked' && event === 'AFTER INSERT',
        fire: (table, event, row) => void fired.push(`${table} ${event} ${String(row['id'])}`),
      },
    });
    await sql.execute('CREATE TABLE hooked (id INTEGER PRIMARY KEY)');
    await sql.execute('CREATE TABLE plain (id INTEGER PRIMARY KEY)');
    const txn = db.storage.beginTransaction();
    for (let i = 1; i <= 3; i++) {
      await sql.execute('INSERT INTO hooked VALUES (?)', [i], { txn });
      await sql.execute('INSERT INTO plain VALUES (?)', [i], { txn });
    }
    await txn.commit();
    expect(fired).toEqual(['hooked AFTER INSERT 1', 'hooked AFTER INSERT 2', 'hooked AFTER INSERT 3']);
    expect((await sql.execute('SELECT count(*) AS n FROM plain')).rows).toEqual([{ n: 3 }]);
  });

  it('builds each row key as encodeKey of the whole tuple', () => {
    const keys = new KeySpace('ns\0x');
    const part = fc.oneof(fc.integer(), fc.double({ noNaN: true }), fc.string(), fc.bigInt(), fc.uint8Array({ maxLength: 8 }), fc.constant(null));
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.array(part, { minLength: 1, maxLength: 3 }), (table, pk: KeyPart[]) => {
        expect(keys.row(table, pk).equals(encodeKey(['sql', 'ns\0x', 'r', table, ...pk]))).toBe(true);
      }),
    );
  });
});
