// Every construct of the SQL-grammar issue, run on this engine (real LevelDB folder) and on real
// SQLite (better-sqlite3) side by side: same rows, same column names, and an error where SQLite
// gives one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueryError, SochDBError } from '@sochdb/core';
import type { SqlEngine } from '@sochdb/sql';
import { BetterSqlite, openEngine, type SqliteDatabase } from './helpers.js';

const SETUP = [
  'CREATE TABLE t1 (id INTEGER PRIMARY KEY, k INTEGER, a INTEGER, b INTEGER, s TEXT)',
  'CREATE TABLE t2 (id INTEGER PRIMARY KEY, k INTEGER, c INTEGER, s TEXT)',
  'CREATE TABLE t3 (k INTEGER, d TEXT)',
  'CREATE INDEX t1_k ON t1 (k)',
  "INSERT INTO t1 VALUES (1, 1, 1, 2, 'x'), (2, 2, 0, 2, 'y'), (3, NULL, 1, NULL, NULL), (4, 4, NULL, 3, 'x')",
  "INSERT INTO t2 VALUES (10, 1, 100, 'x'), (11, 2, 200, 'q'), (12, 5, 500, NULL), (13, 1, 101, 'x')",
  "INSERT INTO t3 VALUES (1, 'one'), (5, 'five'), (NULL, 'none')",
  'CREATE TABLE t4 (k INTEGER)',
  'INSERT INTO t4 VALUES (1), (4), (NULL)',
  'CREATE TABLE parent (id INTEGER PRIMARY KEY, name TEXT)',
  'CREATE TABLE child (id INTEGER PRIMARY KEY, pid INTEGER REFERENCES parent)',
  "INSERT INTO parent VALUES (1, 'p')",
];

/** Queries whose rows and column names must equal SQLite's (ORDER BY makes the order total). */
const SAME_AS_SQLITE = [
  // AND / OR / NOT precedence (the silently wrong answers of the old parser).
  'SELECT 0 AND 0 OR 1',
  'SELECT 1 OR 0 AND 0',
  "SELECT id FROM t1 WHERE a = 1 OR b = 2 AND s = 'y' ORDER BY id",
  'SELECT id FROM t1 WHERE NOT (-b) IS NOT NULL ORDER BY id',
  "SELECT 3 = 2 < 3, 2 | 1 & 0, NOT 1 IS NULL, 1 = 1 IN (1), 2 IN (2) = 1, 'a' || 'b' * 2, 5 - 2 | 1 + 0",
  // USING / NATURAL / RIGHT / FULL.
  'SELECT * FROM t1 JOIN t2 USING (k) ORDER BY t1.id, t2.id',
  'SELECT * FROM t1 JOIN t2 USING (k, s) ORDER BY t1.id, t2.id',
  'SELECT * FROM t1 NATURAL JOIN t2 ORDER BY 1',
  'SELECT k, t1.id, t2.id FROM t1 LEFT JOIN t2 USING (k) ORDER BY 2, 3',
  'SELECT * FROM t1 RIGHT JOIN t2 USING (k) ORDER BY t2.id, t1.id',
  'SELECT * FROM t1 FULL JOIN t2 USING (k) ORDER BY k, t1.id, t2.id',
  'SELECT k FROM t1 FULL OUTER JOIN t2 USING (k) ORDER BY 1',
  'SELECT t1.id, t2.id FROM t1 RIGHT OUTER JOIN t2 ON t1.k = t2.k AND t2.c > 100 ORDER BY 2, 1',
  'SELECT t1.id, t2.id FROM t1 FULL JOIN t2 ON t1.k = t2.k WHERE t1.id IS NULL OR t2.id IS NULL ORDER BY 1, 2',
  'SELECT t1.id, t2.id, t3.d FROM t1 JOIN t2 USING (k) RIGHT JOIN t3 USING (k) ORDER BY 3, 1, 2',
  'SELECT count(*), count(t1.id), count(t2.id) FROM t1 FULL JOIN t2 ON t1.k = t2.k',
  'SELECT * FROM t1 NATURAL LEFT JOIN t3 ORDER BY id',
  // SELECT ALL, aggregates with DISTINCT / ALL, FILTER.
  'SELECT ALL a FROM t1 ORDER BY id',
  'SELECT count(DISTINCT a), sum(DISTINCT b), avg(DISTINCT b), min(ALL b), max(DISTINCT a), total(DISTINCT b), group_concat(DISTINCT s) FROM t1',
  "SELECT count(*) FILTER (WHERE a = 1), sum(b) FILTER (WHERE s = 'x') FROM t1",
  "SELECT group_concat(a ORDER BY a DESC), group_concat(s, '-' ORDER BY a NULLS LAST, id), string_agg(id, ';' ORDER BY s DESC, id), count(1 ORDER BY 1), group_concat(DISTINCT s ORDER BY s) FROM t1",
  // NULLS FIRST / LAST.
  'SELECT id, b FROM t1 ORDER BY b NULLS LAST, id',
  'SELECT id, b FROM t1 ORDER BY b DESC NULLS FIRST, id',
  'SELECT id, s FROM t1 ORDER BY s DESC NULLS LAST, id DESC',
  // Postfix NULL tests.
  'SELECT id, b ISNULL, b NOTNULL, b NOT NULL, b IS NOT NULL FROM t1 ORDER BY id',
  // INDEXED BY / NOT INDEXED.
  'SELECT id FROM t1 INDEXED BY t1_k WHERE k = 2',
  'SELECT id FROM t1 NOT INDEXED WHERE k = 2',
  // IN forms.
  'SELECT id FROM t1 WHERE k IN t4 ORDER BY id',
  'SELECT id FROM t1 WHERE k IN () ORDER BY id',
  'SELECT id FROM t1 WHERE k NOT IN () ORDER BY id',
  'SELECT NULL IN (), NULL NOT IN ()',
  'SELECT id FROM t1 WHERE (k, s) IN (SELECT k, s FROM t2) ORDER BY id',
  // Compound ORDER BY on a result alias of a later member.
  'SELECT a FROM t1 UNION SELECT c AS l FROM t2 ORDER BY l',
  'SELECT a AS l FROM t1 UNION SELECT c FROM t2 ORDER BY l DESC',
  'SELECT k FROM t1 EXCEPT SELECT k FROM t3 ORDER BY 1',
  "VALUES (1, 'a'), (2, 'b')",
  'SELECT * FROM (VALUES (1), (2)) ORDER BY 1 DESC',
  // Row values.
  'SELECT (1, 2) = (1, 2), (1, 2) < (1, 3), (1, NULL) = (1, 2), (2, NULL) > (1, 5)',
  // Result column names SQLite gives.
  'SELECT A, t1.K, a+1,  a  +  1 FROM t1 ORDER BY id',
  // COLLATE in expressions and ORDER BY.
  "SELECT 'abc' = 'ABC' COLLATE NOCASE, 'abc ' = 'abc' COLLATE RTRIM",
  'SELECT s FROM t1 ORDER BY s COLLATE NOCASE DESC, id',
  // Views.
  'SELECT * FROM v_t1 ORDER BY 1',
  // Keywords as names.
  "SELECT replace(s, 'x', 'z') AS key FROM t1 ORDER BY id",
];

