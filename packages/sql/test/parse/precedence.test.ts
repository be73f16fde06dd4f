// Operator precedence checked against real SQLite: for each constant expression, SQLite's value
// of the text as written must equal its value of our fully parenthesized reprint, and the reprint
// must parse back to the same tree.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Expr, exprToSql, parseExpression } from '../../src/parse/index.js';
import { sqliteValue } from './sqlite.js';

/**
 * Asserts that our reprint of `sql` parses back to the same tree and, when SQLite accepts `sql`,
 * that SQLite gives the same value for both. `checked` is false when SQLite rejects `sql`.
 */
function agreesWithSqlite(sql: string): { checked: boolean; changed: boolean } {
  const original = sqliteValue(sql);
  let tree: Expr;
  try {
    tree = parseExpression(sql);
  } catch (error) {
    if (original.ok) throw error;
    return { checked: false, changed: false };
  }
  const printed = exprToSql(tree);
  expect(parseExpression(printed), printed).toEqual(tree);
  if (!original.ok) return { checked: false, changed: false };
  expect(sqliteValue(printed), `${sql}  →  ${printed}`).toEqual(original);
  return { checked: true, changed: printed.replace(/[()]/g, '') !== printed };
}

describe('precedence against SQLite', () => {
  const handPicked: readonly (readonly [string, string])[] = [
    ['3 = 2 < 3', '(3 = (2 < 3))'],
    ['2 | 1 & 0', '((2 | 1) & 0)'],
    ['0 AND 0 OR 1', '((0 AND 0) OR 1)'],
    ['NOT 1 IS NOT NULL', '(NOT (1 IS NOT NULL))'],
    ['NOT 0 = 1', '(NOT (0 = 1))'],
    ['NOT 0 AND 1', '((NOT 0) AND 1)'],
    ['1 = 1 IS NULL', '((1 = 1) IS NULL)'],
    ['1 = 1 IN (1)', '((1 = 1) IN (1))'],
    ['2 IN (2) = 1', '((2 IN (2)) = 1)'],
    ['1 == 2 BETWEEN 0 AND 1', '((1 = 2) BETWEEN 0 AND 1)'],
    ['1 BETWEEN 1 AND 2 = 0', '((1 BETWEEN 1 AND 2) = 0)'],
    ["'a' || 'b' COLLATE nocase", "('a' || ('b' COLLATE NOCASE))"],
    ['-1 COLLATE binary', '((-1) COLLATE BINARY)'],
    ['- - 1', '(-(-1))'],
    ["'a' || 'b' * 2", "(('a' || 'b') * 2)"],
    ['5 - 2 | 1 + 0', '((5 - 2) | (1 + 0))'],
    ['- 2 IS NULL', '((-2) IS NULL)'],
    ['1 < 2 IS 1', '((1 < 2) IS 1)'],
    ['1 IS NOT 2 = 0', '((1 IS NOT 2) = 0)'],
    ['NOT 1 NOT NULL', '(NOT (1 IS NOT NULL))'],
    ['1 IS NOT DISTINCT FROM NULL', '(1 IS NULL)'],
    ['1 IS DISTINCT FROM 2 = 1', '((1 IS NOT 2) = 1)'],
    ['1 BETWEEN NOT 0 AND 2', '(1 BETWEEN (NOT 0) AND 2)'],
    ['0 BETWEEN 0 AND NOT 1 = 2', '(0 BETWEEN 0 AND (NOT (1 = 2)))'],
    ['1 BETWEEN 1 AND 2 BETWEEN 0 AND 1', '((1 BETWEEN 1 AND 2) BETWEEN 0 AND 1)'],
    ["'a' LIKE 'A' = 1", "(('a' LIKE 'A') = 1)"],
    ["'ab' LIKE 'a' || '%' ESCAPE '\\'", "('ab' LIKE ('a' || '%') ESCAPE '\\')"],
    ['1 + NOT 0 = 1', '(1 + (NOT (0 = 1)))'],
    ['~1 + 1', '((~1) + 1)'],
    ['1 << 2 >> 1 & 7', '(((1 << 2) >> 1) & 7)'],
    ['2 * 3 % 4 / 2', '(((2 * 3) % 4) / 2)'],
    ['1 ISNULL = 0', '((1 IS NULL) = 0)'],
    ['- + 9223372036854775808', '(-9223372036854775808)'],
    ['-9223372036854775808', '(-9223372036854775808)'],
  ];
  for (const [sql, expected] of handPicked) {
    it(sql, () => {
      expect(exprToSql(parseExpression(sql))).toBe(expected);
      expect(agreesWithSqlite(sql).checked).toBe(true);
    });
  }

  it('agrees on thousands of generated unparenthesized mixes', () => {
    const atom = fc.constantFrom('0', '1', '2', '3', '-1', 'NULL', "'a'", "'A'", "'1'", "'%'", "'a_'", '2.5');
    const binaryOps = [
      'OR',
      'AND',
      '=',
      '==',
      '!=',
      '<>',
      '<',
      '<=',
      '>',
      '>=',
      'IS',
      'IS NOT',
      'IS DISTINCT FROM',
      'IS NOT DISTINCT FROM',
      '||',
      '+',
      '-',
      '*',
      '/',
      '%',
      '&',
      '|',
      '<<',
      '>>',
    ];
    const { expr } = fc.letrec<{ expr: string }>((tie) => {
      const sub = (): fc.Arbitrary<string> => tie('expr');
      return {
        expr: fc.oneof(
          { maxDepth: 5, depthIdentifier: 'expr' },
          { arbitrary: atom, weight: 6 },
          { arbitrary: fc.tuple(sub(), fc.constantFrom(...binaryOps), sub()).map(([a, op, b]) => `${a} ${op} ${b}`), weight: 8 },
          { arbitrary: fc.tuple(fc.constantFrom('NOT ', '-', '+', '~', '- '), sub()).map(([op, a]) => `${op}${a}`), weight: 3 },
          {
            arbitrary: fc.tuple(sub(), fc.constantFrom(' ISNULL', ' NOTNULL', ' NOT NULL', ' COLLATE NOCASE')).map(([a, op]) => a + op),
            weight: 2,
          },
          {
            arbitrary: fc.tuple(sub(), fc.boolean(), sub(), sub()).map(([a, not, lo, hi]) => `${a} ${not ? 'NOT ' : ''}BETWEEN ${lo} AND ${hi}`),
            weight: 2,
          },
          {
            arbitrary: fc
              .tuple(sub(), fc.boolean(), fc.array(sub(), { maxLength: 3 }))
              .map(([a, not, items]) => `${a} ${not ? 'NOT ' : ''}IN (${items.join(', ')})`),
            weight: 2,
          },
          {
            arbitrary: fc
              .tuple(sub(), fc.boolean(), fc.constantFrom('LIKE', 'GLOB'), sub(), fc.boolean())
              .map(([a, not, op, pattern, escape]) => `${a} ${not ? 'NOT ' : ''}${op} ${pattern}${escape && op === 'LIKE' ? " ESCAPE 'x'" : ''}`),
            weight: 2,
          },
          {
            arbitrary: fc
              .tuple(fc.option(sub()), sub(), sub(), fc.option(sub()))
              .map(
                ([operand, when, then, otherwise]) =>
                  `CASE${operand === null ? '' : ` ${operand}`} WHEN ${when} THEN ${then}${otherwise === null ? '' : ` ELSE ${otherwise}`} END`,
              ),
            weight: 1,
          },
          {
            arbitrary: fc.tuple(sub(), fc.constantFrom('INTEGER', 'TEXT', 'REAL', 'NUMERIC', 'BLOB')).map(([a, type]) => `CAST(${a} AS ${type})`),
            weight: 1,
          },
        ),
      };
    });
    let checked = 0;
    let changed = 0;
    let total = 0;
    fc.assert(
      fc.property(expr, (sql) => {
        total++;
        const result = agreesWithSqlite(sql);
        if (result.checked) checked++;
        if (result.changed) changed++;
      }),
      { numRuns: 8000 },
    );
    // The generator must mostly produce SQL SQLite accepts, and the reprint must actually differ.
    expect(checked).toBeGreaterThan(total * 0.6);
    expect(changed).toBeGreaterThan(checked * 0.5);
  });
});
