import { afterEach, describe, expect, it } from 'vitest';
import { ConstraintError, NoSuchColumnError, NoSuchTableError, QueryError, SqlSyntaxError, TransactionConflictError, ValidationError } from '@sochdb/core';
import { SqlEngine, type SqlTriggers, type TriggerEvent, type TriggerRow } from '@sochdb/sql';
import { openEngine } from './helpers.js';

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

async function fresh(options = {}) {
  const db = await openEngine(options);
  close = db.close;
  await db.sql.execute('CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT UNIQUE, n INTEGER)');
  return db;
}

describe('parameters and results', () => {
  it('binds ?, $n and named parameters and returns rows as objects or arrays', async () => {
    const { sql } = await fresh();
    await sql.execute('INSERT INTO t VALUES (?, ?, ?), ($4, $5, $6)', [1, 'a', 10, 2, 'b', 20n]);
    await sql.execute('INSERT INTO t VALUES (:id, :name, @n)', { id: 3, ':name': 'c', n: null });
    const res = await sql.execute('SELECT id, name, n FROM t WHERE id >= ? ORDER BY id', [2], { rowMode: 'array' });
    expect(res.rows).toEqual([
      [2, 'b', 20],
      [3, 'c', null],
    ]);
    expect(res.columns).toEqual(['id', 'name', 'n']);
    expect([...(await sql.execute('SELECT name FROM t WHERE id = $1', [1]))]).toEqual([{ name: 'a' }]);
    await expect(sql.execute('SELECT ? + ?', [1])).rejects.toBeInstanceOf(QueryError);
    await expect(sql.execute('SELECT ?', [{}])).rejects.toBeInstanceOf(ValidationError);
  });

  it('reports rowsAffected and lastInsertRowid, and runs ;-separated statements in order', async () => {
    const { sql } = await fresh();
    const ins = await sql.execute("INSERT INTO t (name) VALUES ('x'), ('y')");
    expect(ins.rowsAffected).toBe(2);
    expect(ins.lastInsertRowid).toBe(2);
    const multi = await sql.execute("UPDATE t SET n = 1; INSERT INTO t (name) VALUES ('z'); SELECT count(*) AS c FROM t WHERE n = 1");
    expect(multi.rows).toEqual([{ c: 2 }]);
    expect(multi.rowsAffected).toBe(3);
    expect(multi.lastInsertRowid).toBe(3);
  });

  it('keeps 64-bit integers exact as bigint and blobs as Buffers', async () => {
    const { sql } = await fresh();
    await sql.execute('CREATE TABLE b (id INTEGER PRIMARY KEY, data BLOB, big INTEGER)');
    await sql.execute('INSERT INTO b VALUES (1, ?, 9007199254740993)', [Buffer.from([1, 2, 3])]);
    const [row] = (await sql.execute('SELECT data, big, big + 1 AS next FROM b')).rows;
    expect(row).toEqual({ data: Buffer.from([1, 2, 3]), big: 9007199254740993n, next: 9007199254740994n });
  });
});

