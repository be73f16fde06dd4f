// Differential test: generated queries run on this engine and on SQLite (better-sqlite3) over the
// same data must give the same rows. fast-check shrinks any disagreement to a small query.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SochDBError } from '@sochdb/core';
import { BetterSqlite, openEngine, type SqliteDatabase } from './helpers.js';
import type { SqlEngine } from '@sochdb/sql';

const SCHEMA = [
  'CREATE TABLE a (id INTEGER PRIMARY KEY, x INTEGER, y REAL, s TEXT)',
  'CREATE TABLE b (id INTEGER PRIMARY KEY, a_id INTEGER, v INTEGER, t TEXT)',
  'CREATE INDEX a_x ON a (x)',
  'CREATE INDEX b_a ON b (a_id)',
  'CREATE INDEX a_s ON a (s)',
];

function seededData(): string[] {
  let seed = 42;
  const rnd = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  const pick = <T>(xs: readonly T[]) => xs[rnd(xs.length)]!;
  const ints = ['NULL', '0', '1', '2', '3', '5', '-4', '10', "'7'", "'abc'", '2.0', '2.5'];
  const reals = ['NULL', '0.5', '1.25', '-2.5', '3', '10.0', "'1.5'"];
  const texts = ['NULL', "'a'", "'b'", "'abc'", "'ABC'", "'10'", "'2'", "''", "'a%b'", "'x_y'"];
  const rows: string[] = [];
  for (let i = 1; i <= 40; i++) rows.push(`INSERT INTO a VALUES (${i}, ${pick(ints)}, ${pick(reals)}, ${pick(texts)})`);
  for (let i = 1; i <= 60; i++) rows.push(`INSERT INTO b VALUES (${i}, ${rnd(5) === 0 ? 'NULL' : 1 + rnd(45)}, ${pick(ints)}, ${pick(texts)})`);
  return rows;
}

// ── Generated SQL ────────────────────────────────────────────────────────────────────────────
const columnA = fc.constantFrom('a.id', 'a.x', 'a.y', 'a.s');
const columnB = fc.constantFrom('b.id', 'b.a_id', 'b.v', 'b.t');
const literal = fc.constantFrom('NULL', '0', '1', '2', '3', '-1', '10', '2.5', '0.5', "'a'", "'abc'", "'10'", "'2'", "'ABC'");

function expressions(column: fc.Arbitrary<string>) {
  return fc.letrec<{ expr: string; cond: string }>((tie) => ({
    expr: fc.oneof(
      { maxDepth: 3, depthIdentifier: 'sql', withCrossShrink: true },
      column,
      literal,
      fc.tuple(tie('expr'), fc.constantFrom('+', '-', '*', '/', '%', '||'), tie('expr')).map(([l, op, r]) => `(${l} ${op} ${r})`),
      fc.tuple(fc.constantFrom('abs', 'lower', 'upper', 'typeof'), tie('expr')).map(([f, e]) => `${f}(${e})`),
      fc.tuple(fc.constantFrom('coalesce', 'ifnull', 'nullif'), tie('expr'), tie('expr')).map(([f, x, y]) => `${f}(${x}, ${y})`),
      fc.tuple(tie('expr'), fc.constantFrom('INTEGER', 'REAL', 'TEXT')).map(([e, t]) => `CAST(${e} AS ${t})`),
      fc.tuple(tie('cond'), tie('expr'), tie('expr')).map(([c, x, y]) => `CASE WHEN ${c} THEN ${x} ELSE ${y} END`),
      fc.tuple(tie('expr'), fc.integer({ min: -2, max: 3 }), fc.integer({ min: 0, max: 3 })).map(([e, s, n]) => `substr(${e}, ${s}, ${n})`),
    ),
    cond: fc.oneof(
      { maxDepth: 3, depthIdentifier: 'sql', withCrossShrink: true },
      fc.tuple(tie('expr'), fc.constantFrom('=', '<>', '<', '<=', '>', '>=', 'IS', 'IS NOT'), tie('expr')).map(([l, op, r]) => `${l} ${op} ${r}`),
      fc.tuple(column, fc.constantFrom('=', '<', '>=', '>'), literal).map(([l, op, r]) => `${l} ${op} ${r}`),
      fc.tuple(tie('cond'), fc.constantFrom('AND', 'OR'), tie('cond')).map(([l, op, r]) => `(${l} ${op} ${r})`),
      tie('cond').map((c) => `NOT (${c})`),
      fc
        .tuple(tie('expr'), fc.boolean(), fc.array(literal, { minLength: 1, maxLength: 4 }))
        .map(([e, not, xs]) => `${e} ${not ? 'NOT IN' : 'IN'} (${xs.join(', ')})`),
      fc.tuple(tie('expr'), literal, literal).map(([e, lo, hi]) => `${e} BETWEEN ${lo} AND ${hi}`),
      fc.tuple(tie('expr'), fc.constantFrom("'a%'", "'%b%'", "'_'", "'A_C'", "'%'", "'1%'")).map(([e, p]) => `${e} LIKE ${p}`),
      tie('expr').map((e) => `${e} IS NULL`),
    ),
  }));
}

const exprA = expressions(columnA);
const exprAB = expressions(fc.oneof(columnA, columnB));
const exprB = expressions(columnB);

