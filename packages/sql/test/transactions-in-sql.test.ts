// BEGIN / COMMIT / ROLLBACK / SAVEPOINT / RELEASE written in SQL text, on a real LevelDB folder.
import { afterEach, describe, expect, it } from 'vitest';
import { QueryError } from '@sochdb/core';
import type { SqlEngine } from '@sochdb/sql';
import { openEngine } from './helpers.js';

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

async function fresh() {
  const db = await openEngine();
  close = db.close;
  await db.sql.execute('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)');
  return db;
}

const ids = async (sql: SqlEngine) => (await sql.execute('SELECT id FROM t ORDER BY id')).rows.map((r) => r['id']);

describe('SQL-text transactions', () => {
  it('BEGIN … COMMIT makes several statements one transaction that survives reopen', async () => {
    const db = await fresh();
    await db.sql.execute('BEGIN');
    await db.sql.execute("INSERT INTO t VALUES (1, 'a')");
    await db.sql.execute("INSERT INTO t VALUES (2, 'b')");
    // Another engine on the same storage does not see uncommitted rows.
    const { SqlEngine } = await import('@sochdb/sql');
    const other = new SqlEngine(db.storage);
    expect((await other.execute('SELECT count(*) AS n FROM t')).rows[0]).toEqual({ n: 0 });
    expect(await ids(db.sql)).toEqual([1, 2]);
    await db.sql.execute('COMMIT');
    expect((await other.execute('SELECT count(*) AS n FROM t')).rows[0]).toEqual({ n: 2 });
    const { sql } = await db.reopen();
    expect(await ids(sql)).toEqual([1, 2]);
  });

  it('ROLLBACK leaves nothing, including DDL', async () => {
    const db = await fresh();
    await db.sql.execute("BEGIN; INSERT INTO t VALUES (1, 'a'); CREATE TABLE u (x INTEGER)");
    expect(await db.sql.tables()).toEqual(['t']);
    await db.sql.execute('ROLLBACK');
    expect(await ids(db.sql)).toEqual([]);
    await expect(db.sql.execute('SELECT * FROM u')).rejects.toThrow('no such table: u');
  });

  it('SAVEPOINT, ROLLBACK TO and RELEASE nest as in SQLite', async () => {
    const db = await fresh();
    await db.sql.execute("BEGIN; INSERT INTO t VALUES (1, 'a')");
    await db.sql.execute("SAVEPOINT sp1; INSERT INTO t VALUES (2, 'b')");
    await db.sql.execute("SAVEPOINT sp2; INSERT INTO t VALUES (3, 'c'); CREATE TABLE u (x INTEGER)");
    await db.sql.execute('ROLLBACK TO sp1');
    expect(await ids(db.sql)).toEqual([1]);
    await expect(db.sql.execute('SELECT * FROM u')).rejects.toThrow('no such table: u');
    // The savepoint survives ROLLBACK TO; sp2 does not.
    await db.sql.execute("INSERT INTO t VALUES (4, 'd')");
    await expect(db.sql.execute('RELEASE sp2')).rejects.toThrow('no such savepoint: sp2');
    await db.sql.execute('RELEASE sp1');
    await db.sql.execute('COMMIT');
    expect(await ids(db.sql)).toEqual([1, 4]);
  });

  it('a SAVEPOINT outside a transaction starts one; releasing it commits', async () => {
    const db = await fresh();
    await db.sql.execute("SAVEPOINT outer_sp; INSERT INTO t VALUES (7, 'x')");
    const { SqlEngine } = await import('@sochdb/sql');
    const other = new SqlEngine(db.storage);
    expect((await other.execute('SELECT count(*) AS n FROM t')).rows[0]).toEqual({ n: 0 });
    await db.sql.execute('RELEASE outer_sp');
    expect((await other.execute('SELECT count(*) AS n FROM t')).rows[0]).toEqual({ n: 1 });
  });

  it('errors are typed: nested BEGIN, COMMIT without a transaction, unknown savepoint', async () => {
    const db = await fresh();
    await expect(db.sql.execute('COMMIT')).rejects.toThrow(QueryError);
    await expect(db.sql.execute('ROLLBACK')).rejects.toThrow('no transaction is active');
    await expect(db.sql.execute('ROLLBACK TO nope')).rejects.toThrow('no such savepoint');
    await db.sql.execute('BEGIN');
    await expect(db.sql.execute('BEGIN')).rejects.toThrow('cannot start a transaction within a transaction');
    await db.sql.execute('ROLLBACK');
  });

  it("inside a caller's transaction BEGIN/COMMIT are refused and savepoints nest in it", async () => {
    const db = await fresh();
    const txn = db.storage.beginTransaction();
    await expect(db.sql.execute('BEGIN', [], { txn })).rejects.toThrow('within a transaction');
    await expect(db.sql.execute('COMMIT', [], { txn })).rejects.toThrow('belongs to the caller');
    await db.sql.execute("INSERT INTO t VALUES (1, 'a')", [], { txn });
    await db.sql.execute("SAVEPOINT s; INSERT INTO t VALUES (2, 'b')", [], { txn });
    await db.sql.execute('ROLLBACK TO s', [], { txn });
    await db.sql.execute('RELEASE s', [], { txn });
    expect(txn.state).toBe('active');
    await txn.commit();
    expect(await ids(db.sql)).toEqual([1]);
  });

  it('a failing statement inside BEGIN leaves the transaction usable and its earlier rows', async () => {
    const db = await fresh();
    await db.sql.execute("BEGIN; INSERT INTO t VALUES (1, 'a')");
    await expect(db.sql.execute("INSERT INTO t VALUES (2, 'b'), (1, 'dup')")).rejects.toThrow('UNIQUE');
    await db.sql.execute('COMMIT');
    expect(await ids(db.sql)).toEqual([1]);
  });

  it('an AUTOINCREMENT sequence survives reopen and is not advanced by a rolled-back insert', async () => {
    const db = await fresh();
    await db.sql.execute('CREATE TABLE ai (id INTEGER PRIMARY KEY AUTOINCREMENT, v TEXT)');
    await db.sql.execute("INSERT INTO ai (v) VALUES ('a'), ('b')");
    await db.sql.execute('DELETE FROM ai WHERE id = 2');
    await db.sql.execute("BEGIN; INSERT INTO ai (v) VALUES ('rolled back')");
    await db.sql.execute('ROLLBACK');
    const { sql } = await db.reopen();
    expect((await sql.execute("INSERT INTO ai (v) VALUES ('c') RETURNING id")).rows).toEqual([{ id: 3 }]);
  });
});
