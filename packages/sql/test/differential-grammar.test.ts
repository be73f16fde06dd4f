// Differential test of the grammar: generated SQL runs on this engine and on SQLite
// (better-sqlite3) over the same data, and must give the same rows.
//
// differential.test.ts puts parentheses around every generated expression. That hides operator
// precedence. An old parser built `a = 1 OR b = 2 AND c = 3` as `(a = 1 OR b = 2) AND c = 3`
// and that test still passed. Here expressions are token sequences with NO parentheses except
// where the grammar needs them (calls, IN lists, subqueries, CAST), plus an occasional random
// pair. The parser's precedence decides what they mean. A guard test checks that the generator
// really writes such expressions. A fixed list of precedence traps runs every time.
//
// Other parts: joins of every kind (NATURAL, USING, ON, LEFT/RIGHT/FULL/INNER/CROSS, comma),
// compared as multisets with column names; ORDER BY … NULLS FIRST/LAST compared in exact row
// order; DELETE/UPDATE … WHERE on a fresh copy of a table, comparing the whole table afterwards.
//
// Seeds are fixed, so CI is reproducible. fast-check shrinks any failure to a small SQL
// counterexample, and the assertion message shows it. (endOnFailure is off on purpose: it
// would skip shrinking.) Environment knobs:
//   SQL_GRAMMAR_SEED, SQL_GRAMMAR_RUNS  another seed / that many runs per property
//   SQL_GRAMMAR_SELF=1                  "ours" is a second SQLite: checks the test itself
//   SQL_GRAMMAR_SHOW=1                  prints generator statistics, sample expressions, and
//                                       per-property counts of statements SQLite refused
import { inspect } from 'node:util';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueryError, type Storage, type Transaction } from '@sochdb/core';
import type { SqlEngine } from '@sochdb/sql';
import { BetterSqlite, openEngine, type SqliteDatabase } from './helpers.js';

const SEED = Number(process.env['SQL_GRAMMAR_SEED'] ?? 20251205);
const RUNS = process.env['SQL_GRAMMAR_RUNS'] === undefined ? undefined : Number(process.env['SQL_GRAMMAR_RUNS']);
const runs = (n: number) => RUNS ?? n;

// ── Schema and data ──────────────────────────────────────────────────────────────────────────
// Shared column names: t1/t2 share id, k, s (NATURAL joins on all three); t3 shares only k (its
// rowid alias). Every table misses some k values of the others, so outer joins NULL-extend rows.
const SCHEMA = [
  'CREATE TABLE t1 (id INTEGER PRIMARY KEY, k INTEGER, a INTEGER, b REAL, s TEXT)',
  'CREATE TABLE t2 (id INTEGER PRIMARY KEY, k INTEGER, c INTEGER, s TEXT)',
  'CREATE TABLE t3 (k INTEGER PRIMARY KEY, d REAL, e TEXT)',
  // The DELETE/UPDATE target: a copy of t1, restored after every write.
  'CREATE TABLE w (id INTEGER PRIMARY KEY, k INTEGER, a INTEGER, b REAL, s TEXT)',
  'CREATE INDEX t1_k ON t1 (k)',
  'CREATE INDEX t1_a ON t1 (a)',
  'CREATE INDEX t2_k ON t2 (k)',
  'CREATE INDEX w_a ON w (a)',
  'CREATE INDEX w_k ON w (k)',
];

function seededData(): string[] {
  let seed = 0x5eed;
  // mulberry32: a fixed data set without Math.random.
  const rnd = (n: number) => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) % n;
  };
  // About one value in five is NULL.
  const pick = (xs: readonly string[]) => (rnd(5) === 0 ? 'NULL' : xs[rnd(xs.length)]!);
  // Mixed types on purpose: '7' becomes 7 under INTEGER affinity, 'abc' stays TEXT, 2.0 → 2.
  const ints = ['0', '1', '1', '2', '2', '3', '5', '-4', '10', "'7'", "'abc'", '2.0', '2.5'];
  const reals = ['0.5', '1', '2', '2', '2.5', '-1.5', '10.0', "'2'", "'abc'"];
  const texts = ["'x'", "'x'", "'y'", "'a'", "'abc'", "'ABC'", "'10'", "'2'", "''", "'a%b'", "'xy'"];
  const rows: string[] = [];
  for (let i = 1; i <= 30; i++)
    rows.push(`INSERT INTO t1 VALUES (${i}, ${pick(['0', '1', '2', '3', '4', '5', '6', '7'])}, ${pick(ints)}, ${pick(reals)}, ${pick(texts)})`);
  for (let i = 1; i <= 25; i++) rows.push(`INSERT INTO t2 VALUES (${i}, ${pick(['3', '4', '5', '6', '7', '8', '9', '10'])}, ${pick(ints)}, ${pick(texts)})`);
  const ks = new Set<number>();
  while (ks.size < 20) ks.add(rnd(26) - 1); // 20 distinct keys in -1..24
  for (const k of ks) rows.push(`INSERT INTO t3 VALUES (${k}, ${pick(reals)}, ${pick(texts)})`);
  return rows;
}

// ── Running a statement on both sides ────────────────────────────────────────────────────────
interface SqliteStmt {
  reader: boolean;
  raw(on?: boolean): SqliteStmt;
  safeIntegers(on?: boolean): SqliteStmt;
  all(): unknown[][];
  run(): { changes: number };
  columns(): { name: string }[];
}
type Outcome = { ok: true; rows: unknown[][]; columns: string[]; changes: number } | { ok: false; error: unknown };

let engine: SqlEngine;
let storage: Storage;
let lite: SqliteDatabase;
let close: () => Promise<void>;

function runLite(sql: string): Outcome {
  try {
    const stmt = lite.prepare(sql) as unknown as SqliteStmt;
    if (stmt.reader) {
      // safeIntegers: SQLite INTEGERs arrive as bigint and REALs as number, so the value's type
      // tells which one SQLite made.
      const columns = stmt.columns().map((c) => c.name);
      return { ok: true, rows: stmt.raw(true).safeIntegers(true).all(), columns, changes: 0 };
    }
    return { ok: true, rows: [], columns: [], changes: stmt.run().changes };
  } catch (error) {
    return { ok: false, error };
  }
}

