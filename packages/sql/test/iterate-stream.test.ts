// PreparedStatement.iterate streams a one-table query (select-stream.ts): the same rows as all(),
// in every mode, from one snapshot held until the loop ends or breaks; other queries, and
// queries inside a transaction, are computed whole and handed out the same way.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { QueryError } from '@sochdb/core';
import type { PreparedStatement } from '@sochdb/sql';
import { BetterSqlite, openEngine } from './helpers.js';

let db: Awaited<ReturnType<typeof openEngine>>;
const ROWS = 2_500; // more than one storage batch
beforeEach(async () => {
  db = await openEngine();
  await db.sql.execute('CREATE TABLE t (id INTEGER PRIMARY KEY, k INTEGER, name TEXT, big INTEGER); CREATE INDEX t_k ON t (k)');
  await db.storage.transaction(async (txn) => {
    const insert = db.sql.prepare('INSERT INTO t VALUES (?, ?, ?, ?)', { txn });
    for (let id = 1; id <= ROWS; id++) await insert.run(id, id % 17, id % 5 === 0 ? null : `n${id}`, 9007199254740993n * BigInt(id % 3));
  });
  await db.sql.execute('CREATE TABLE u (id INTEGER PRIMARY KEY, t_id INTEGER); INSERT INTO u VALUES (1, 3), (2, 4)');
});
afterEach(() => db.close());

async function collect<T>(rows: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const r of rows) out.push(r);
  return out;
}

const QUERIES: readonly (readonly [string, readonly unknown[]])[] = [
  ['SELECT * FROM t', []],
  ['SELECT id, name FROM t WHERE k = ?', [3]],
  ['SELECT id * 2 AS twice, upper(name) FROM t WHERE id BETWEEN ? AND ?', [100, 1_900]],
  ['SELECT id FROM t WHERE name IS NULL LIMIT 7 OFFSET 3', []],
  ['SELECT id FROM t LIMIT -1 OFFSET 2490', []],
  ['SELECT id FROM t LIMIT 0', []],
  ['SELECT id FROM t WHERE 0', []],
  ['SELECT id FROM t WHERE id = ?', [42]],
  ['SELECT big FROM t WHERE id > 2400', []],
  // Not streamed: computed whole, handed out the same.
  ['SELECT id FROM t ORDER BY name DESC, id LIMIT 20', []],
  ['SELECT k, count(*) FROM t GROUP BY k', []],
  ['SELECT DISTINCT k FROM t', []],
  ['SELECT t.id, u.id FROM t JOIN u ON u.t_id = t.id', []],
  ['SELECT id FROM t WHERE id IN (SELECT t_id FROM u)', []],
];

describe('iterate()', () => {
  it.each(QUERIES)('gives exactly what all() gives: %s', async (sql, params) => {
    const statement = db.sql.prepare(sql);
    expect(await collect(statement.iterate(...params))).toEqual(await statement.all(...params));
    expect(await collect(statement.raw().iterate(...params))).toEqual(await statement.all(...params));
    expect(
      await collect(
        statement
          .raw(false)
          .safeIntegers()
          .iterate(...params),
      ),
    ).toEqual(await statement.all(...params));
    expect(await collect(statement.pluck().iterate(...params))).toEqual(await statement.all(...params));
  });

  it('a negative LIMIT is none and a negative OFFSET is 0, as in SQLite (all() read too few rows for both)', async () => {
    const sqlite = new BetterSqlite(':memory:');
    sqlite.exec('CREATE TABLE t (id INTEGER PRIMARY KEY)');
    for (let id = 1; id <= 30; id++) sqlite.prepare('INSERT INTO t VALUES (?)').run(id);
    await db.sql.execute('CREATE TABLE small (id INTEGER PRIMARY KEY)');
    for (let id = 1; id <= 30; id++) await db.sql.execute('INSERT INTO small VALUES (?)', [id]);
    for (const tail of ['LIMIT -1 OFFSET 27', 'LIMIT 5 OFFSET -3', 'LIMIT -5 OFFSET -2', 'LIMIT 2 OFFSET 29', 'WHERE id > 10 LIMIT -1 OFFSET 15']) {
      const expected = sqlite.prepare(`SELECT id FROM t ${tail}`).all();
      const statement = db.sql.prepare(`SELECT id FROM small ${tail}`);
      expect(await statement.all(), tail).toEqual(expected);
      expect(await collect(statement.iterate()), tail).toEqual(expected);
    }
    // A correlated scalar subquery needs one row of its result, counted after its OFFSET (it read
    // one row, then skipped past it: NULL).
    for (const tail of ['LIMIT -1 OFFSET 2', 'LIMIT 1 OFFSET 2', 'LIMIT 3 OFFSET 1']) {
      const query = (table: string) => `SELECT o.id, (SELECT s.id FROM ${table} s WHERE s.id > o.id ${tail}) AS next FROM ${table} o WHERE o.id < 5`;
      expect(await db.sql.prepare(query('small')).all(), tail).toEqual(sqlite.prepare(query('t')).all());
    }
  });

  it('fails as all() does on a bad LIMIT, with or without rows', async () => {
    for (const sql of ["SELECT id FROM t LIMIT 'x'", "SELECT id FROM t WHERE 0 LIMIT 'x'"]) {
      const statement = db.sql.prepare(sql);
      const viaAll = await statement.all().catch((e: unknown) => e);
      expect(viaAll).toBeInstanceOf(QueryError);
      await expect(collect(statement.iterate())).rejects.toThrow((viaAll as Error).message);
    }
  });

  it('reads one snapshot: rows written while it runs are not seen; a break ends its transaction', async () => {
    const statement: PreparedStatement = db.sql.prepare('SELECT id FROM t');
    let seen = 0;
    for await (const _ of statement.iterate()) {
      if (seen++ === 0) {
        await db.sql.execute('INSERT INTO t (id, k) VALUES (10000, 1)');
        await db.sql.execute('DELETE FROM t WHERE id = 2000');
        expect((await db.storage.currentStats()).activeTransactions).toBe(1); // the iteration's own
      }
    }
    expect(seen).toBe(ROWS);
    for await (const _ of statement.iterate()) break;
    expect((await db.storage.currentStats()).activeTransactions).toBe(0);
    expect(await collect(statement.iterate())).toHaveLength(ROWS); // one in, one out
  });

  it('inside a transaction sees its uncommitted writes (computed whole there)', async () => {
    await db.storage.transaction(async (txn) => {
      await db.sql.execute('INSERT INTO t (id, k) VALUES (20000, 99)', [], { txn });
      const statement = db.sql.prepare('SELECT id FROM t WHERE k = 99', { txn });
      expect(await collect(statement.iterate())).toEqual([{ id: 20000 }]);
    });
    await db.sql.execute('BEGIN');
    await db.sql.execute('INSERT INTO t (id, k) VALUES (20001, 99)');
    expect(await collect(db.sql.prepare('SELECT id FROM t WHERE k = 99').iterate())).toEqual([{ id: 20000 }, { id: 20001 }]);
    await db.sql.execute('ROLLBACK');
  });
});