describe('errors', () => {
  it('reports syntax errors as QueryError with line and column', async () => {
    const { sql } = await fresh();
    const error = await sql.execute('SELECT *\nFROM t\nWHERE id = = 3').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QueryError);
    expect(error).toMatchObject({ code: 5004, line: 3, column: 12 });
    await expect(sql.execute("SELECT 'unterminated")).rejects.toMatchObject({ code: 5004, line: 1, column: 8 });
    await expect(sql.execute('')).rejects.toBeInstanceOf(QueryError);
    await expect(sql.execute('COMMIT')).rejects.toMatchObject({ code: 5001 });
  });

  it('tells a missing table and a missing column apart from a syntax error by class and code', async () => {
    const { sql } = await fresh();
    const missingTable = await sql.execute('SELECT * FROM nowhere').catch((e: unknown) => e);
    expect(missingTable).toBeInstanceOf(NoSuchTableError);
    expect(missingTable).toBeInstanceOf(QueryError);
    expect(missingTable).toMatchObject({ code: 5005, message: 'no such table: nowhere' });
    await sql.execute('CREATE TABLE t2 (id INTEGER PRIMARY KEY)');
    const missingColumn = await sql.execute('SELECT nope FROM t2').catch((e: unknown) => e);
    expect(missingColumn).toBeInstanceOf(NoSuchColumnError);
    expect(missingColumn).toMatchObject({ code: 5006, message: 'no such column: nope' });
    await expect(sql.execute('INSERT INTO t2 (nope) VALUES (1)')).rejects.toMatchObject({ code: 5006 });
    await expect(sql.execute('SELEC 1')).rejects.toBeInstanceOf(SqlSyntaxError);
  });

  it('enforces documented input limits with typed errors before doing the work', async () => {
    const { sql, storage } = await fresh();
    const small = new SqlEngine(storage, { limits: { sqlLength: 1000, inListItems: 10 } });
    await expect(small.execute(`SELECT '${'x'.repeat(1000)}'`)).rejects.toThrow(/SQL text too long: 1009 characters \(the limit is 1000\)/);
    await expect(small.execute('SELECT 1 IN (1,2,3,4,5,6,7,8,9,10,11)')).rejects.toThrow(/too many items in an IN list: 11 \(the limit is 10/);
    expect((await small.execute('SELECT 1 IN (1,2,3,4,5,6,7,8,9,10) AS x')).rows).toEqual([{ x: 1 }]);
    // Expression depth follows SQLite (1,000): deeper is an error, never a stack overflow.
    await expect(sql.execute(`SELECT ${'('.repeat(5000)}1${')'.repeat(5000)}`)).rejects.toBeInstanceOf(QueryError);
    await expect(sql.execute(`SELECT 1${' + 1'.repeat(1000)}`)).rejects.toThrow(/Expression tree is too large/);
    expect(() => new SqlEngine(storage, { limits: { inListItems: 0 } })).toThrow(ValidationError);
    // The defaults: 10,000,000 characters and 100,000 IN items; a large constant IN list is one hash lookup per row.
    const big = Array.from({ length: 100_000 }, (_, i) => i + 1000).join(',');
    expect((await sql.execute(`SELECT count(*) AS n FROM t WHERE id IN (${big})`)).rows).toEqual([{ n: 0 }]);
    await expect(sql.execute(`SELECT 1 IN (${big},1)`)).rejects.toThrow(/too many items in an IN list/);
  });

  it('names the table, column and constraint of a violation', async () => {
    const { sql } = await fresh();
    await sql.execute("INSERT INTO t VALUES (1, 'a', 1)");
    const error = await sql.execute("INSERT INTO t VALUES (2, 'a', 1)").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConstraintError);
    expect(error).toMatchObject({ code: 5002, table: 't', columnName: 'name', constraint: 'UNIQUE' });
    await expect(sql.execute('SELECT zeroblob(2e9)')).rejects.toMatchObject({ code: 5001 });
    expect((await sql.execute('SELECT char(1e12) AS c')).rows).toEqual([{ c: '\ufffd' }]);
    // Unsupported syntax is refused, never silently ignored.
    await expect(sql.execute('SELECT name COLLATE klingon FROM t')).rejects.toThrow(/no such collation sequence: klingon/i);
    await expect(sql.execute('CREATE TABLE strict_t (x INTEGER) STRICT')).rejects.toThrow('STRICT tables are not supported yet');
    await expect(sql.execute('SELECT id FROM t WHERE row_number() OVER () > 1')).rejects.toThrow('misuse of window function row_number()');
    await expect(sql.execute('CREATE TABLE cascade_t (x INTEGER REFERENCES t(id) ON DELETE CASCADE)')).rejects.toThrow('CASCADE is not supported yet');
    await sql.execute('CREATE TABLE nn (id INTEGER PRIMARY KEY, v TEXT NOT NULL)');
    await expect(sql.execute('INSERT INTO nn (id) VALUES (1)')).rejects.toMatchObject({ table: 'nn', columnName: 'v', constraint: 'NOT NULL' });
  });
});

describe('atomic statements', () => {
  it('a constraint violation in row 500 of 1000 leaves nothing', async () => {
    const { sql } = await fresh();
    const values = Array.from({ length: 1000 }, (_, i) => `(${i + 1}, 'n${i === 499 ? 0 : i}', ${i})`).join(', ');
    await expect(sql.execute(`INSERT INTO t VALUES ${values}`)).rejects.toBeInstanceOf(ConstraintError);
    expect((await sql.execute('SELECT count(*) AS c FROM t')).rows).toEqual([{ c: 0 }]);
    await sql.execute(`INSERT INTO t VALUES ${values.replace("'n0', 499", "'n499', 499")}`);
    expect((await sql.execute('SELECT count(*) AS c FROM t')).rows).toEqual([{ c: 1000 }]);
    await expect(sql.execute("UPDATE t SET name = 'same' WHERE id > 10")).rejects.toBeInstanceOf(ConstraintError);
    expect((await sql.execute("SELECT count(*) AS c FROM t WHERE name = 'same'")).rows).toEqual([{ c: 0 }]);
  });
});

