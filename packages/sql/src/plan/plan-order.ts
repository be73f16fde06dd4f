import { QueryError } from '@sochdb/core';
import { compileExpr } from '../expr/expr.js';
import type { Evaluator, Scope } from '../expr/scope.js';
import { someExpr } from '../expr/walk.js';
import type { Expr, OrderingTerm, Select } from '../parse/index.js';
import { collationOf, comparator, type CollationName } from '../values/collation.js';
import type { SortDirection } from '../values/sort-keys.js';
import type { MemberPlan, OrderTerm } from './plan-types.js';

// ORDER BY and GROUP BY terms as SQLite reads them (output positions, aliases, COLLATE), and
// LIMIT / OFFSET.

/** Ordering and limits that belong to the query being compiled (not to one compound member). */
export interface Tail {
  readonly orderBy: readonly OrderingTerm[];
  readonly limit: Expr | undefined;
  readonly offset: Expr | undefined;
}

export const NO_TAIL: Tail = { orderBy: [], limit: undefined, offset: undefined };

function ordinal(i: number): string {
  const n = i + 1;
  const suffix = n % 10 === 1 && n % 100 !== 11 ? 'st' : n % 10 === 2 && n % 100 !== 12 ? 'nd' : n % 10 === 3 && n % 100 !== 13 ? 'rd' : 'th';
  return `${n}${suffix}`;
}

/**
 * The integer an ORDER BY / GROUP BY term stands for, read as SQLite's parser folds it: a literal,
 * `+n`, `-n`, and `literal IS [NOT] NULL` (which SQLite turns into the integer 0 or 1).
 */
export function integerTerm(e: Expr): bigint | undefined {
  if (e.kind === 'unary' && (e.op === '+' || e.op === '-')) {
    const v = integerTerm(e.operand);
    return v === undefined ? undefined : e.op === '-' ? -v : v;
  }
  return foldedInteger(e);
}

/** The integer literals SQLite's parser makes: `x IS NULL` on a literal, and `… AND 0`. */
function foldedInteger(e: Expr): bigint | undefined {
  if (e.kind === 'literal') return typeof e.value === 'bigint' ? e.value : undefined;
  if (e.kind === 'binary' && (e.op === 'IS' || e.op === 'IS NOT') && e.right.kind === 'literal' && e.right.value === null && nonNullLiteral(e.left)) {
    return e.op === 'IS' ? 0n : 1n;
  }
  // An AND with an operand that is the integer 0 is folded to 0 (sqlite3ExprAnd), unless a side
  // calls a function (LIKE and GLOB are functions there).
  if (
    e.kind === 'binary' &&
    e.op === 'AND' &&
    (foldedInteger(e.left) === 0n || foldedInteger(e.right) === 0n) &&
    !someExpr(e, (x) => x.kind === 'function' || x.kind === 'like')
  )
    return 0n;
  return undefined;
}

/** A literal that is not NULL, possibly under unary + / - (what SQLite's parser folds IS NULL on). */
function nonNullLiteral(e: Expr): boolean {
  if (e.kind === 'literal') return e.value !== null;
  return e.kind === 'unary' && (e.op === '+' || e.op === '-') && nonNullLiteral(e.operand);
}

/** `ORDER BY 2`: the output column, checked against the range SQLite allows. */
export function ordinalTerm(e: Expr, i: number, width: number, clause = 'ORDER'): number | undefined {
  const k = integerTerm(e);
  if (k === undefined) return undefined;
  if (k < 1n || k > BigInt(width)) throw new QueryError(`${ordinal(i)} ${clause} BY term out of range - should be between 1 and ${width}`);
  return Number(k) - 1;
}

export function unwrapCollate(e: Expr): { expr: Expr; collation: CollationName | undefined } {
  return e.kind === 'collate' ? { expr: e.operand, collation: collationOf(e.collation) } : { expr: e, collation: undefined };
}

export function sortDirection(term: OrderingTerm, collation: CollationName | undefined): SortDirection {
  return { desc: term.desc, nullsFirst: term.nulls === undefined ? !term.desc : term.nulls === 'FIRST', compare: comparator(collation) };
}

export function makeTerm(
  outputIndex: number | undefined,
  evaluate: Evaluator | undefined,
  term: OrderingTerm,
  collation: CollationName | undefined,
): OrderTerm {
  return { outputIndex, evaluate, ...sortDirection(term, collation) };
}

const sameExpr = (a: Expr, b: Expr) => JSON.stringify(a, bigintSafe) === JSON.stringify(b, bigintSafe);
const bigintSafe = (_: string, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v instanceof Uint8Array ? `x${Buffer.from(v).toString('hex')}` : v);

/**
 * A compound's ORDER BY term must name an output column: by position, by a member's column
 * name or alias (any member, leftmost first, as SQLite searches), or by repeating a member's
 * result expression.
 */
export function compoundOrderTerm(term: OrderingTerm, i: number, query: Select, members: readonly MemberPlan[]): OrderTerm {
  const { expr, collation } = unwrapCollate(term.expr);
  const width = members[0]!.columns.length;
  let idx = ordinalTerm(expr, i, width);
  if (idx === undefined && expr.kind === 'column' && expr.table === undefined) {
    const name = expr.column.toLowerCase();
    for (const m of members) {
      const k = m.columns.findIndex((c) => c.toLowerCase() === name);
      if (k >= 0) {
        idx = k;
        break;
      }
    }
  }
  if (idx === undefined) {
    const cores = [query.first, ...query.compounds.map((c) => c.core)];
    for (const core of cores) {
      if (core.kind !== 'select') continue;
      const k = core.columns.findIndex((c) => c.kind === 'expr' && sameExpr(c.expr, expr));
      if (k >= 0) {
        idx = k;
        break;
      }
    }
  }
  if (idx === undefined)
    throw new QueryError(`${ordinal(i)} ORDER BY term does not match any column in the result set`, {
      remediation: 'Order by a result column name or its position (ORDER BY 1).',
    });
  // Without a COLLATE here, the column's: the leftmost member's that has one, as the compound compares it.
  return makeTerm(idx, undefined, term, collation ?? members.map((m) => (m.kind === 'select' ? m.collations[idx] : undefined)).find((c) => c !== undefined));
}

export function limitOf(tail: Tail, scope: Scope): { limit: Evaluator | undefined; offset: Evaluator | undefined } {
  const compile = (e: Expr | undefined) => (e ? compileExpr(e, scope).evaluate : undefined);
  return { limit: compile(tail.limit), offset: compile(tail.offset) };
}