async function runOurs(sql: string, txn: Transaction | undefined): Promise<Outcome> {
  if (mirror !== undefined) return runMirror(sql);
  try {
    const r = await engine.execute(sql, [], txn === undefined ? { rowMode: 'array' } : { rowMode: 'array', txn });
    return { ok: true, rows: r.rows as unknown[][], columns: [...r.columns], changes: r.rowsAffected };
  } catch (error) {
    return { ok: false, error };
  }
}

// SQL_GRAMMAR_SELF=1 checks the test itself: "ours" becomes a second SQLite database, returning
// integers the way the engine does (number when exact) and errors as QueryErrors. Every
// property must pass then.
const SELF = process.env['SQL_GRAMMAR_SELF'] === '1';
let mirror: SqliteDatabase | undefined;
function runMirror(sql: string): Outcome {
  try {
    const stmt = mirror!.prepare(sql) as unknown as SqliteStmt;
    if (!stmt.reader) return { ok: true, rows: [], columns: [], changes: stmt.run().changes };
    const columns = stmt.columns().map((c) => c.name);
    const rows = stmt
      .raw(true)
      .safeIntegers(true)
      .all()
      .map((r) => r.map((v) => (typeof v === 'bigint' && v >= -(2n ** 53n) + 1n && v <= 2n ** 53n - 1n ? Number(v) : v)));
    return { ok: true, rows, columns, changes: 0 };
  } catch (error) {
    return { ok: false, error: new QueryError((error as Error).message) };
  }
}

/** One value from each side. `theirs` uses SQLite's typing: bigint = INTEGER, number = REAL. */
function same(ours: unknown, theirs: unknown): boolean {
  if (typeof theirs === 'bigint') {
    if (typeof ours === 'bigint') return ours === theirs;
    return typeof ours === 'number' && Number.isSafeInteger(ours) && BigInt(ours) === theirs;
  }
  if (typeof theirs === 'number') {
    if (typeof ours !== 'number') return false;
    return Object.is(ours, theirs) || ours === theirs || Math.abs(ours - theirs) <= 1e-9 * Math.max(1, Math.abs(theirs));
  }
  if (Buffer.isBuffer(ours) && Buffer.isBuffer(theirs)) return ours.equals(theirs);
  // A REAL rendered as text: SQLite prints 15 significant digits. Allow noise in the last ones.
  if (typeof ours === 'string' && typeof theirs === 'string' && ours !== theirs && /\d\.\d{12,}/.test(theirs)) {
    return ours.length === theirs.length && ours.slice(0, -2) === theirs.slice(0, -2);
  }
  return ours === theirs;
}

function show(v: unknown, max = 600): string {
  const text = JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? `${x}n` : x));
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** Where two row lists part: the first differing row of each, and the counts. */
function firstDifference(ours: unknown[][], theirs: unknown[][]): string {
  let i = 0;
  while (i < ours.length && i < theirs.length && ours[i]!.length === theirs[i]!.length && ours[i]!.every((v, j) => same(v, theirs[i]![j]))) i++;
  return `${ours.length} rows here, ${theirs.length} in SQLite; first difference at row ${i}: ours ${show(ours[i] ?? '(none)')}, SQLite ${show(theirs[i] ?? '(none)')}`;
}

function sameRows(ours: unknown[][], theirs: unknown[][]): boolean {
  return ours.length === theirs.length && ours.every((row, i) => row.length === theirs[i]!.length && row.every((v, j) => same(v, theirs[i]![j])));
}

/** A total order over rows, equal for equal values on either side (ints: ours number, SQLite bigint). */
function rowKey(row: unknown[]): string {
  return row
    .map((v) => {
      if (v === null) return 'N';
      if (typeof v === 'bigint') return `n${v}`;
      if (typeof v === 'number') return Number.isSafeInteger(v) ? `n${BigInt(v)}` : `n${v}`;
      if (typeof v === 'string') return `s${JSON.stringify(v)}`;
      if (Buffer.isBuffer(v)) return `b${v.toString('hex')}`;
      return `?${inspect(v)}`;
    })
    .join('|');
}
function sorted(rows: unknown[][]): unknown[][] {
  return rows
    .map((r) => ({ r, k: rowKey(r) }))
    .sort((x, y) => (x.k < y.k ? -1 : x.k > y.k ? 1 : 0))
    .map((x) => x.r);
}

/** How many statements SQLite refused, and rows it returned (SQL_GRAMMAR_SHOW=1 prints them). */
const tallies = new Map<string, { statements: number; refused: number; rows: number }>();

interface CompareOptions {
  /** Compare rows as multisets (for queries without a total ORDER BY). */
  readonly unordered?: boolean;
  /** Compare result column names too. */
  readonly names?: boolean;
}

/**
 * Both engines, same outcome: same rows (and names), or both refuse (ours with a QueryError).
 * Returns false when both refused. `txn`: run ours inside it (SQLite is in BEGIN … ROLLBACK).
 */
