// Two engines on one Storage (as two connections, or two processes through a shared backend):
// DDL committed by one is seen by the other before its next statement, and a write planned under
// the old schema conflicts instead of leaving an index wrong on disk.
import { afterEach, describe, expect, it } from 'vitest';
import { QueryError, TransactionConflictError } from '@sochdb/core';
import { SqlEngine } from '@sochdb/sql';
import { openEngine } from './helpers.js';

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

async function twoEngines() {
  const db = await openEngine();
  close = db.close;
  return { a: db.sql, b: new SqlEngine(db.storage), storage: db.storage, reopen: db.reopen };
}

const ids = async (sql: SqlEngine, where: string) => (await sql.execute(`SELECT id FROM t WHERE ${where} ORDER BY id`)).rows.map((r) => r['id']);

describe('schema changes made by another engine', () => {
  it('an index created elsewhere is maintained by the next write here (the index stays right)', async () => {
    const { a, b, reopen } = await twoEngines();
    await a.execute('CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER)');
    await a.execute('INSERT INTO t VALUES (1, 5)');
    expect((await b.execute('SELECT * FROM t')).rows).toEqual([{ id: 1, v: 5 }]);
    await a.execute('CREATE INDEX t_v ON t (v)');
    await b.execute('INSERT INTO t VALUES (2, 5)');
    await b.execute('UPDATE t SET v = 5 WHERE id = 1');
    expect(await a.explain('SELECT id FROM t WHERE v = 5')).toEqual(['SEARCH t USING INDEX t_v (v=?)']);
    for (const sql of [a, b]) {
      expect(await ids(sql, 'v = 5')).toEqual([1, 2]);
      expect(await ids(sql, 'v + 0 = 5')).toEqual([1, 2]);
    }
    const fresh = (await reopen()).sql;
    expect(await ids(fresh, 'v = 5')).toEqual([1, 2]);
  });

  it('columns added, tables and views created or dropped elsewhere are seen at once', async () => {
    const { a, b } = await twoEngines();
    await a.execute('CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER)');
    await b.execute('INSERT INTO t VALUES (1, 1)');
    await a.execute("ALTER TABLE t ADD COLUMN note TEXT DEFAULT 'n'");
    expect((await b.execute('SELECT id, note FROM t')).rows).toEqual([{ id: 1, note: 'n' }]);
    await b.execute("INSERT INTO t VALUES (2, 2, 'b')");
    await a.execute('CREATE VIEW big AS SELECT id FROM t WHERE v > 1');
    expect((await b.execute('SELECT * FROM big')).rows).toEqual([{ id: 2 }]);
    await a.execute('DROP VIEW big');
    await expect(b.execute('SELECT * FROM big')).rejects.toThrow('no such table: big');
    await a.execute('DROP TABLE t');
    await expect(b.execute('INSERT INTO t VALUES (3, 3, NULL)')).rejects.toBeInstanceOf(QueryError);
    expect(await b.tables()).toEqual([]);
  });

  it('a write planned under the old schema conflicts when DDL commits before it, and a retry uses the new one', async () => {
    const { a, b, storage } = await twoEngines();
    await a.execute('CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER)');
    await b.execute('SELECT * FROM t');
    const txn = storage.beginTransaction();
    await b.execute('INSERT INTO t VALUES (1, 7)', [], { txn });
    await a.execute('CREATE INDEX t_v ON t (v)');
    await expect(txn.commit()).rejects.toBeInstanceOf(TransactionConflictError);
    // Autocommit statements re-plan on their retry: the row lands with its index entry.
    await b.execute('INSERT INTO t VALUES (1, 7)');
    expect(await ids(a, 'v = 7')).toEqual([1]);
  });

  it("a transaction whose snapshot predates a schema change keeps planning with its snapshot's schema", async () => {
    const { a, b, storage } = await twoEngines();
    await a.execute('CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER)');
    await a.execute('INSERT INTO t VALUES (1, 1)');
    const old = storage.beginTransaction();
    await a.execute('CREATE TABLE u (x INTEGER)');
    await a.execute('INSERT INTO u VALUES (1)');
    // The shared catalog now knows u; the old snapshot does not.
    expect(await b.tables()).toEqual(['t', 'u']);
    await expect(b.execute('SELECT * FROM u', [], { txn: old })).rejects.toThrow('no such table: u');
    expect((await b.execute('SELECT id FROM t', [], { txn: old })).rows).toEqual([{ id: 1 }]);
    await old.abort();
    expect((await b.execute('SELECT x FROM u')).rows).toEqual([{ x: 1 }]);
  });

  it('DDL racing DDL: the second to commit conflicts on the schema version', async () => {
    const { a, b, storage } = await twoEngines();
    await a.execute('CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER)');
    const t1 = storage.beginTransaction();
    const t2 = storage.beginTransaction();
    await a.execute('CREATE INDEX i1 ON t (v)', [], { txn: t1 });
    await b.execute('CREATE TABLE other (x INTEGER)', [], { txn: t2 });
    await t1.commit();
    await expect(t2.commit()).rejects.toBeInstanceOf(TransactionConflictError);
    expect(await b.tables()).toEqual(['t']);
    expect(await b.explain('SELECT id FROM t WHERE v = 1')).toEqual(['SEARCH t USING INDEX i1 (v=?)']);
  });
});