describe('transactions', () => {
  it('commits SQL and KV writes together, and an abort leaves neither', async () => {
    const { sql, storage } = await fresh();
    const txn = storage.beginTransaction();
    await sql.execute("INSERT INTO t VALUES (1, 'Alice', 1)", [], { txn });
    await txn.put('user:1:metadata', '{"verified": true}');
    expect((await sql.execute('SELECT count(*) AS c FROM t', [], { txn })).rows).toEqual([{ c: 1 }]);
    expect((await sql.execute('SELECT count(*) AS c FROM t')).rows).toEqual([{ c: 0 }]);
    await txn.commit();
    expect((await sql.execute('SELECT name FROM t')).rows).toEqual([{ name: 'Alice' }]);
    expect((await storage.get('user:1:metadata'))?.toString()).toBe('{"verified": true}');

    const aborted = storage.beginTransaction();
    await sql.execute("INSERT INTO t VALUES (2, 'Bob', 2)", [], { txn: aborted });
    await aborted.put('user:2:metadata', 'x');
    await aborted.abort();
    expect((await sql.execute('SELECT count(*) AS c FROM t')).rows).toEqual([{ c: 1 }]);
    expect(await storage.get('user:2:metadata')).toBeUndefined();
  });

  it('a failed statement leaves the caller transaction as it was', async () => {
    const { sql, storage } = await fresh();
    const txn = storage.beginTransaction();
    await sql.execute("INSERT INTO t VALUES (1, 'a', 1)", [], { txn });
    await expect(sql.execute("INSERT INTO t VALUES (2, 'b', 2), (3, 'a', 3)", [], { txn })).rejects.toBeInstanceOf(ConstraintError);
    await sql.execute("INSERT INTO t VALUES (4, 'd', 4)", [], { txn });
    await txn.commit();
    expect((await sql.execute('SELECT id FROM t ORDER BY id')).rows).toEqual([{ id: 1 }, { id: 4 }]);
  });

  it('DDL in an aborted transaction leaves the schema unchanged; in a committed one it is seen by everyone', async () => {
    const { sql, storage } = await fresh();
    await sql.execute('SELECT * FROM t'); // cached plan for the old schema
    const txn = storage.beginTransaction();
    await sql.execute('CREATE TABLE extra (x INTEGER)', [], { txn });
    await sql.execute('ALTER TABLE t ADD COLUMN flag INTEGER DEFAULT 7', [], { txn });
    await sql.execute('INSERT INTO extra VALUES (1)', [], { txn });
    expect((await sql.execute('SELECT * FROM t', [], { txn })).columns).toEqual(['id', 'name', 'n', 'flag']);
    await expect(sql.execute('SELECT * FROM extra')).rejects.toThrow('no such table: extra');
    await txn.abort();
    await expect(sql.execute('SELECT * FROM extra')).rejects.toThrow('no such table: extra');
    expect((await sql.execute('SELECT * FROM t')).columns).toEqual(['id', 'name', 'n']);

    const t2 = storage.beginTransaction();
    await sql.execute('ALTER TABLE t ADD COLUMN flag INTEGER DEFAULT 7', [], { txn: t2 });
    await t2.commit();
    await sql.execute("INSERT INTO t (id, name) VALUES (1, 'a')");
    expect((await sql.execute('SELECT * FROM t')).rows).toEqual([{ id: 1, name: 'a', n: null, flag: 7 }]);
  });

  it('still refuses a duplicate INTEGER PRIMARY KEY after appends, moves and failed statements in one transaction', async () => {
    const { sql, storage } = await fresh();
    await sql.execute("INSERT INTO t VALUES (1, 'a', 1), (2, 'b', 2)");
    const txn = storage.beginTransaction();
    for (let id = 3; id <= 6; id++) await sql.execute('INSERT INTO t (id, n) VALUES (?, ?)', [id, id], { txn });
    await expect(sql.execute('INSERT INTO t (id) VALUES (2)', [], { txn })).rejects.toMatchObject({ constraint: 'PRIMARY KEY' });
    await expect(sql.execute('INSERT INTO t (id) VALUES (5)', [], { txn })).rejects.toMatchObject({ constraint: 'PRIMARY KEY' });
    await sql.execute('UPDATE t SET id = 100 WHERE id = 4', [], { txn });
    await expect(sql.execute('INSERT INTO t (id) VALUES (100)', [], { txn })).rejects.toMatchObject({ constraint: 'PRIMARY KEY' });
    // Two rows with the same new rowid in one statement: the second collides with the first.
    await expect(sql.execute('INSERT INTO t (id) VALUES (200), (200)', [], { txn })).rejects.toMatchObject({ constraint: 'PRIMARY KEY' });
    await sql.execute('INSERT INTO t (id) VALUES (200)', [], { txn });
    await txn.commit();
    expect((await sql.execute('SELECT id FROM t ORDER BY id', [], { rowMode: 'array' })).rows.flat()).toEqual([1, 2, 3, 5, 6, 100, 200]);
    await expect(sql.execute('INSERT INTO t (id) VALUES (6)')).rejects.toMatchObject({ constraint: 'PRIMARY KEY' });
  });

  it('first committer wins when two transactions write the same row', async () => {
    const { sql, storage } = await fresh();
    await sql.execute("INSERT INTO t VALUES (1, 'a', 0)");
    const a = storage.beginTransaction();
    const b = storage.beginTransaction();
    await sql.execute('UPDATE t SET n = 1 WHERE id = 1', [], { txn: a });
    await sql.execute('UPDATE t SET n = 2 WHERE id = 1', [], { txn: b });
    await a.commit();
    await expect(b.commit()).rejects.toBeInstanceOf(TransactionConflictError);
    expect((await sql.execute('SELECT n FROM t')).rows).toEqual([{ n: 1 }]);
  });
});

