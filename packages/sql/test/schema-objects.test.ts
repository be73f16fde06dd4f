// SQL triggers, sqlite_master, user_version and ALTER TABLE across a reopen and between engines,
// and SQL triggers together with the plugin row hooks (what the .slt files cannot show).
import { afterEach, describe, expect, it } from 'vitest';
import { ConstraintError } from '@sochdb/core';
import { SqlEngine, type SqlTriggers, type TriggerEvent, type TriggerRow } from '@sochdb/sql';
import { openEngine } from './helpers.js';

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

async function open(options: ConstructorParameters<typeof SqlEngine>[1] = {}) {
  const db = await openEngine(options);
  close = db.close;
  return db;
}

const rows = async (sql: SqlEngine, text: string) => (await sql.execute(text, [], { rowMode: 'array' })).rows;

describe('kept across a reopen', () => {
  it('triggers (not TEMP ones), the schema text in creation order, and user_version', async () => {
    const db = await open();
    await db.sql.execute(`
      CREATE TABLE t (a INTEGER PRIMARY KEY, b TEXT UNIQUE);
      CREATE TABLE log (s);
      CREATE VIEW v AS SELECT a, b FROM t;
      CREATE TRIGGER t_ai AFTER INSERT ON t BEGIN INSERT INTO log VALUES ('ins ' || new.b); END;
      CREATE TEMP TRIGGER t_tmp AFTER INSERT ON t BEGIN INSERT INTO log VALUES ('temp'); END;
      CREATE TRIGGER v_ii INSTEAD OF INSERT ON v BEGIN INSERT INTO t(b) VALUES (upper(new.b)); END;
      CREATE INDEX t_b ON t (b);
      PRAGMA user_version = 12`);
    const schema = await rows(db.sql, 'SELECT type, name, tbl_name, rootpage, sql FROM sqlite_master');
    expect(schema.map((r) => r[1])).toEqual(['t', 'sqlite_autoindex_t_1', 'log', 'v', 't_ai', 'v_ii', 't_b']);
    const { sql } = await db.reopen();
    // Same rows, in the same order, with the same rootpage numbers.
    expect(await rows(sql, 'SELECT type, name, tbl_name, rootpage, sql FROM sqlite_master')).toEqual(schema);
    expect(await rows(sql, 'PRAGMA user_version')).toEqual([[12]]);
    expect(await rows(sql, 'SELECT count(*) FROM sqlite_temp_master')).toEqual([[0]]);
    await sql.execute("INSERT INTO v(b) VALUES ('x')");
    expect(await rows(sql, 'SELECT s FROM log')).toEqual([['ins X']]);
    await sql.execute('DROP TRIGGER t_ai');
    const again = await db.reopen();
    expect(await rows(again.sql, "SELECT name FROM sqlite_master WHERE type = 'trigger'")).toEqual([['v_ii']]);
  });

  it('ALTER TABLE: renamed tables and columns and dropped columns read right after a reopen and in another engine', async () => {
    const db = await open();
    const other = new SqlEngine(db.storage);
    await db.sql.execute(`
      CREATE TABLE p (id INTEGER PRIMARY KEY AUTOINCREMENT, code TEXT UNIQUE, junk BLOB, qty INTEGER);
      INSERT INTO p (code, junk, qty) VALUES ('a', x'00', 1), ('b', NULL, 2)`);
    // The other engine plans with the old schema first, then must follow each change.
    expect(await rows(other, 'SELECT * FROM p ORDER BY id')).toEqual([
      [1, 'a', Buffer.from([0]), 1],
      [2, 'b', null, 2],
    ]);
    await db.sql.execute('ALTER TABLE p DROP COLUMN junk');
    expect(await rows(other, 'SELECT * FROM p ORDER BY id')).toEqual([
      [1, 'a', 1],
      [2, 'b', 2],
    ]);
    await db.sql.execute('ALTER TABLE p RENAME COLUMN qty TO quantity; ALTER TABLE p RENAME TO products');
    expect(await rows(other, 'SELECT id, code, quantity FROM products ORDER BY id')).toEqual([
      [1, 'a', 1],
      [2, 'b', 2],
    ]);
    await other.execute("INSERT INTO products (code, quantity) VALUES ('c', 3)");
    const { sql } = await db.reopen();
    expect(await rows(sql, 'SELECT * FROM products ORDER BY id')).toEqual([
      [1, 'a', 1],
      [2, 'b', 2],
      [3, 'c', 3],
    ]);
    await expect(sql.execute("INSERT INTO products (code) VALUES ('a')")).rejects.toThrow('UNIQUE constraint failed: products.code');
    // The AUTOINCREMENT sequence moved with the table: a deleted top rowid is not used again.
    await sql.execute('DELETE FROM products WHERE id = 3');
    await sql.execute("INSERT INTO products (code) VALUES ('d')");
    expect(await rows(sql, "SELECT id FROM products WHERE code = 'd'")).toEqual([[4]]);
    expect(await rows(sql, "SELECT sql FROM sqlite_master WHERE name = 'products'")).toEqual([
      ['CREATE TABLE "products" (id INTEGER PRIMARY KEY AUTOINCREMENT, code TEXT UNIQUE, quantity INTEGER)'],
    ]);
    expect(await rows(sql, "SELECT count(*) FROM sqlite_master WHERE name = 'p' OR tbl_name = 'p'")).toEqual([[0]]);
  });
});

