// Every parse failure is a SqlSyntaxError (a QueryError, code 5004) naming the line and column of the offending
// token with SQLite's wording; deep or huge input never overflows the stack.
import { QueryError } from '@sochdb/core';
import { describe, expect, it } from 'vitest';
import { parseExpression, parseSql } from '../../src/parse/index.js';

function failure(run: () => unknown): QueryError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(QueryError);
    return error as QueryError;
  }
  throw new Error('expected a QueryError');
}

function sqlFailure(sql: string): QueryError {
  return failure(() => parseSql(sql));
}

describe('syntax errors', () => {
  it('points at the offending token with SQLite wording', () => {
    const error = sqlFailure('SELECT *\nFROM t\nWHERE id = = 3');
    expect(error).toMatchObject({ code: 5004, line: 3, column: 12 });
    expect(error.message).toBe('SQL syntax error at line 3, column 12: near "=": syntax error');
    expect(error.remediation).toMatch(/README/);
  });

  it('reports incomplete input at the end of the text', () => {
    const error = sqlFailure('SELECT * FROM t WHERE');
    expect(error.message).toBe('SQL syntax error at line 1, column 22: incomplete input');
    expect(sqlFailure('SELECT (1').message).toMatch(/incomplete input$/);
    expect(sqlFailure('CREATE TRIGGER r AFTER INSERT ON t BEGIN SELECT 1;').message).toMatch(/incomplete input$/);
  });

  it('names whole tokens, including strings and keywords', () => {
    expect(sqlFailure("SELECT 1 'a' 'b'").message).toMatch(/near "'b'": syntax error$/);
    expect(sqlFailure('SELECT * FROM t WHERE x = 1 ORDER').message).toMatch(/incomplete input$/);
    expect(sqlFailure('SELECT 1 +;').message).toMatch(/near ";": syntax error$/);
    expect(sqlFailure('SELECT 1 NOT 2').message).toMatch(/near "2": syntax error$/);
    expect(sqlFailure('SELECT cast FROM t').message).toMatch(/near "FROM": syntax error$/);
    expect(sqlFailure('VALUES (1) ORDER BY 1').message).toMatch(/near "ORDER": syntax error$/);
  });

  it('rejects reserved words as bare names', () => {
    for (const sql of ['SELECT * FROM select', 'CREATE TABLE t(from INT)', 'SELECT 1 AS order', 'SELECT a FROM t AS where']) {
      expect(sqlFailure(sql).message).toMatch(/syntax error$/);
    }
  });

  it('rejects ORDER BY / LIMIT before a compound operator as SQLite does', () => {
    expect(sqlFailure('SELECT 1 ORDER BY 1 UNION SELECT 2').message).toMatch(/ORDER BY clause should come after UNION not before$/);
    expect(sqlFailure('SELECT 1 LIMIT 1 UNION ALL SELECT 2').message).toMatch(/LIMIT clause should come after UNION ALL not before$/);
  });

  it('requires a join before ON / USING, as SQLite does while parsing', () => {
    expect(sqlFailure('SELECT * FROM t ON 1').message).toBe('SQL syntax error at line 1, column 17: a JOIN clause is required before ON');
    expect(sqlFailure('SELECT * FROM (t) AS x USING (a)').message).toMatch(/a JOIN clause is required before USING$/);
  });

  it('checks join types, table options and generated-column kinds', () => {
    expect(sqlFailure('SELECT * FROM a OUTER JOIN b').message).toMatch(/unknown join type: OUTER$/);
    expect(sqlFailure('SELECT * FROM a LEFT INNER JOIN b').message).toMatch(/unknown join type: LEFT INNER$/);
    expect(sqlFailure('CREATE TABLE t(a) WITHOUT rowidx').message).toMatch(/unknown table option: rowidx$/);
    expect(sqlFailure('CREATE TABLE t(a) STRICTER').message).toMatch(/unknown table option: STRICTER$/);
    expect(sqlFailure('CREATE TABLE t(a, b AS (a) PERSISTED)').message).toMatch(/error in generated column "PERSISTED"$/);
  });

  it('reports errors in the first bad statement of a script', () => {
    const error = sqlFailure("SELECT 1;\nSELECT 2 +;\nSELECT 'unterminated");
    expect(error).toMatchObject({ line: 2, column: 11 });
  });
});