describe('persistence', () => {
  it('keeps schema, rows and indexes across reopen', async () => {
    const db = await fresh();
    await db.sql.execute('CREATE INDEX t_n ON t (n)');
    await db.sql.execute("INSERT INTO t VALUES (1, 'a', 5), (2, 'b', 6)");
    const { sql } = await db.reopen();
    expect((await sql.execute('SELECT name FROM t WHERE n = 6')).rows).toEqual([{ name: 'b' }]);
    expect(await sql.explain('SELECT name FROM t WHERE n = 6')).toEqual(['SEARCH t USING INDEX t_n (n=?)']);
    await expect(sql.execute("INSERT INTO t VALUES (3, 'a', 7)")).rejects.toBeInstanceOf(ConstraintError);
    expect((await sql.execute("INSERT INTO t (name) VALUES ('c')")).lastInsertRowid).toBe(3);
    expect(await sql.tables()).toEqual(['t']);
  });
});

describe('planner', () => {
  it('uses the primary key, secondary indexes and key lookups, and says so in EXPLAIN', async () => {
    const { sql } = await fresh();
    await sql.execute('CREATE TABLE o (id INTEGER PRIMARY KEY, t_id INTEGER REFERENCES t(id), total REAL)');
    await sql.execute('CREATE INDEX o_total ON o (total)');
    expect(await sql.explain('SELECT * FROM t WHERE id = 5')).toEqual(['SEARCH t USING INTEGER PRIMARY KEY (id=?)']);
    expect(await sql.explain('SELECT * FROM t WHERE id > 5 AND id <= 9')).toEqual(['SEARCH t USING INTEGER PRIMARY KEY (id>? AND id<=?)']);
    expect(await sql.explain("SELECT * FROM t WHERE name = 'x'")).toEqual(['SEARCH t USING INDEX sqlite_autoindex_t_1 (name=?)']);
    expect(await sql.explain('SELECT * FROM o WHERE total BETWEEN 1 AND 2')).toEqual(['SEARCH o USING INDEX o_total (total>=? AND total<=?)']);
    expect(await sql.explain('SELECT * FROM t WHERE n = 1')).toEqual(['SCAN t']);
    expect(await sql.explain('SELECT * FROM o JOIN t ON t.id = o.t_id')).toEqual(['SCAN o', 'SEARCH t USING INTEGER PRIMARY KEY (id=?) (lookup per o row)']);
    const plan = await sql.execute('EXPLAIN QUERY PLAN SELECT t.name, count(*) FROM t JOIN o ON o.t_id = t.id GROUP BY t.name');
    expect(plan.columns).toEqual(['id', 'parent', 'notused', 'detail']);
    expect(plan.rows.map((r) => r['detail'])).toEqual([
      'SCAN t',
      'SEARCH o USING INDEX sochdb_fkindex_o_1 (t_id=?) (lookup per t row)',
      'USE HASH TABLE FOR GROUP BY',
    ]);
  });

  it('returns the same rows whichever access path it takes', async () => {
    const { sql } = await fresh();
    const rows = Array.from({ length: 200 }, (_, i) => `(${i}, 'n${i}', ${i % 7})`).join(',');
    await sql.execute(`INSERT INTO t VALUES ${rows}`);
    await sql.execute('CREATE TABLE o (id INTEGER PRIMARY KEY, t_id INTEGER, v TEXT)');
    await sql.execute(`INSERT INTO o VALUES ${Array.from({ length: 300 }, (_, i) => `(${i}, ${(i * 13) % 250}, 'v${i}')`).join(',')}`);
    const q = "SELECT count(*) AS c, sum(o.id) AS s FROM t JOIN o ON o.t_id = t.id WHERE t.n = 3 AND t.id BETWEEN 20 AND 180 AND name > 'n1'";
    const before = (await sql.execute(q)).rows;
    await sql.execute('CREATE INDEX t_n ON t (n)');
    await sql.execute('CREATE INDEX o_t ON o (t_id)');
    expect((await sql.execute(q)).rows).toEqual(before);
    expect((await sql.execute('SELECT id FROM t WHERE n = 3 AND id < 30 ORDER BY id')).rows.map((r) => r['id'])).toEqual([3, 10, 17, 24]);
    expect((await sql.execute("SELECT id FROM t WHERE id IN (5, 7) OR n = '6' AND id < 14 ORDER BY id")).rows.map((r) => r['id'])).toEqual([5, 6, 7, 13]);
  });
});

