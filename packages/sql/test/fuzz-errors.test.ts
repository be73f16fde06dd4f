// Any text sent to execute() either runs or fails with a typed SochDBError: random statements
// built from SQL's own words and symbols (most of them nonsense), against real tables.
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SochDBError, type Storage } from '@sochdb/core';
import type { SqlEngine } from '@sochdb/sql';
import { openEngine } from './helpers.js';

let sql: SqlEngine;
let storage: Storage;
let close: () => Promise<void>;
beforeAll(async () => {
  const db = await openEngine();
  sql = db.sql;
  storage = db.storage;
  close = db.close;
  await sql.execute(`
    CREATE TABLE t (id INTEGER PRIMARY KEY, a INTEGER, b TEXT, c REAL);
    CREATE TABLE u (k INTEGER, t_id INTEGER REFERENCES t (id), note TEXT);
    CREATE INDEX t_a ON t (a);
    INSERT INTO t VALUES (1, 1, 'x', 1.5), (2, NULL, 'y', NULL), (3, 3, NULL, -2.0);
    INSERT INTO u VALUES (1, 1, 'one'), (2, 3, NULL)`);
});
afterAll(async () => close());

const words = [
  'SELECT',
  'FROM',
  'WHERE',
  'AND',
  'OR',
  'NOT',
  'NULL',
  'IS',
  'IN',
  'BETWEEN',
  'LIKE',
  'GLOB',
  'ESCAPE',
  'CASE',
  'WHEN',
  'THEN',
  'ELSE',
  'END',
  'CAST',
  'AS',
  'INTEGER',
  'TEXT',
  'JOIN',
  'LEFT',
  'RIGHT',
  'FULL',
  'NATURAL',
  'USING',
  'ON',
  'GROUP',
  'BY',
  'HAVING',
  'ORDER',
  'LIMIT',
  'OFFSET',
  'UNION',
  'ALL',
  'EXCEPT',
  'INTERSECT',
  'DISTINCT',
  'EXISTS',
  'INSERT',
  'INTO',
  'VALUES',
  'UPDATE',
  'SET',
  'DELETE',
  'RETURNING',
  'WITH',
  'RECURSIVE',
  'COLLATE',
  'NOCASE',
  'NULLS',
  'FIRST',
  'LAST',
  'DESC',
  'ASC',
  'INDEXED',
  'OVER',
  'FILTER',
  'count',
  'sum',
  'max',
  'coalesce',
  'substr',
  'length',
  'abs',
  'typeof',
  'group_concat',
  'random',
  't',
  'u',
  'id',
  'a',
  'b',
  'c',
  'k',
  'note',
  't.a',
  'u.k',
  '*',
  't.*',
  '0',
  '1',
  '-1',
  '2.5',
  '1e308',
  '9223372036854775807',
  "'x'",
  "''",
  "'%'",
  "x'00ff'",
  '?',
  ':p',
  '$1',
  '(',
  ')',
  ',',
  '+',
  '-',
  '*',
  '/',
  '%',
  '||',
  '=',
  '==',
  '<>',
  '!=',
  '<',
  '<=',
  '>',
  '>=',
  '&',
  '|',
  '<<',
  '>>',
  '~',
  '.',
  ';',
];
// Expressions: operands and operators alternate (sometimes not), so many of them parse and reach
// the planner and executor with odd types, NULLs and overflowing numbers.
const operand = fc.constantFrom(
  'a',
  'b',
  'c',
  't.id',
  'NULL',
  '0',
  '1',
  '-1',
  '2.5',
  '1e308',
  '9223372036854775807',
  "'x'",
  "''",
  "x'00ff'",
  '?',
  'count(*)',
  'sum(a)',
  'max(b, c)',
  "coalesce(b, 'z')",
  'substr(b, a)',
  'length(b)',
  'abs(a)',
  'typeof(c)',
  'CAST(b AS INTEGER)',
  '(SELECT k FROM u)',
  'EXISTS (SELECT 1 FROM u)',
  'random()',
  'a COLLATE NOCASE',
);
const operator = fc.constantFrom(
  '+',
  '-',
  '*',
  '/',
  '%',
  '||',
  '=',
  '<>',
  '<',
  '>=',
  '&',
  '|',
  '<<',
  '>>',
  'AND',
  'OR',
  'IS',
  'IS NOT',
  'LIKE',
  'GLOB',
  'NOT IN (1, 2)',
  'BETWEEN 0 AND',
  'IN (',
  ')',
  'NOT',
);
const expr = fc.array(fc.tuple(operand, operator), { minLength: 1, maxLength: 4 }).map((pairs) => pairs.flat().slice(0, -1).join(' '));
const structured = fc
  .tuple(
    expr,
    expr,
    expr,
    fc.constantFrom('', 'JOIN u ON u.t_id = t.id', 'LEFT JOIN u USING (id)', 'NATURAL FULL JOIN u', ', u'),
    fc.constantFrom('', 'GROUP BY 1', 'GROUP BY a HAVING count(*) > 0'),
    fc.constantFrom('', 'ORDER BY 1', 'ORDER BY a DESC NULLS LAST', 'LIMIT 2 OFFSET 1'),
  )
  .map(([e1, e2, w, join, group, tail]) => `SELECT ${e1}, ${e2} FROM t ${join} WHERE ${w} ${group} ${tail}`);
const writes = fc
  .tuple(
    fc.constantFrom('UPDATE t SET c = ', 'DELETE FROM u WHERE ', 'INSERT INTO u VALUES (9, 1, ', 'INSERT INTO t (a, b) SELECT a, '),
    expr,
    fc.constantFrom('', ') RETURNING *', ')', ' FROM t'),
  )
  .map(([head, e, tail]) => `${head}${e}${tail}`);

const soup = fc
  .tuple(
    fc.constantFrom('SELECT', 'SELECT', 'SELECT', 'INSERT INTO t', 'UPDATE t SET', 'DELETE FROM', 'WITH', 'VALUES', 'SELECT * FROM t WHERE'),
    fc.array(fc.constantFrom(...words), { minLength: 1, maxLength: 14 }),
  )
  .map(([head, rest]) => `${head} ${rest.join(' ')}`);
const statement = fc.oneof(soup, structured, writes);

it('random statements run or fail with a SochDBError, never another exception', async () => {
  let ran = 0;
  let refusedAfterParsing = 0;
  await fc.assert(
    fc.asyncProperty(statement, async (text) => {
      // In a transaction that is thrown away, so every statement meets the same small tables.
      const txn = storage.beginTransaction();
      try {
        await sql.execute(text, [1], { txn });
        ran++;
      } catch (error) {
        if (!(error instanceof SochDBError)) throw new Error(`${text}\n  threw ${String(error)}`);
        if (!error.message.startsWith('SQL syntax error')) refusedAfterParsing++;
      } finally {
        await txn.abort();
      }
    }),
    { seed: 20261207, numRuns: 4000 },
  );
  // Enough of them get past the parser for the planner and executor to be exercised too.
  expect(ran + refusedAfterParsing, `ran ${ran}, refused after parsing ${refusedAfterParsing}`).toBeGreaterThan(1000);
  // The tables are still there and readable whatever the statements did.
  expect((await sql.execute('SELECT count(*) AS n FROM u')).rows[0]).toMatchObject({ n: expect.any(Number) });
});