describe('SQL triggers and plugin hooks together', () => {
  class Recorder implements SqlTriggers {
    readonly calls: string[] = [];
    fire(table: string, event: TriggerEvent, row: TriggerRow): TriggerRow | void {
      this.calls.push(`${event} ${table} ${String(row['v'] ?? row['s'])}`);
      // A BEFORE hook's replacement is what the SQL triggers see as NEW.
      if (event === 'BEFORE INSERT' && table === 't') return { ...row, v: `${String(row['v'])}!` };
    }
  }

  it('run in the documented order, and a statement a trigger aborts reaches no AFTER hook', async () => {
    const hooks = new Recorder();
    const { sql } = await open({ triggers: hooks });
    await sql.execute(`
      CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT);
      CREATE TABLE log (s TEXT);
      CREATE TRIGGER t_bi BEFORE INSERT ON t BEGIN INSERT INTO log VALUES ('before ' || new.v); END;
      CREATE TRIGGER t_ai AFTER INSERT ON t BEGIN INSERT INTO log VALUES ('after ' || new.v); END;
      CREATE TRIGGER t_no BEFORE INSERT ON t WHEN new.v = 'bad!' BEGIN SELECT RAISE(ABORT, 'refused'); END`);
    const result = await sql.execute("INSERT INTO t (v) VALUES ('x'), ('y')");
    // changes() counts the statement's own rows only.
    expect(result.rowsAffected).toBe(2);
    expect(await rows(sql, 'SELECT s FROM log')).toEqual([['before x!'], ['after x!'], ['before y!'], ['after y!']]);
    expect(hooks.calls).toEqual([
      'BEFORE INSERT t x',
      'BEFORE INSERT log before x!',
      'BEFORE INSERT log after x!',
      'BEFORE INSERT t y',
      'BEFORE INSERT log before y!',
      'BEFORE INSERT log after y!',
      // AFTER hooks: once the whole statement, trigger programs included, has passed.
      'AFTER INSERT log before x!',
      'AFTER INSERT t x!',
      'AFTER INSERT log after x!',
      'AFTER INSERT log before y!',
      'AFTER INSERT t y!',
      'AFTER INSERT log after y!',
    ]);
    hooks.calls.length = 0;
    const error = await sql.execute("INSERT INTO t (v) VALUES ('ok'), ('bad')").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConstraintError);
    expect(error).toMatchObject({ message: 'refused', code: 5002, constraint: 'TRIGGER' });
    expect(hooks.calls.filter((c) => c.startsWith('AFTER'))).toEqual([]);
    expect(await rows(sql, 'SELECT count(*) FROM t')).toEqual([[2]]);
  });
});

describe('transactions', () => {
  it('a failing statement inside a caller transaction leaves its trigger work out, and the transaction usable', async () => {
    const { sql, storage } = await open();
    await sql.execute(`
      CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER);
      CREATE TABLE log (s);
      CREATE TRIGGER t_ai AFTER INSERT ON t BEGIN INSERT INTO log VALUES (new.v); SELECT RAISE(ABORT, 'too big') WHERE new.v > 9; END`);
    const txn = storage.beginTransaction();
    await sql.execute('INSERT INTO t (v) VALUES (1)', [], { txn });
    await expect(sql.execute('INSERT INTO t (v) VALUES (2), (10)', [], { txn })).rejects.toThrow('too big');
    await sql.execute('INSERT INTO t (v) VALUES (3)', [], { txn });
    await txn.commit();
    expect(await rows(sql, 'SELECT v FROM t ORDER BY v')).toEqual([[1], [3]]);
    expect(await rows(sql, 'SELECT s FROM log ORDER BY s')).toEqual([[1], [3]]);
  });

  it('RAISE(ROLLBACK) ends the transaction BEGIN opened', async () => {
    const { sql } = await open();
    await sql.execute(`
      CREATE TABLE t (v INTEGER);
      CREATE TRIGGER t_bi BEFORE INSERT ON t WHEN new.v < 0 BEGIN SELECT RAISE(ROLLBACK, 'negative'); END`);
    await sql.execute('BEGIN; INSERT INTO t VALUES (1)');
    await expect(sql.execute('INSERT INTO t VALUES (-1)')).rejects.toThrow('negative');
    await expect(sql.execute('COMMIT')).rejects.toThrow('no transaction is active');
    expect(await rows(sql, 'SELECT count(*) FROM t')).toEqual([[0]]);
  });
});

describe('PRAGMA foreign_keys', () => {
  it('is per engine, on by default, and a no-op inside a transaction', async () => {
    const { sql, storage } = await open();
    const other = new SqlEngine(storage);
    await sql.execute('CREATE TABLE p (id INTEGER PRIMARY KEY); CREATE TABLE c (pid INTEGER REFERENCES p(id))');
    await sql.execute('PRAGMA foreign_keys = OFF');
    await sql.execute('INSERT INTO c VALUES (5)');
    await expect(other.execute('INSERT INTO c VALUES (6)')).rejects.toThrow('FOREIGN KEY constraint failed');
    expect(await rows(other, 'PRAGMA foreign_keys')).toEqual([[1]]);
    await sql.execute('BEGIN; PRAGMA foreign_keys = ON; COMMIT');
    expect(await rows(sql, 'PRAGMA foreign_keys')).toEqual([[0]]);
  });
});