describe('triggers hook', () => {
  class FakeTriggers implements SqlTriggers {
    readonly calls: string[] = [];
    has(table: string, event: TriggerEvent): boolean {
      return table === 't' && event !== 'AFTER DELETE';
    }
    fire(table: string, event: TriggerEvent, row: TriggerRow, context: { oldRow?: TriggerRow }): TriggerRow | void {
      this.calls.push(`${event} ${table} ${String(row['name'])}${context.oldRow ? ` (was ${String(context.oldRow['name'])})` : ''}`);
      if (event === 'BEFORE INSERT' && typeof row['n'] === 'number' && row['n'] < 0) throw new RangeError('n cannot be negative');
      if (event === 'BEFORE INSERT') return { ...row, name: String(row['name']).toUpperCase() };
    }
  }

  it('fires per row, lets BEFORE hooks replace the row, and a throw aborts the whole statement; AFTER hooks see only statements that succeed', async () => {
    const triggers = new FakeTriggers();
    const { sql } = await fresh({ triggers });
    await sql.execute("INSERT INTO t VALUES (1, 'ann', 1), (2, 'bob', 2)");
    expect((await sql.execute('SELECT name FROM t ORDER BY id')).rows).toEqual([{ name: 'ANN' }, { name: 'BOB' }]);
    // The hook's own error reaches the caller unchanged.
    await expect(sql.execute("INSERT INTO t VALUES (3, 'cid', 3), (4, 'dan', -1)")).rejects.toThrow(RangeError);
    expect((await sql.execute('SELECT count(*) AS c FROM t')).rows).toEqual([{ c: 2 }]);
    await sql.execute("UPDATE t SET name = 'Ann' WHERE id = 1");
    await sql.execute('DELETE FROM t WHERE id = 2');
    // BEFORE hooks run per row as rows are written; AFTER hooks run once the whole statement
    // has passed, so 'cid' (in the statement that 'dan' aborted) never reaches AFTER INSERT.
    expect(triggers.calls).toEqual([
      'BEFORE INSERT t ann',
      'BEFORE INSERT t bob',
      'AFTER INSERT t ANN',
      'AFTER INSERT t BOB',
      'BEFORE INSERT t cid',
      'BEFORE INSERT t dan',
      'BEFORE UPDATE t Ann (was ANN)',
      'AFTER UPDATE t Ann (was ANN)',
      'BEFORE DELETE t BOB',
    ]);
  });
});

describe('namespaces', () => {
  it('keeps two engines on one Storage apart', async () => {
    const { storage, sql } = await fresh();
    const other = new SqlEngine(storage, { namespace: 'tenant2' });
    await other.execute('CREATE TABLE t (x TEXT)');
    await other.execute("INSERT INTO t VALUES ('other')");
    await sql.execute("INSERT INTO t VALUES (1, 'mine', 0)");
    expect((await other.execute('SELECT * FROM t')).rows).toEqual([{ x: 'other' }]);
    expect((await sql.execute('SELECT name FROM t')).rows).toEqual([{ name: 'mine' }]);
  });
});

describe('statement cache', () => {
  it('counts a repeated statement as a hit and a new one as a miss', async () => {
    const { MemoryStorage } = await import('@sochdb/core');
    const { SqlEngine } = await import('../src/index.js');
    const storage = await MemoryStorage.open();
    const engine = new SqlEngine(storage);
    await engine.execute('SELECT 1');
    await engine.execute('SELECT 1');
    await engine.execute('SELECT 2');
    expect(engine.cacheStats()).toMatchObject({ hits: 1, misses: 2, size: 2 });
    await storage.close();
  });
});