/** Statements SQLite refuses; ours must refuse them with a typed error. */
const ERRORS_AS_SQLITE = [
  'SELECT * FROM t1 JOIN t2 USING (nope)',
  'SELECT id FROM t1 WHERE k IN (SELECT k, s FROM t2)',
  'SELECT id FROM t1 WHERE k IN t3',
  'SELECT * FROM t1 NATURAL JOIN t2 USING (k)',
  'SELECT a FROM t1 UNION SELECT c FROM t2 ORDER BY zz',
  'SELECT a FROM t1 ORDER BY 3',
  'SELECT id FROM t1 INDEXED BY nope WHERE k = 1',
  'SELECT (1, 2) = 1',
  'INSERT INTO v_t1 VALUES (1)',
  'DELETE FROM v_t1',
  'DROP TABLE v_t1',
  'DROP VIEW t1',
];

let ours: SqlEngine;
let lite: SqliteDatabase;
let close: () => Promise<void>;

beforeAll(async () => {
  const db = await openEngine();
  ours = db.sql;
  close = db.close;
  lite = new BetterSqlite(':memory:');
  lite.pragma('foreign_keys = ON');
  for (const s of [...SETUP, 'CREATE VIEW v_t1 AS SELECT k, count(*) AS n FROM t1 GROUP BY k']) {
    lite.exec(s);
    await ours.execute(s);
  }
});

afterAll(async () => {
  lite.close();
  await close();
});

const norm = (v: unknown) => (typeof v === 'bigint' ? Number(v) : Buffer.isBuffer(v) ? v.toString('hex') : v);

describe('same answers as SQLite', () => {
  for (const sql of SAME_AS_SQLITE) {
    it(sql, async () => {
      const stmt = lite.prepare(sql);
      const expected = (stmt.raw(true).all() as unknown[][]).map((r) => r.map(norm));
      const result = await ours.execute(sql, [], { rowMode: 'array' });
      expect(result.columns, `columns of ${sql}`).toEqual(stmt.columns().map((c) => c.name));
      expect(
        result.rows.map((r) => r.map(norm)),
        sql,
      ).toEqual(expected);
    });
  }
});