async function compare(sql: string, options: CompareOptions = {}, txn?: Transaction): Promise<boolean> {
  const theirs = runLite(sql);
  const test = expect.getState().currentTestName ?? '';
  const name = test.includes(' > trap: ') ? 'traps' : test.replace(/^.*? > /, '');
  const tally = tallies.get(name) ?? { statements: 0, refused: 0, rows: 0 };
  tallies.set(name, tally);
  tally.statements++;
  if (!theirs.ok) tally.refused++;
  else tally.rows += theirs.rows.length;
  const ours = await runOurs(sql, txn);
  if (!theirs.ok) {
    if (ours.ok) throw new Error(`${sql}\n  SQLite refuses it (${(theirs.error as Error).message}) but ours returned ${show(ours.rows)}`);
    if (!(ours.error instanceof QueryError)) throw new Error(`${sql}\n  SQLite refuses it; ours threw a non-QueryError: ${String(ours.error)}`);
    return false;
  }
  if (!ours.ok) throw new Error(`${sql}\n  ours failed: ${String(ours.error)}\n  SQLite: ${show(theirs.rows)}`);
  if (theirs.columns.length !== ours.columns.length || (options.names === true && theirs.columns.join(',') !== ours.columns.join(','))) {
    throw new Error(`${sql}\n  columns differ: ours ${show(ours.columns)}, SQLite ${show(theirs.columns)}`);
  }
  const [o, t] = options.unordered === true ? [sorted(ours.rows), sorted(theirs.rows)] : [ours.rows, theirs.rows];
  if (!sameRows(o, t)) throw new Error(`${sql}\n  ${firstDifference(o, t)}\n  ours:   ${show(o)}\n  SQLite: ${show(t)}`);
  if (ours.changes !== theirs.changes) throw new Error(`${sql}\n  rows changed: ours ${ours.changes}, SQLite ${theirs.changes}`);
  return true;
}

// ── Token-sequence expressions ──────────────────────────────────────────────────────────────
type Toks = string[];

/** Tokens → SQL, with no space inside call/list parentheses. */
function render(toks: Toks): string {
  return toks.join(' ').replace(/\( /g, '(').replace(/ \)/g, ')').replace(/ ,/g, ',');
}

const opens = (t: string) => t === '(' || t.endsWith('(') || t === 'CASE';
const closes = (t: string) => t === ')' || t === 'END';

/** True when one pair of parentheses encloses the whole token list. */
function wrappedWhole(toks: Toks): boolean {
  if (toks[0] !== '(' || toks[toks.length - 1] !== ')') return false;
  let depth = 0;
  for (let i = 0; i < toks.length; i++) {
    if (opens(toks[i]!)) depth++;
    else if (closes(toks[i]!)) depth--;
    if (depth === 0 && i < toks.length - 1) return false;
  }
  return true;
}

const LEVEL: Record<string, number> = {
  OR: 1,
  AND: 2,
  NOT: 3,
  '=': 4,
  '==': 4,
  '<>': 4,
  '!=': 4,
  IS: 4,
  'IS NOT': 4,
  LIKE: 4,
  'NOT LIKE': 4,
  GLOB: 4,
  'NOT GLOB': 4,
  BETWEEN: 4,
  'NOT BETWEEN': 4,
  IN: 4,
  'NOT IN': 4,
  ISNULL: 4,
  NOTNULL: 4,
  'NOT NULL': 4,
  'IS NULL': 4,
  'IS NOT NULL': 4,
  '<': 5,
  '<=': 5,
  '>': 5,
  '>=': 5,
  '&': 6,
  '|': 6,
  '<<': 6,
  '>>': 6,
  '+': 7,
  '-': 7,
  '*': 8,
  '/': 8,
  '%': 8,
  '||': 9,
};

/** The operators of an expression outside any parentheses/CASE (BETWEEN's AND excluded). */
function topLevelOperators(toks: Toks): string[] {
  const ops: string[] = [];
  let depth = 0;
  let betweens = 0;
  for (const t of toks) {
    if (opens(t)) depth++;
    else if (closes(t)) depth--;
    else if (depth === 0 && LEVEL[t] !== undefined) {
      if (t === 'AND' && betweens > 0) {
        betweens--;
        continue;
      }
      if (t === 'BETWEEN' || t === 'NOT BETWEEN') betweens++;
      ops.push(t);
    }
  }
  return ops;
}

/** Does the expression mix operators of different precedence at top level without parentheses? */
function classify(toks: Toks): { andOr: boolean; notCmp: boolean; mixed: boolean } {
  const ops = topLevelOperators(toks);
  const i = ops.indexOf('AND');
  const j = ops.indexOf('OR');
  const n = ops.indexOf('NOT');
  return {
    andOr: i >= 0 && j >= 0,
    notCmp: n >= 0 && ops.slice(n + 1).some((o) => LEVEL[o] === 4 || LEVEL[o] === 5),
    mixed: new Set(ops.map((o) => LEVEL[o])).size >= 2,
  };
}

interface Ctx {
  /** Column references usable in the expression. */
  readonly columns: readonly string[];
  /** Atoms holding a subquery (empty: none). */
  readonly subqueries: readonly string[];
  /** 'cond' leans on AND/OR/comparisons, 'scalar' on arithmetic. */
  readonly flavour: 'cond' | 'scalar';
}

const NUMBERS = ['0', '1', '2', '3', '-1', '10', '2.5', '0.5', '-2.5'];
const STRINGS = ["'x'", "'a'", "'abc'", "'10'", "'2'", "''", "'a%'", "'%b%'", "'_'", "'x%'", "'a*'", "'[xy]'", "'?'"];

