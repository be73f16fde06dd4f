// The printer: names and literals that need care, and whole queries that must mean the same to
// SQLite after a parse → print round trip.
import { describe, expect, it } from 'vitest';
import { exprToSql, parseExpression, parseSql, selectToSql } from '../../src/parse/index.js';
import { col, lit, selectOf, un } from './builders.js';
import { sqliteRows } from './sqlite.js';

describe('exprToSql', () => {
  it('quotes names only when needed and keeps double quotes meaningful', () => {
    expect(exprToSql(col('a'))).toBe('a');
    expect(exprToSql(col('order'))).toBe('`order`');
    expect(exprToSql(col('true'))).toBe('`true`');
    expect(exprToSql(col('a b', 't'))).toBe('t.`a b`');
    expect(exprToSql(col('x', 'from', 'main'))).toBe('main."from".x');
    expect(exprToSql(col('x"y', undefined, undefined, true))).toBe('"x""y"');
    expect(exprToSql(parseExpression('replace(a, "b", [c])'))).toBe('replace(a, "b", c)');
    expect(exprToSql(parseExpression('"select"(1)'))).toBe('"select"(1)');
  });

  it('writes literals so they read back with the same type', () => {
    expect(exprToSql(lit(1.0))).toBe('1.0');
    expect(exprToSql(lit(1e21))).toBe('1e+21');
    expect(exprToSql(lit(-2.5))).toBe('(-2.5)');
    expect(exprToSql(lit(Infinity))).toBe('1e999');
    expect(exprToSql(lit(-9223372036854775808n))).toBe('(-9223372036854775808)');
    expect(exprToSql(lit("it's"))).toBe("'it''s'");
    expect(exprToSql(lit(new Uint8Array([0, 171])))).toBe("X'00AB'");
    expect(exprToSql(un('-', un('-', lit(1n))))).toBe('(-(-1))');
    for (const value of [1.0, 1e21, 0.1, 5e-324, -2.5, -9223372036854775808n, 9223372036854775808]) {
      expect(parseExpression(exprToSql(lit(value)))).toEqual(typeof value === 'number' && value < 0 ? un('-', lit(-value)) : lit(value));
    }
  });

  it('round-trips every expression form', () => {
    const sources = [
      'CAST(a AS VARCHAR(20)) || CAST(b AS DOUBLE PRECISION)',
      "CASE WHEN a THEN 1 WHEN b THEN 2 ELSE NULL END + CASE a WHEN 1 THEN 'x' END",
      'a NOT IN (SELECT 1) AND b IN () AND c IN t AND d IN s.f(1, 2) AND (a, b) IN (VALUES (1, 2))',
      'NOT EXISTS (SELECT * FROM t WHERE t.a = x.a) OR (SELECT max(a) FROM t) > 1',
      'count(DISTINCT a ORDER BY b) FILTER (WHERE c) OVER (w PARTITION BY d ORDER BY e DESC NULLS FIRST GROUPS 2 PRECEDING EXCLUDE GROUP)',
      "sum(a) OVER w + count(*) + CURRENT_DATE + ?3 + :name + x'ff'",
      "a NOT LIKE 'x%' ESCAPE '!' AND b GLOB 'y*' AND c NOT REGEXP 'z' AND d MATCH 'w'",
      'a NOT BETWEEN b AND c COLLATE nocase',
      "RAISE(FAIL, 'no') IS NOT RAISE(IGNORE)",
      '"quoted" = [bracketed] AND `back` = left AND key -> \'$.a\' ->> 0',
    ];
    for (const source of sources) {
      const tree = parseExpression(source);
      expect(parseExpression(exprToSql(tree)), source).toEqual(tree);
    }
  });
});

describe('selectToSql', () => {
  const setup = [
    'CREATE TABLE t(a INTEGER, b TEXT, c REAL)',
    'CREATE TABLE u(a INTEGER, d TEXT)',
    "INSERT INTO t VALUES (1, 'x', 1.5), (2, 'Y', NULL), (3, 'y', 2.5), (NULL, 'z', 0)",
    "INSERT INTO u VALUES (1, 'one'), (3, 'three'), (4, 'four')",
  ];
  const queries = [
    'SELECT a, b AS "label", c * 2 FROM t WHERE a > 1 OR b = \'x\' ORDER BY 1 DESC NULLS LAST',
    'SELECT t.a, u.d FROM t LEFT JOIN u USING (a) ORDER BY t.a',
    'SELECT * FROM t NATURAL JOIN u, u AS v WHERE v.a = 4',
    'SELECT b COLLATE nocase, count(*) FROM t GROUP BY 1 COLLATE nocase HAVING count(*) > 0 ORDER BY 1',
    'SELECT a, sum(a) OVER w, rank() OVER (ORDER BY c) FROM t WINDOW w AS (ORDER BY a ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) ORDER BY a',
    'WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 5) SELECT x FROM n',
    'SELECT a FROM t UNION VALUES (7) UNION SELECT a FROM u EXCEPT SELECT 4 ORDER BY 1 LIMIT 2 OFFSET 1',
    'SELECT * FROM (SELECT a, b FROM t ORDER BY a DESC LIMIT 2) AS s JOIN (u) ON s.a = u.a',
    "SELECT DISTINCT value FROM json_each('[1,2,2]') ORDER BY 1 LIMIT 1, 5",
    'SELECT a FROM t WHERE a IN (SELECT a FROM u) AND EXISTS (SELECT 1 FROM u WHERE u.a = t.a)',
  ];
  it('prints queries SQLite answers exactly as it answers the original', () => {
    for (const sql of queries) {
      const printed = selectToSql(selectOf(sql));
      expect(sqliteRows(setup, printed), printed).toEqual(sqliteRows(setup, sql));
      expect(parseSql(printed)).toHaveLength(1);
    }
  });
});