describe('errors where SQLite gives one', () => {
  for (const sql of ERRORS_AS_SQLITE) {
    it(sql, async () => {
      expect(() => lite.prepare(sql).run(), `SQLite refuses ${sql}`).toThrow();
      const error = await ours.execute(sql).catch((e: unknown) => e);
      expect(error, sql).toBeInstanceOf(QueryError);
    });
  }
});

describe('RETURNING', () => {
  it('gives the rows INSERT, UPDATE, DELETE and an upsert wrote, as SQLite does', async () => {
    const statements = [
      "INSERT INTO t3 VALUES (7, 'seven'), (8, 'eight') RETURNING k, upper(d) AS up",
      "INSERT INTO t2 (k, c, s) VALUES (9, 900, 'n') RETURNING *",
      'UPDATE t2 SET c = c + 1 WHERE k = 9 RETURNING id, c',
      "INSERT INTO t2 VALUES (10, 1, 100, 'x') ON CONFLICT (id) DO UPDATE SET c = excluded.c + 5 RETURNING id, c",
      'DELETE FROM t3 WHERE k >= 7 RETURNING d',
      "INSERT OR IGNORE INTO t2 VALUES (10, 0, 0, 'ignored') RETURNING id",
    ];
    for (const sql of statements) {
      const stmt = lite.prepare(sql);
      const expected = (stmt.raw(true).all() as unknown[][]).map((r) => r.map(norm));
      const result = await ours.execute(sql, [], { rowMode: 'array' });
      expect(
        result.rows.map((r) => r.map(norm)),
        sql,
      ).toEqual(expected);
      expect(result.columns, sql).toEqual(stmt.columns().map((c) => c.name));
    }
  });

  it('returns nothing when the statement fails', async () => {
    const error = await ours.execute("INSERT INTO t2 VALUES (50, 1, 1, 'a'), (10, 1, 1, 'dup') RETURNING id").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SochDBError);
    expect((await ours.execute('SELECT count(*) AS n FROM t2 WHERE id = 50')).rows[0]).toEqual({ n: 0 });
  });
});

describe('REFERENCES without a column list', () => {
  it('references the parent primary key', async () => {
    await ours.execute('INSERT INTO child VALUES (1, 1)');
    await expect(ours.execute('INSERT INTO child VALUES (2, 99)')).rejects.toMatchObject({ constraint: 'FOREIGN KEY' });
  });
});

describe('AUTOINCREMENT', () => {
  it('never reuses a rowid, as SQLite does, while a plain INTEGER PRIMARY KEY may', async () => {
    const steps = [
      'CREATE TABLE ai (id INTEGER PRIMARY KEY AUTOINCREMENT, v TEXT)',
      'CREATE TABLE plain (id INTEGER PRIMARY KEY, v TEXT)',
      "INSERT INTO ai (v) VALUES ('a'), ('b'), ('c')",
      "INSERT INTO plain (v) VALUES ('a'), ('b'), ('c')",
      'DELETE FROM ai WHERE id = 3',
      'DELETE FROM plain WHERE id = 3',
      "INSERT INTO ai (v) VALUES ('d')",
      "INSERT INTO plain (v) VALUES ('d')",
      "INSERT INTO ai VALUES (100, 'e')",
      'DELETE FROM ai WHERE id >= 4',
      "INSERT INTO ai (v) VALUES ('f')",
      'DELETE FROM ai',
      "INSERT INTO ai (v) VALUES ('g')",
    ];
    for (const s of steps) {
      lite.exec(s);
      await ours.execute(s);
    }
    for (const q of ['SELECT id, v FROM ai ORDER BY id', 'SELECT id, v FROM plain ORDER BY id']) {
      expect(
        (await ours.execute(q, [], { rowMode: 'array' })).rows.map((r) => r.map(norm)),
        q,
      ).toEqual((lite.prepare(q).raw(true).all() as unknown[][]).map((r) => r.map(norm)));
    }
    expect(() => lite.exec('CREATE TABLE bad (id TEXT PRIMARY KEY AUTOINCREMENT)')).toThrow();
    await expect(ours.execute('CREATE TABLE bad (id TEXT PRIMARY KEY AUTOINCREMENT)')).rejects.toThrow(
      'AUTOINCREMENT is only allowed on an INTEGER PRIMARY KEY',
    );
  });
});