function grammar(ctx: Ctx) {
  const w = (weight: number, arbitrary: fc.Arbitrary<Toks>) => ({ weight, arbitrary });
  const one = (xs: readonly string[]) => fc.constantFrom(...xs).map((t) => [t]);
  const leaf = fc.oneof(w(6, one(ctx.columns)), w(2, one(NUMBERS)), w(2, one(STRINGS)), w(1, fc.constant(['NULL'])));
  const cond = ctx.flavour === 'cond';
  const logical = fc.constantFrom('AND', 'OR');
  const comparison = fc.oneof(
    { weight: 5, arbitrary: fc.constantFrom('=', '==', '<>', '!=', '<', '<=', '>', '>=', 'IS', 'IS NOT') },
    { weight: 1, arbitrary: fc.constantFrom('LIKE', 'NOT LIKE', 'GLOB', 'NOT GLOB') },
  );
  const arithmetic = fc.constantFrom('+', '-', '*', '/', '%', '||', '&', '|', '<<', '>>');
  const binop = fc.oneof(
    { weight: cond ? 5 : 2, arbitrary: logical },
    { weight: cond ? 5 : 3, arbitrary: comparison },
    { weight: cond ? 2 : 6, arbitrary: arithmetic },
  );
  const nonLogical = fc.oneof({ weight: 2, arbitrary: comparison }, { weight: 1, arbitrary: arithmetic });
  // Inside a BETWEEN's lower bound a top-level AND/OR would end the bound: leave them out.
  const boundOp = fc.constantFrom('=', '<>', '<', '>=', 'IS', '+', '-', '*', '||', '&', '|', '<<');
  const prefix = fc.oneof(
    { weight: 14, arbitrary: fc.constant<string[]>([]) },
    { weight: 3, arbitrary: fc.constant(['NOT']) },
    { weight: 2, arbitrary: fc.constantFrom('-', '+', '~').map((p) => [p]) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom('NOT', '-', '~'), fc.constantFrom('NOT', '-', '+', '~')).map(([p, q]) => [p, q]) },
  );
  const chain = (first: fc.Arbitrary<Toks>, op: fc.Arbitrary<string>, next: fc.Arbitrary<Toks>, min: number, max: number) =>
    fc.tuple(first, fc.array(fc.tuple(op, next), { minLength: min, maxLength: max })).map(([t, rest]) => [...t, ...rest.flatMap(([o, u]) => [o, ...u])]);
  const depth = { maxDepth: 2, depthIdentifier: 'grammar', withCrossShrink: true } as const;

  return fc.letrec<{ expr: Toks; flat: Toks; clause: Toks; sub: Toks; bound: Toks; term: Toks; atom: Toks; postfix: Toks }>((tie) => ({
    // The whole expression, never wrapped whole in parentheses. A condition is mostly clauses
    // (`a = 1`, `NOT b IS NULL`, `k + 1 > a`) joined by AND/OR, the shape an AND/OR precedence
    // mistake changes (`a = 1 OR b = 2 AND s = 'x'`); otherwise any operators in any order.
    expr: (cond
      ? fc.oneof({ weight: 2, arbitrary: chain(tie('clause'), logical, tie('clause'), 0, 4) }, { weight: 1, arbitrary: tie('flat') })
      : tie('flat')
    ).filter((t) => !wrappedWhole(t)),
    flat: chain(tie('term'), binop, tie('term'), 0, 5),
    clause: chain(tie('term'), nonLogical, tie('term'), 0, 2),
    // A nested expression (inside parentheses, calls, lists, CASE).
    sub: chain(tie('term'), binop, tie('term'), 0, 2),
    bound: chain(tie('term'), boundOp, tie('term'), 0, 1),
    term: fc.tuple(prefix, tie('atom'), tie('postfix')).map(([p, a, s]) => [...p, ...a, ...s]),
    atom: fc.oneof(
      depth,
      w(20, leaf),
      w(
        1,
        tie('sub').map((s) => ['(', ...s, ')']),
      ),
      w(
        1,
        fc.tuple(fc.constantFrom('abs(', 'typeof(', 'length(', 'upper('), tie('sub')).map(([f, s]) => [f, ...s, ')']),
      ),
      w(
        1,
        fc.tuple(fc.constantFrom('coalesce(', 'ifnull(', 'nullif('), tie('sub'), tie('sub')).map(([f, x, y]) => [f, ...x, ',', ...y, ')']),
      ),
      w(
        1,
        fc.tuple(tie('sub'), fc.constantFrom('INTEGER', 'REAL', 'TEXT', 'NUMERIC')).map(([s, t]) => ['CAST(', ...s, 'AS', t, ')']),
      ),
      w(
        1,
        fc.tuple(tie('sub'), tie('sub'), tie('sub')).map(([c, x, y]) => ['CASE', 'WHEN', ...c, 'THEN', ...x, 'ELSE', ...y, 'END']),
      ),
      w(
        1,
        fc.tuple(tie('sub'), leaf, tie('sub')).map(([v, x, y]) => ['CASE', ...v, 'WHEN', ...x, 'THEN', ...y, 'END']),
      ),
      ...(ctx.subqueries.length > 0 ? [w(1, one(ctx.subqueries))] : []),
    ),
    postfix: fc.oneof(
      depth,
      w(30, fc.constant<string[]>([])),
      w(
        4,
        fc.constantFrom('IS NULL', 'IS NOT NULL', 'ISNULL', 'NOTNULL', 'NOT NULL').map((p) => [p]),
      ),
      w(
        2,
        fc.tuple(fc.constantFrom('BETWEEN', 'NOT BETWEEN'), tie('bound'), tie('term')).map(([b, lo, hi]) => [b, ...lo, 'AND', ...hi]),
      ),
      w(
        2,
        fc
          .tuple(fc.constantFrom('IN', 'NOT IN'), fc.array(tie('sub'), { minLength: 1, maxLength: 3 }))
          .map(([i, xs]) => [i, '(', ...xs.flatMap((x, n) => (n === 0 ? x : [',', ...x])), ')']),
      ),
      ...(ctx.subqueries.length > 0
        ? [
            w(
              1,
              fc.constantFrom('IN', 'NOT IN').map((i) => [i, '(', 'SELECT k FROM t2', ')']),
            ),
          ]
        : []),
    ),
  }));
}

// Unqualified columns of t1/w (id is left out: SQLite 3.53.2 mishandles `rowid LIKE …`, see
// differential.test.ts; it is still in every ORDER BY and result).
const T1 = ['k', 'a', 'b', 's'];
const subqueriesOf = (table: string) => [
  '(SELECT max(c) FROM t2)',
  `(SELECT count(*) FROM t2 WHERE t2.k = ${table}.k)`,
  `EXISTS (SELECT 1 FROM t2 WHERE t2.s = ${table}.s)`,
];
const t1Cond = grammar({ columns: [...T1, 't1.a'], subqueries: subqueriesOf('t1'), flavour: 'cond' }).expr;
const t1Scalar = grammar({ columns: [...T1, 't1.k'], subqueries: subqueriesOf('t1'), flavour: 'scalar' }).expr;
const t2Cond = grammar({
  columns: ['k', 'c', 's', 't2.c'],
  subqueries: ['(SELECT min(a) FROM t1)', 'EXISTS (SELECT 1 FROM t1 WHERE t1.k = t2.k)'],
  flavour: 'cond',
}).expr;
const wCond = grammar({ columns: T1, subqueries: subqueriesOf('w'), flavour: 'cond' }).expr;
const wScalar = grammar({ columns: T1, subqueries: ['(SELECT max(c) FROM t2)'], flavour: 'scalar' }).expr;

