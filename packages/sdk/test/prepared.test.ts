// Prepared statements through Database (embedded, on a LevelDB folder) and DatabaseTransaction,
// and in concurrent mode from a client process (its own engine over the owner's storage).
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { QueryError } from '@sochdb/core';
import { makeTempDir } from '@sochdb/core/testing';
import { Database, PreparedStatement } from '@sochdb/sdk';
import { repl } from './repl.js';

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

async function openDb(): Promise<{ db: Database; path: string }> {
  const dir = makeTempDir('sochdb-prepared-');
  const path = join(dir.path, 'db');
  const db = await Database.open(path, { syncMode: 'off' });
  cleanup.push(async () => {
    await db.close();
    dir.cleanup();
  });
  return { db, path };
}

describe('Database.prepare', () => {
  it('prepares once and runs with new parameters: all, get, run, iterate, columns', async () => {
    const { db } = await openDb();
    await db.execute('CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL, age INTEGER)');
    const insert = db.prepare('INSERT INTO users (name, age) VALUES (:name, :age)');
    expect(insert).toBeInstanceOf(PreparedStatement);
    expect(insert.reader).toBe(false);
    expect(await insert.run({ name: 'ann', age: 31 })).toEqual({ changes: 1, lastInsertRowid: 1 });
    expect(await insert.run({ name: 'bob', age: 25 })).toEqual({ changes: 1, lastInsertRowid: 2 });
    const byId = db.prepare('SELECT id, name, age FROM users WHERE id = ?');
    expect(byId.source).toBe('SELECT id, name, age FROM users WHERE id = ?');
    expect(await byId.get(2)).toEqual({ id: 2, name: 'bob', age: 25 });
    expect(await byId.get(3)).toBeUndefined();
    expect(await db.prepare('SELECT name FROM users ORDER BY age').pluck().all()).toEqual(['bob', 'ann']);
    const names: unknown[] = [];
    for await (const row of db.prepare('SELECT name FROM users WHERE age > $min ORDER BY id').iterate({ min: 20 })) names.push(row);
    expect(names).toEqual([{ name: 'ann' }, { name: 'bob' }]);
    expect(byId.columns().map((c) => [c.name, c.table, c.type])).toEqual([
      ['id', 'users', 'INTEGER'],
      ['name', 'users', 'TEXT'],
      ['age', 'users', 'INTEGER'],
    ]);
    expect(() => db.prepare('SELECT 1; SELECT 2')).toThrow('The supplied SQL string contains more than one statement');
    expect(() => db.prepare('SELECT * FROM nope')).toThrow(QueryError);
    await expect(insert.run({ name: 'x' })).rejects.toThrow('Missing named parameter "age"');
    expect(await db.prepare('SELECT changes() AS c, total_changes() AS t, last_insert_rowid() AS r').get()).toEqual({ c: 1, t: 2, r: 2 });
    // The data is on disk like any other SQL write.
    expect((await db.execute('SELECT count(*) AS n FROM users')).rows).toEqual([{ n: 2 }]);
  });

  it('a schema change between prepare and run recompiles', async () => {
    const { db } = await openDb();
    await db.execute('CREATE TABLE t (a INTEGER PRIMARY KEY, b TEXT)');
    await db.execute("INSERT INTO t VALUES (1, 'x')");
    const all = db.prepare('SELECT * FROM t');
    expect(await all.all()).toEqual([{ a: 1, b: 'x' }]);
    await db.execute("ALTER TABLE t ADD COLUMN c TEXT DEFAULT 'dflt'");
    expect(await all.all()).toEqual([{ a: 1, b: 'x', c: 'dflt' }]);
    await db.execute('DROP TABLE t');
    await expect(all.all()).rejects.toThrow(/no such table/);
  });
});