describe('tokens SQLite rejects', () => {
  const cases: readonly (readonly [string, string, number])[] = [
    ["SELECT 'unterminated", `unrecognized token: "'unterminated"`, 8],
    ['SELECT "open', 'unrecognized token: ""open"', 8],
    ['SELECT [open', 'unrecognized token: "[open"', 8],
    ["SELECT x'abc'", `unrecognized token: "x'abc'"`, 8],
    ["SELECT x'zz'", `unrecognized token: "x'zz'"`, 8],
    ['SELECT 1abc', 'unrecognized token: "1abc"', 8],
    ['SELECT 0x', 'unrecognized token: "0x"', 8],
    ['SELECT 1_', 'unrecognized token: "1_"', 8],
    ['SELECT 1__0', 'unrecognized token: "1__0"', 8],
    ['SELECT !1', 'unrecognized token: "!"', 8],
    ['SELECT 1 ^ 2', 'unrecognized token: "^"', 10],
    ['SELECT :', 'unrecognized token: ":"', 8],
  ];
  for (const [sql, message, column] of cases) {
    it(sql, () => {
      const error = sqlFailure(sql);
      expect(error.message).toBe(`SQL syntax error at line 1, column ${column}: ${message}`);
      expect(error.column).toBe(column);
    });
  }

  it('is reported only when reached, after an earlier syntax error', () => {
    expect(sqlFailure("SELECT 1 2; SELECT 'open").message).toMatch(/near "2": syntax error$/);
  });

  it('rejects hex literals longer than 16 digits and a negated INT64_MIN hex', () => {
    expect(sqlFailure('SELECT 0x1FFFFFFFFFFFFFFFF').message).toMatch(/hex literal too big: 0x1FFFFFFFFFFFFFFFF$/);
    expect(sqlFailure('SELECT -0x8000000000000000').message).toMatch(/hex literal too big: -0x8000000000000000$/);
    expect(parseExpression('0x00000000000000000001')).toEqual({ kind: 'literal', value: 1n });
  });

  it('rejects parameter numbers outside 1..32766 and #NNN registers', () => {
    expect(sqlFailure('SELECT ?0').message).toMatch(/variable number must be between \?1 and \?32766$/);
    expect(sqlFailure('SELECT ?32767').message).toMatch(/variable number must be between/);
    expect(sqlFailure('SELECT #1').message).toMatch(/near "#1": syntax error$/);
  });
});

describe('nesting limits', () => {
  it('allows SQLite’s maximum expression depth of 1000 and rejects 1001', () => {
    expect(() => parseExpression(`${'- '.repeat(999)}1`)).not.toThrow();
    expect(failure(() => parseExpression(`${'- '.repeat(1000)}1`)).message).toMatch(/Expression tree is too large \(maximum depth 1000\)$/);
    expect(() => parseExpression(Array(1000).fill('1').join(' OR '))).not.toThrow();
    expect(failure(() => parseExpression(Array(1001).fill('1').join(' AND '))).message).toMatch(/Expression tree is too large/);
  });

  it('turns extreme nesting into a QueryError, never a RangeError', () => {
    const inputs = [
      `SELECT ${'('.repeat(5000)}1${')'.repeat(5000)}`,
      `SELECT ${'NOT '.repeat(100_000)}1`,
      `SELECT ${'abs('.repeat(5000)}1${')'.repeat(5000)}`,
      `SELECT ${'(SELECT '.repeat(2000)}1${')'.repeat(2000)}`,
      `SELECT * FROM ${'('.repeat(5000)}t${')'.repeat(5000)}`,
      `SELECT ${'CASE WHEN 1 THEN '.repeat(3000)}1${' END'.repeat(3000)}`,
      `SELECT 1 ${'BETWEEN 1 '.repeat(3000)}${'AND 2 '.repeat(3000)}`,
      `SELECT ${Array(100_000).fill('a').join(' OR ')}`,
      `SELECT ${'- '.repeat(100_000)}1`,
      `SELECT ${'~'.repeat(100_000)}1`,
      `SELECT 1 IN ${'(1 IN '.repeat(3000)}(1)${')'.repeat(3000)}`,
    ];
    for (const sql of inputs) {
      const error = sqlFailure(sql);
      // The parser's own limits must trigger, not the last-resort stack-overflow guard.
      expect(error.message, sql.slice(0, 40)).toMatch(/(Recursion limit|Expression tree is too large \(maximum depth 1000\))$/);
    }
  });

  it('still parses nesting SQLite itself accepts in practice', () => {
    expect(() => parseSql(`SELECT ${'NOT '.repeat(999)}1`)).not.toThrow();
    expect(() => parseSql(`SELECT ${'abs('.repeat(999)}1${')'.repeat(999)}`)).not.toThrow();
    expect(() => parseSql(`SELECT ${'CASE WHEN 1 THEN '.repeat(498)}1${' END'.repeat(498)}`)).not.toThrow();
    expect(() => parseSql(`SELECT ${'(SELECT '.repeat(43)}1${')'.repeat(43)}`)).not.toThrow();
    expect(() => parseSql(`SELECT * FROM ${'(SELECT * FROM '.repeat(100)}t${')'.repeat(100)}`)).not.toThrow();
  });

  it('parses long flat lists without recursion', () => {
    const list = Array.from({ length: 100_000 }, (_, i) => String(i)).join(', ');
    const [statement] = parseSql(`SELECT 1 IN (${list})`);
    expect(statement?.kind).toBe('select');
    expect(parseSql(`SELECT ${'('.repeat(1000)}1${')'.repeat(1000)}`)).toHaveLength(1);
  });
});