const queries = fc.oneof(
  fc.tuple(exprA.expr, exprA.expr, exprA.cond).map(([e1, e2, c]) => `SELECT ${e1} AS c1, ${e2} AS c2 FROM a WHERE ${c} ORDER BY a.id`),
  fc.tuple(exprAB.cond).map(([c]) => `SELECT a.id, b.id FROM a JOIN b ON b.a_id = a.id WHERE ${c} ORDER BY a.id, b.id`),
  // The condition is wrapped in CASE because SQLite 3.53.2 drops every row of this LEFT JOIN when
  // the ON clause holds `b.id LIKE 'a%'` directly (its LIKE optimization on the rowid); we give all rows.
  fc.tuple(exprAB.cond).map(([c]) => `SELECT a.id, b.id, b.v FROM a LEFT JOIN b ON b.a_id = a.id AND CASE WHEN ${c} THEN 1 ELSE 0 END = 1 ORDER BY a.id, b.id`),
  fc
    .tuple(exprA.expr, exprA.cond)
    .map(
      ([g, c]) =>
        `SELECT ${g} AS g, count(*), count(a.x), sum(a.x), total(a.y), min(a.s), max(a.y), count(DISTINCT a.s), avg(a.id) FROM a WHERE ${c} GROUP BY g ORDER BY g`,
    ),
  // Grouped hash joins (b.v has no index): the last join level feeds the groups directly.
  fc
    .tuple(exprAB.cond)
    .map(
      ([c]) =>
        `SELECT a.s AS g, count(*), count(b.t), sum(b.id), total(a.y), min(b.t), max(b.id), a.id > 0 FROM a JOIN b ON b.v = a.x WHERE ${c} GROUP BY g ORDER BY g`,
    ),
  fc
    .tuple(exprAB.cond)
    .map(
      ([c]) =>
        `SELECT a.id, count(b.id), sum(b.id), max(b.t) FROM a LEFT JOIN b ON b.v = a.x AND CASE WHEN ${c} THEN 1 ELSE 0 END = 1 GROUP BY a.id HAVING count(*) > 0 ORDER BY a.id`,
    ),
  fc.tuple(exprA.expr, exprA.cond).map(([e, c]) => `SELECT DISTINCT ${e} FROM a WHERE ${c} ORDER BY 1`),
  fc.tuple(exprB.cond).map(([c]) => `SELECT a.id FROM a WHERE a.x IN (SELECT b.v FROM b WHERE ${c}) ORDER BY 1`),
  fc.tuple(exprAB.cond).map(([c]) => `SELECT a.id FROM a WHERE EXISTS (SELECT 1 FROM b WHERE b.a_id = a.id AND ${c}) ORDER BY 1`),
  fc
    .tuple(fc.constantFrom('UNION', 'UNION ALL', 'INTERSECT', 'EXCEPT'), exprA.cond)
    .map(([op, c]) => `SELECT a.x FROM a WHERE ${c} ${op} SELECT b.v FROM b ORDER BY 1`),
  fc.tuple(columnA, fc.constantFrom('=', '<', '<=', '>', '>='), literal).map(([col, op, v]) => `SELECT a.id FROM a WHERE ${col} ${op} ${v} ORDER BY a.id`),
  fc
    .tuple(exprA.cond, fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 3 }))
    .map(([c, l, o]) => `SELECT a.id FROM a WHERE ${c} ORDER BY a.id LIMIT ${l} OFFSET ${o}`),
);

function same(ours: unknown, theirs: unknown): boolean {
  if (typeof ours === 'number' && typeof theirs === 'number') {
    return ours === theirs || Math.abs(ours - theirs) <= 1e-9 * Math.max(1, Math.abs(theirs));
  }
  if (Buffer.isBuffer(ours) && Buffer.isBuffer(theirs)) return ours.equals(theirs);
  // REAL as text: SQLite's printf may differ from the exact value in the 17th digit.
  if (typeof ours === 'string' && typeof theirs === 'string' && ours !== theirs && /\d\.\d{12,}/.test(theirs)) {
    return ours.length === theirs.length && ours.slice(0, -2) === theirs.slice(0, -2);
  }
  return ours === theirs;
}

let engine: SqlEngine;
let lite: SqliteDatabase;
let close: () => Promise<void>;

beforeAll(async () => {
  const db = await openEngine();
  engine = db.sql;
  close = db.close;
  lite = new BetterSqlite(':memory:');
  const statements = [...SCHEMA, ...seededData()];
  await engine.execute(statements.join(';\n'));
  lite.exec(statements.join(';\n'));
});
afterAll(async () => {
  lite.close();
  await close();
});

describe('differential against SQLite', () => {
  it('gives the same rows as SQLite for generated queries', async () => {
    await fc.assert(
      fc.asyncProperty(queries, async (sql) => {
        let expected: unknown[][] | undefined;
        try {
          expected = lite.prepare(sql).raw(true).all() as unknown[][];
        } catch {
          expected = undefined;
        }
        const got = await engine.execute(sql, [], { rowMode: 'array' }).then(
          (r) => r.rows as unknown[][],
          (e: unknown) => e,
        );
        if (expected === undefined) {
          expect(got, sql).toBeInstanceOf(SochDBError);
          return;
        }
        if (!Array.isArray(got)) throw new Error(`${sql}\n  failed here but not in SQLite: ${String(got)}`);
        const rows = got as unknown[][];
        const ok =
          rows.length === expected.length &&
          rows.every((row, i) => row.length === expected[i]!.length && row.every((v: unknown, j: number) => same(v, expected[i]![j])));
        if (!ok) expect({ sql, got }).toEqual({ sql, got: expected });
      }),
      { numRuns: Number(process.env['SQL_DIFF_RUNS'] ?? 400), seed: Number(process.env['SQL_DIFF_SEED'] ?? 20261124) },
    );
  });
});