// ── Properties ──────────────────────────────────────────────────────────────────────────────
async function check<T>(arb: fc.Arbitrary<T>, numRuns: number, body: (value: T) => Promise<unknown>): Promise<void> {
  // The body's result is dropped: fast-check would count a `false` as a failure.
  await fc.assert(
    fc.asyncProperty(arb, async (value) => void (await body(value))),
    { seed: SEED, numRuns },
  );
}

const selectExpressions = fc.tuple(t1Scalar, t1Cond).map(([e1, e2]) => `SELECT ${render(e1)}, typeof(${render(e1)}), ${render(e2)} FROM t1 ORDER BY id`);

const whereQueries = fc.oneof(
  { weight: 3, arbitrary: t1Cond.map((c) => `SELECT id FROM t1 WHERE ${render(c)} ORDER BY id`) },
  { weight: 1, arbitrary: t2Cond.map((c) => `SELECT id, k FROM t2 WHERE ${render(c)} ORDER BY id`) },
  { weight: 1, arbitrary: fc.tuple(t1Scalar, t1Cond).map(([e, c]) => `SELECT id, ${render(e)} FROM t1 WHERE ${render(c)} ORDER BY id DESC`) },
);

// Most writes run in a rolled-back transaction (fast); one in four in autocommit, w then refilled.
const writes = fc.record({
  sql: fc.oneof(
    wCond.map((c) => `DELETE FROM w WHERE ${render(c)}`),
    fc.tuple(wScalar, wCond).map(([e, c]) => `UPDATE w SET a = ${render(e)} WHERE ${render(c)}`),
    fc.tuple(wScalar, wScalar, wCond).map(([e1, e2, c]) => `UPDATE w SET s = ${render(e1)}, b = ${render(e2)} WHERE ${render(c)}`),
  ),
  mode: fc.oneof({ weight: 1, arbitrary: fc.constant('autocommit' as const) }, { weight: 3, arbitrary: fc.constant('transaction' as const) }),
});