describe('DatabaseTransaction.prepare', () => {
  it('statements bound to a transaction see its writes; abort leaves nothing written', async () => {
    const { db } = await openDb();
    await db.execute('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)');
    const txn = db.beginTransaction();
    const ins = txn.prepare('INSERT INTO t (v) VALUES (?)');
    const count = txn.prepare('SELECT count(*) FROM t').pluck();
    for (const v of ['a', 'b', 'c']) await ins.run(v);
    expect(await count.get()).toBe(3);
    await txn.put('k', 'in-txn');
    // Outside the transaction nothing is visible yet.
    expect(await db.prepare('SELECT count(*) FROM t').pluck().get()).toBe(0);
    await txn.abort();
    expect(await db.prepare('SELECT count(*) FROM t').pluck().get()).toBe(0);
    expect(await db.get('k')).toBeNull();
    // A statement of an ended transaction cannot run.
    await expect(ins.run('d')).rejects.toThrow();
  });

  it('commits with the transaction (db.transaction callback form)', async () => {
    const { db } = await openDb();
    await db.execute('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)');
    await db.transaction(async (txn) => {
      const ins = txn.prepare('INSERT INTO t (v) VALUES (@v) RETURNING id');
      expect(await ins.get({ v: 'one' })).toEqual({ id: 1 });
      expect(await ins.all({ v: 'two' })).toEqual([{ id: 2 }]);
    });
    await expect(
      db.transaction(async (txn) => {
        await txn.prepare('INSERT INTO t (v) VALUES (?)').run('rolled back');
        throw new Error('abort this one');
      }),
    ).rejects.toThrow('abort this one');
    expect(await db.prepare('SELECT v FROM t ORDER BY id').pluck().all()).toEqual(['one', 'two']);
  });
});

describe('prepare in concurrent mode', () => {
  it("a client process prepares and runs statements over the owner's storage, in and out of a transaction", async () => {
    const dir = makeTempDir('sochdb-prepared-conc-');
    const path = join(dir.path, 'db');
    const owner = await Database.openConcurrent(path, { syncMode: 'off' });
    const client = repl(path);
    cleanup.push(async () => {
      await client.close();
      await owner.close();
      dir.cleanup();
    });
    expect(owner.isConcurrent).toBe(true);
    await owner.execute('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)');
    const ownerInsert = owner.prepare('INSERT INTO t (v) VALUES (?)');
    await ownerInsert.run('from owner');
    expect(await client.send({ prepare: 'INSERT INTO t (v) VALUES (?)', as: 'ins' })).toEqual({ rows: [] });
    expect(await client.send({ prepare: 'SELECT * FROM t ORDER BY id', as: 'all' })).toEqual({ rows: [] });
    expect(await client.send({ stmt: 'ins', call: 'run', args: ['from client'] })).toEqual({ result: { changes: 1, lastInsertRowid: 2 } });
    expect(await client.send({ stmt: 'all', call: 'all' })).toEqual({
      result: [
        { id: 1, v: 'from owner' },
        { id: 2, v: 'from client' },
      ],
    });
    // DDL by the owner: the client's prepared statement sees the new column on its next run.
    await owner.execute("ALTER TABLE t ADD COLUMN w TEXT DEFAULT 'new'");
    expect(await client.send({ stmt: 'all', call: 'get' })).toEqual({ result: { id: 1, v: 'from owner', w: 'new' } });
    // In a client transaction: invisible to the owner until commit; an aborted one leaves nothing.
    await client.send({ begin: true });
    await client.send({ prepare: 'INSERT INTO t (v) VALUES (?)', as: 'tins', inTxn: true });
    expect(await client.send({ stmt: 'tins', call: 'run', args: ['in client txn'] })).toEqual({ result: { changes: 1, lastInsertRowid: 3 } });
    expect(await owner.prepare('SELECT count(*) FROM t').pluck().get()).toBe(2);
    await client.send({ commit: true });
    expect(await owner.prepare('SELECT v FROM t WHERE id = 3').pluck().get()).toBe('in client txn');
    await client.send({ begin: true });
    await client.send({ prepare: 'DELETE FROM t', as: 'tdel', inTxn: true });
    expect(await client.send({ stmt: 'tdel', call: 'run' })).toEqual({ result: { changes: 3, lastInsertRowid: 3 } });
    expect(await client.send({ abort: true })).toEqual({ rows: [] });
    expect(await owner.prepare('SELECT count(*) FROM t').pluck().get()).toBe(3);
    expect(await client.send({ stmt: 'all', call: 'all' })).toHaveProperty('result.length', 3);
    // Errors cross as typed errors.
    const bad = await client.send({ prepare: 'SELECT * FROM nope', as: 'bad' });
    const ran = bad.error ? bad : await client.send({ stmt: 'bad', call: 'all' });
    expect(ran.error?.name).toBe('NoSuchTableError');
  });
});
