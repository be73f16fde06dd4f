// WITH RECURSIVE, on a real LevelDB folder, with SQLite's answers beside ours.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueryError } from '@sochdb/core';
import { SqlEngine } from '@sochdb/sql';
import { BetterSqlite, openEngine, type SqliteDatabase } from './helpers.js';

let ours: SqlEngine;
let lite: SqliteDatabase;
let close: () => Promise<void>;
let storage: Awaited<ReturnType<typeof openEngine>>['storage'];

beforeAll(async () => {
  const db = await openEngine();
  ours = db.sql;
  storage = db.storage;
  close = db.close;
  lite = new BetterSqlite(':memory:');
  for (const s of [
    'CREATE TABLE emp (id INTEGER PRIMARY KEY, name TEXT, boss INTEGER)',
    "INSERT INTO emp VALUES (1, 'ceo', NULL), (2, 'ann', 1), (3, 'bob', 1), (4, 'cid', 2), (5, 'dee', 4), (6, 'eve', 3)",
    'CREATE TABLE edge (a INTEGER, b INTEGER)',
    'INSERT INTO edge VALUES (1, 2), (2, 3), (3, 1), (3, 4), (5, 6)',
  ]) {
    lite.exec(s);
    await ours.execute(s);
  }
});
afterAll(async () => {
  lite.close();
  await close();
});

const same = [
  'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 5) SELECT sum(x) FROM c',
  // The idiom from SQLite's documentation: an endless recursion read under LIMIT.
  'WITH RECURSIVE cnt(x) AS (VALUES (1) UNION ALL SELECT x + 1 FROM cnt) SELECT x FROM cnt LIMIT 7',
  'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 4 OFFSET 1) SELECT x FROM c',
  // A tree walked from its root, depth by depth.
  'WITH RECURSIVE chain(id, name, depth) AS (SELECT id, name, 0 FROM emp WHERE boss IS NULL UNION ALL SELECT e.id, e.name, depth + 1 FROM emp e JOIN chain ON e.boss = chain.id) SELECT name, depth FROM chain ORDER BY depth, name',
  // A cyclic graph: UNION stops at rows already produced.
  'WITH RECURSIVE reach(n) AS (SELECT 1 UNION SELECT edge.b FROM edge JOIN reach ON edge.a = reach.n) SELECT n FROM reach ORDER BY n',
  'WITH RECURSIVE u(x) AS (SELECT 1 UNION SELECT (x + 1) % 4 FROM u) SELECT x FROM u ORDER BY x',
  // Two recursive selects, and a CTE that reads the recursive one.
  'WITH RECURSIVE t(x) AS (SELECT 1 UNION SELECT x * 2 FROM t WHERE x < 50 UNION SELECT x * 3 FROM t WHERE x < 50) SELECT count(*), max(x) FROM t',
  'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 3), d AS (SELECT x * 10 AS y FROM c) SELECT * FROM d ORDER BY y',
  'WITH RECURSIVE fib(a, b) AS (SELECT 0, 1 UNION ALL SELECT b, a + b FROM fib WHERE b < 100) SELECT group_concat(a) FROM fib',
  'SELECT (WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 10) SELECT count(*) FROM c)',
  // Read twice in one query, and joined with a table.
  'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 6) SELECT a.x, b.x FROM c a JOIN c b ON b.x = a.x * 2 ORDER BY 1',
  'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 6) SELECT name FROM emp JOIN c ON emp.id = c.x WHERE c.x % 2 = 0 ORDER BY name',
  // WITH RECURSIVE where nothing recurses is a plain WITH.
  'WITH RECURSIVE plain AS (SELECT 2 AS v) SELECT v FROM plain',
];

describe("WITH RECURSIVE gives SQLite's rows", () => {
  for (const sql of same) {
    it(sql, async () => {
      const expected = lite.prepare(sql).raw(true).all();
      expect((await ours.execute(sql, [], { rowMode: 'array' })).rows, sql).toEqual(expected);
    });
  }

  it('feeds INSERT … SELECT', async () => {
    const sql =
      "INSERT INTO emp (id, name, boss) WITH RECURSIVE c(x) AS (SELECT 100 UNION ALL SELECT x + 1 FROM c WHERE x < 104) SELECT x, 'gen' || x, 1 FROM c";
    lite.exec(sql);
    await ours.execute(sql);
    const check = "SELECT id, name FROM emp WHERE name LIKE 'gen%' ORDER BY id";
    expect((await ours.execute(check, [], { rowMode: 'array' })).rows).toEqual(lite.prepare(check).raw(true).all());
  });
});

describe('errors', () => {
  it('a recursion that never ends stops at the row limit with a QueryError', async () => {
    const small = new SqlEngine(storage, { limits: { recursiveRows: 1000 } });
    const error = await small.execute('WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QueryError);
    expect((error as QueryError).message).toMatch(/recursive CTE c produced more than 1000 rows/);
  });

  it('refuses what SQLite refuses', async () => {
    for (const sql of [
      'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT (SELECT x FROM c)) SELECT * FROM c',
      'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT count(*) FROM c) SELECT * FROM c',
      'WITH RECURSIVE c(x) AS (SELECT x FROM c) SELECT * FROM c',
    ]) {
      expect(() => lite.prepare(sql).all(), sql).toThrow();
      await expect(ours.execute(sql), sql).rejects.toBeInstanceOf(QueryError);
    }
  });
});