// Joins.
const COLUMNS: Record<string, readonly string[]> = { t1: ['id', 'k', 'a', 'b', 's'], t2: ['id', 'k', 'c', 's'], t3: ['k', 'd', 'e'] };
const joinOp = fc.tuple(
  fc.oneof({ weight: 3, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
  fc.constantFrom('JOIN', 'INNER JOIN', 'LEFT JOIN', 'LEFT OUTER JOIN', 'RIGHT JOIN', 'RIGHT OUTER JOIN', 'FULL JOIN', 'FULL OUTER JOIN', 'CROSS JOIN', ','),
);

const joinQueries = fc
  .tuple(
    fc.constantFrom(['t1', 't2'], ['t2', 't1'], ['t1', 't3'], ['t3', 't2'], ['t1', 't2', 't3'], ['t2', 't3', 't1'], ['t3', 't1', 't2']),
    fc.array(fc.tuple(joinOp, fc.nat(99), fc.nat(99), fc.nat(99)), { minLength: 2, maxLength: 2 }),
    fc.nat(99),
    fc.nat(99),
  )
  .chain(([tables, ops, selSeed, whereSeed]) => {
    // Rowid columns (t1.id, t2.id, t3.k) stay out of generated conditions: SQLite 3.53.2 drops
    // every row of a LEFT JOIN whose ON holds `t3.k LIKE 'a%'` (its LIKE optimization on a rowid).
    const qualified = (ts: readonly string[]) => ts.flatMap((t) => COLUMNS[t]!.filter((c) => c !== (t === 't3' ? 'k' : 'id')).map((c) => `${t}.${c}`));
    const conds = tables.map((_, i) => grammar({ columns: qualified(tables.slice(0, i + 1)), subqueries: [], flavour: 'cond' }).sub);
    const where = grammar({ columns: qualified(tables), subqueries: [], flavour: 'cond' }).expr;
    return fc.tuple(fc.constant(tables), fc.constant(ops), fc.constant(selSeed), fc.constant(whereSeed), fc.tuple(...conds), where);
  })
  .map(([tables, ops, selSeed, whereSeed, conds, where]) => {
    let from = tables[0];
    // SQLite 3.53.2 answers a qualified copy of a merged column wrongly after an outer
    // NATURAL/USING join followed by another NATURAL/USING join (`t2 NATURAL FULL JOIN t3 JOIN t1
    // USING (k)` shows t2.k = 0 on rows where t2 is NULL-extended); such queries select `*` only.
    let mergedByOuterJoin = false;
    let sqliteMergeBug = false;
    for (let i = 1; i < tables.length; i++) {
      const [[natural, kind], constraintSeed, leftSeed] = ops[i - 1]!;
      const right = tables[i]!;
      const left = tables[leftSeed % i]!;
      let constraint = '';
      const c = constraintSeed % 10;
      if (natural) {
        // NATURAL with a constraint is an error SQLite reports: ours must refuse it too.
        if (c === 0) constraint = ' USING (k)';
      } else if (kind !== ',' || c >= 8) {
        if (c <= 2) constraint = ' USING (k)';
        else if (c === 3) constraint = right !== 't3' && tables.slice(0, i).some((t) => t !== 't3') ? ' USING (k, s)' : ' USING (k)';
        else if (c === 4)
          constraint = ' USING (s)'; // an error unless both sides have s
        else if (c === 5) constraint = '';
        else {
          const head = `${left}.k = ${right}.k`;
          const rest = render(conds[i]!);
          constraint = ` ON ${c === 6 ? head : c === 7 ? `${head} AND ${rest}` : `${head} OR ${rest}`}`;
        }
      }
      // A third table always joins on something: three-way cross products are large and slow to compare.
      if (i === 2 && !natural && constraint === '') constraint = ` ON ${left}.k = ${right}.k`;
      const merges = natural || constraint.startsWith(' USING');
      if (merges && mergedByOuterJoin) sqliteMergeBug = true;
      if (merges && /RIGHT|FULL/.test(kind)) mergedByOuterJoin = true;
      const op = kind === ',' ? (natural ? 'NATURAL JOIN' : ',') : `${natural ? 'NATURAL ' : ''}${kind}`;
      from += `${op === ',' ? ',' : ` ${op}`} ${right}${constraint}`;
    }
    const all = tables.flatMap((t) => COLUMNS[t]!.map((c) => `${t}.${c}`));
    // A bare k is ambiguous unless USING/NATURAL merged it: then SQLite (and ours) must refuse.
    const sel = selSeed % 8;
    const select =
      sel <= 2 || sqliteMergeBug
        ? '*'
        : sel === 3
          ? `${tables[1]}.*, k`
          : sel === 4
            ? `${tables[0]}.*, ${all.filter((_, i) => i % 2 === 1).join(', ')}`
            : all.join(', ');
    const whereClause = whereSeed % 3 === 0 ? ` WHERE ${render(where)}` : '';
    return `SELECT ${select} FROM ${from}${whereClause}`;
  });

// ORDER BY: nullable keys, ASC/DESC, NULLS FIRST/LAST, then a tiebreaker that makes it total.
const orderKeyT1 = fc.oneof({ weight: 4, arbitrary: fc.constantFrom('k', 'a', 'b', 's', 't1.a', '2', '3') }, { weight: 1, arbitrary: t1Scalar.map(render) });
const direction = fc.tuple(fc.constantFrom('', ' ASC', ' DESC'), fc.constantFrom('', '', ' NULLS FIRST', ' NULLS LAST')).map(([d, n]) => d + n);
const orderQueries = fc.oneof(
  fc
    .tuple(fc.array(fc.tuple(orderKeyT1, direction), { minLength: 1, maxLength: 3 }), fc.constantFrom('id', 'id DESC', 'id NULLS FIRST', 'id DESC NULLS LAST'))
    .map(([keys, tie]) => `SELECT id, k, a, b, s FROM t1 ORDER BY ${keys.map(([k, d]) => k + d).join(', ')}, ${tie}`),
  fc
    .tuple(
      fc.constantFrom('LEFT JOIN', 'RIGHT JOIN', 'FULL JOIN', 'JOIN'),
      fc.constantFrom('USING (k)', 'ON t1.k = t2.k', 'ON t1.s = t2.s'),
      fc.array(fc.tuple(fc.constantFrom('t2.c', 't1.a', 't2.s', 't1.b', 'k', 't2.id', 't1.k + t2.c'), direction), { minLength: 1, maxLength: 2 }),
      fc.constantFrom('', ' DESC', ' NULLS LAST', ' DESC NULLS FIRST'),
    )
    .map(([join, on, keys, d]) => {
      // A bare k names the merged column of USING (k); with ON it would be ambiguous.
      const order = keys.map(([k, x]) => (k === 'k' && on !== 'USING (k)' ? 't1.k' : k) + x);
      return `SELECT t1.id, t2.id, t1.a, t2.c FROM t1 ${join} t2 ${on} ORDER BY ${order.join(', ')}, t1.id${d}, t2.id${d}`;
    }),
);

// ── Hand-written precedence traps ──────────────────────────────────────────────────────────
// `wrong` is the misreading a parser could make. The first test checks, on SQLite alone, that
// the misreading gives another answer (so the trap can catch it).
interface Trap {
  readonly sql: string;
  readonly wrong?: string;
  readonly unordered?: boolean;
}
const scalarTraps: [string, string?][] = [
  ['0 AND 0 OR 1', '0 AND (0 OR 1)'],
  ['1 OR 0 AND 0', '(1 OR 0) AND 0'],
  ['3 = 2 < 3', '(3 = 2) < 3'],
  ['1 < 2 = 1', '1 < (2 = 1)'],
  ['2 | 1 & 0', '2 | (1 & 0)'],
  ['NOT 1 IS NULL', '(NOT 1) IS NULL'],
  ['NOT -1 IS NOT NULL', '(NOT -1) IS NOT NULL'],
  ['NOT NULL IS NULL', '(NOT NULL) IS NULL'],
  ['1 = 1 IN (1)'],
  ['2 = 2 IN (1)', '2 = (2 IN (1))'],
  ['2 IN (2) = 1'],
  ['2 IN (2) = 2'],
  ["'a' || 'b' * 2", "'a' || ('b' * 2)"],
  ['- 2 IS NULL'],
  ['- 2 IS NOT NULL', '-(2 IS NOT NULL)'],
  ['5 - 2 | 1 + 0', '5 - (2 | 1) + 0'],
  ['1 == 2 BETWEEN 0 AND 1', '1 == (2 BETWEEN 0 AND 1)'],
  ['5 BETWEEN 0 AND 2 OR 1', '5 BETWEEN 0 AND (2 OR 1)'],
  ['NOT 1 BETWEEN 0 AND 2', '(NOT 1) BETWEEN 0 AND 2'],
  ['NOT 0 = 1'],
  ['NOT 0 = 2', '(NOT 0) = 2'],
  ['2 AND 3 = 3', '(2 AND 3) = 3'],
  ["NOT 'abc' LIKE 'x%'", "(NOT 'abc') LIKE 'x%'"],
  ["'abc' LIKE 'a%' = 1", "'abc' LIKE ('a%' = 1)"],
  ['NOT 5 IN (0, 5)', '(NOT 5) IN (0, 5)'],
  ['NULL IS NOT NULL = 0', 'NULL IS NOT (NULL = 0)'],
  ['1 + NOT 0 + 1', '(1 + NOT 0) + 1'],
  ['1 - 2 - 3', '1 - (2 - 3)'],
  ['2 * 3 % 4', '2 * (3 % 4)'],
  ['1 << 2 + 1', '(1 << 2) + 1'],
  ["'1' || 2 + 3", "'1' || (2 + 3)"],
  ['~ 1 + 1', '~ (1 + 1)'],
  ['- 1 || 2', '-(1 || 2)'],
  ['1 NOT NULL', undefined],
  ['NULL NOTNULL = 0', 'NULL NOTNULL'],
  ['0 ISNULL OR 1', undefined],
  ["CASE WHEN 0 AND 0 OR 1 THEN 'y' ELSE 'n' END", "CASE WHEN 0 AND (0 OR 1) THEN 'y' ELSE 'n' END"],
];
const TRAPS: Trap[] = [
  ...scalarTraps.map(([e, wrong]): Trap => ({ sql: `SELECT ${e}`, ...(wrong === undefined ? {} : { wrong: `SELECT ${wrong}` }) })),
  { sql: "SELECT id FROM t1 WHERE a = 1 OR b = 2 AND s = 'x' ORDER BY id", wrong: "SELECT id FROM t1 WHERE (a = 1 OR b = 2) AND s = 'x' ORDER BY id" },
  { sql: "SELECT id FROM t1 WHERE s = 'x' AND a = 1 OR k = 2 ORDER BY id", wrong: "SELECT id FROM t1 WHERE s = 'x' AND (a = 1 OR k = 2) ORDER BY id" },
  { sql: 'SELECT id FROM t1 WHERE NOT k = 1 AND a = 1 ORDER BY id', wrong: 'SELECT id FROM t1 WHERE NOT (k = 1 AND a = 1) ORDER BY id' },
  { sql: 'SELECT id FROM t1 WHERE NOT a IS NULL ORDER BY id', wrong: 'SELECT id FROM t1 WHERE (NOT a) IS NULL ORDER BY id' },
  { sql: 'SELECT id FROM t1 WHERE NOT -b IS NOT NULL ORDER BY id', wrong: 'SELECT id FROM t1 WHERE (NOT -b) IS NOT NULL ORDER BY id' },
  {
    sql: "SELECT id FROM t1 WHERE a = 1 OR k BETWEEN 2 AND 4 AND s = 'x' ORDER BY id",
    wrong: "SELECT id FROM t1 WHERE (a = 1 OR k BETWEEN 2 AND 4) AND s = 'x' ORDER BY id",
  },
  {
    sql: 'SELECT id FROM t1 WHERE k = 1 OR k = 2 AND a IS NULL OR b > 2 ORDER BY id',
    wrong: 'SELECT id FROM t1 WHERE (k = 1 OR k = 2) AND (a IS NULL OR b > 2) ORDER BY id',
  },
  { sql: 'SELECT id, a + b * 2, a || b - 1 FROM t1 ORDER BY id', wrong: 'SELECT id, (a + b) * 2, a || (b - 1) FROM t1 ORDER BY id' },
  { sql: "DELETE FROM w WHERE a = 1 OR b = 2 AND s = 'x'", wrong: "DELETE FROM w WHERE (a = 1 OR b = 2) AND s = 'x'" },
  { sql: "UPDATE w SET a = a + 1 * 2 WHERE k = 1 OR k = 2 AND s = 'x'", wrong: "UPDATE w SET a = (a + 1) * 2 WHERE (k = 1 OR k = 2) AND s = 'x'" },
  {
    sql: "SELECT t1.id, t2.id FROM t1 JOIN t2 ON t1.k = t2.k AND t2.c > 1 OR t2.s = 'x'",
    wrong: "SELECT t1.id, t2.id FROM t1 JOIN t2 ON t1.k = t2.k AND (t2.c > 1 OR t2.s = 'x')",
    unordered: true,
  },
  // Column merging: SELECT * shows a USING/NATURAL column once; RIGHT/FULL coalesce it.
  { sql: 'SELECT * FROM t1 JOIN t2 USING (k)', unordered: true },
  { sql: 'SELECT * FROM t1 NATURAL JOIN t2', unordered: true },
  { sql: 'SELECT * FROM t1 NATURAL JOIN t3', unordered: true },
  { sql: 'SELECT * FROM t1 LEFT JOIN t2 USING (k, s)', unordered: true },
  { sql: 'SELECT * FROM t1 RIGHT JOIN t2 USING (k)', unordered: true },
  { sql: 'SELECT * FROM t1 FULL OUTER JOIN t3 USING (k)', unordered: true },
  { sql: 'SELECT k, t1.k, t2.k FROM t1 FULL JOIN t2 USING (k)', unordered: true },
  { sql: 'SELECT * FROM t1 NATURAL LEFT JOIN t2 NATURAL FULL JOIN t3', unordered: true },
  { sql: 'SELECT k FROM t1 JOIN t2 USING (k) JOIN t3 USING (k)', unordered: true },
  { sql: 'SELECT * FROM t1 NATURAL JOIN t2 USING (k)' }, // an error in SQLite
  { sql: 'SELECT * FROM t1 JOIN t3 USING (k, s)' }, // an error in SQLite
  { sql: 'SELECT k FROM t1 JOIN t2 ON t1.k = t2.k' }, // ambiguous: an error in SQLite
  { sql: 'SELECT id, b FROM t1 ORDER BY b DESC NULLS FIRST, id', wrong: 'SELECT id, b FROM t1 ORDER BY b DESC, id' },
  { sql: 'SELECT id, s FROM t1 ORDER BY s NULLS LAST, id DESC', wrong: 'SELECT id, s FROM t1 ORDER BY s, id DESC' },
];

async function refillW(): Promise<void> {
  const sql = 'DELETE FROM w; INSERT INTO w SELECT * FROM t1';
  lite.exec(sql);
  if (mirror !== undefined) mirror.exec(sql);
  else await engine.execute(sql);
}

/**
 * A write on both sides, then the whole of w compared (values and their types). In a
 * transaction that is rolled back afterwards (cheap), or in autocommit, w refilled afterwards.
 */
async function compareWrite(sql: string, mode: 'transaction' | 'autocommit' = 'autocommit'): Promise<void> {
  const read = 'SELECT *, typeof(a), typeof(b), typeof(s) FROM w ORDER BY id';
  if (mode === 'autocommit') {
    try {
      await compare(sql);
      await compare(read);
    } finally {
      await refillW();
    }
    return;
  }
  lite.exec('BEGIN');
  mirror?.exec('BEGIN');
  const txn = mirror === undefined ? storage.beginTransaction() : undefined;
  try {
    if (await compare(sql, {}, txn)) await compare(read, {}, txn);
  } finally {
    lite.exec('ROLLBACK');
    mirror?.exec('ROLLBACK');
    await txn?.abort();
  }
}

beforeAll(async () => {
  const db = await openEngine();
  engine = db.sql;
  storage = db.storage;
  close = db.close;
  lite = new BetterSqlite(':memory:');
  const statements = [...SCHEMA, ...seededData()];
  lite.exec(statements.join(';\n'));
  if (SELF) {
    mirror = new BetterSqlite(':memory:');
    mirror.exec(statements.join(';\n'));
  } else {
    await engine.execute(statements.join(';\n'));
  }
  await refillW();
});
afterAll(async () => {
  if (process.env['SQL_GRAMMAR_SHOW'] === '1') console.table(Object.fromEntries(tallies));
  lite.close();
  mirror?.close();
  await close();
});

describe('differential grammar against SQLite', () => {
  it('the generator writes unparenthesized expressions where precedence decides', () => {
    const stats = (arb: fc.Arbitrary<Toks>) => {
      const sample = fc.sample(arb, { seed: SEED, numRuns: 500 });
      const classes = sample.map(classify);
      const share = (f: (t: Toks, i: number) => boolean) => sample.filter(f).length / sample.length;
      return {
        wrapped: share(wrappedWhole),
        andOr: share((_, i) => classes[i]!.andOr),
        notCmp: share((_, i) => classes[i]!.notCmp),
        mixed: share((_, i) => classes[i]!.mixed),
        // Parentheses the grammar does not need (calls and CAST have theirs in the token; IN lists follow IN).
        freeParens: share((t) => t.some((x, i) => x === '(' && !/IN$/.test(t[i - 1] ?? ''))),
      };
    };
    const conds = stats(fc.oneof(t1Cond, wCond, t2Cond));
    const scalars = stats(fc.oneof(t1Scalar, wScalar));
    const report = JSON.stringify({ conds, scalars }, (_k, v: unknown) => (typeof v === 'number' ? Number(v.toFixed(2)) : v));
    if (process.env['SQL_GRAMMAR_SHOW'] === '1') {
      console.log(report);
      for (const t of fc.sample(fc.oneof(t1Cond, t1Scalar), { seed: SEED, numRuns: 25 })) console.log(render(t));
    }
    expect(conds.wrapped + scalars.wrapped, report).toBe(0);
    expect(conds.andOr, report).toBeGreaterThan(0.2); // `a = 1 OR b = 2 AND c = 3`
    expect(conds.notCmp, report).toBeGreaterThan(0.05); // `NOT a IS NULL`, `NOT x = 1`
    expect(conds.mixed, report).toBeGreaterThan(0.6);
    expect(scalars.mixed, report).toBeGreaterThan(0.5); // `1 + 2 * 3`, `a || b - 1`
    expect(conds.freeParens, report).toBeLessThan(0.35);
    expect(scalars.freeParens, report).toBeLessThan(0.35);
  });

  it('the precedence traps discriminate (SQLite alone)', () => {
    const read = (sql: string, unordered: boolean): string => {
      if (/^(DELETE|UPDATE)/.test(sql)) {
        // A write: what it leaves in w, rolled back afterwards.
        lite.exec('BEGIN');
        try {
          lite.exec(sql);
          return read('SELECT * FROM w ORDER BY id', false);
        } finally {
          lite.exec('ROLLBACK');
        }
      }
      const r = runLite(sql);
      if (!r.ok) throw new Error(`${sql}\n  SQLite refuses it: ${String(r.error)}`);
      return show(unordered ? sorted(r.rows) : r.rows, Infinity);
    };
    for (const trap of TRAPS) {
      if (trap.wrong === undefined) continue;
      const unordered = trap.unordered === true;
      expect(read(trap.sql, unordered), `${trap.sql}\n  reads the same as ${trap.wrong}`).not.toEqual(read(trap.wrong, unordered));
    }
  });

  it.each(TRAPS.map((t) => [t.sql, t] as const))('trap: %s', async (_sql, trap) => {
    if (/^(DELETE|UPDATE)/.test(trap.sql)) await compareWrite(trap.sql);
    else await compare(trap.sql, { unordered: trap.unordered === true, names: trap.unordered === true });
  });

  it('select-list expressions', async () => {
    await check(selectExpressions, runs(400), (sql) => compare(sql));
  });

  it('WHERE conditions', async () => {
    await check(whereQueries, runs(500), (sql) => compare(sql));
  });

  it('DELETE/UPDATE … WHERE on a fresh copy: the whole table afterwards', async () => {
    await check(writes, runs(300), ({ sql, mode }) => compareWrite(sql, mode));
  });

  it('joins: NATURAL, USING, ON, LEFT/RIGHT/FULL/INNER/CROSS, comma', async () => {
    await check(joinQueries, runs(400), (sql) => compare(sql, { unordered: true, names: true }));
  });

  it('ORDER BY … ASC/DESC NULLS FIRST/LAST, in exact row order', async () => {
    await check(orderQueries, runs(300), (sql) => compare(sql));
  });
});
