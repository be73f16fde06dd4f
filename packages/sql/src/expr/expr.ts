import { QueryError, NoSuchColumnError } from '@sochdb/core';
import type { BetweenExpr, BinaryExpr, CaseExpr, Expr, LikeExpr, ParamExpr, Select, UnaryExpr } from '../parse/index.js';
import { collationOf, type Collation } from '../values/collation.js';
import { globMatches, likeMatches } from '../values/like.js';
import { arithmetic, bitwise, castTo, concat, negate } from '../values/operators.js';
import { affinityOf, toText, truth, type Affinity, type SqlValue } from '../values/values.js';
import { callFunction } from './expr-calls.js';
import { and3, bool, comparison, FALSE, TRUE, type ComparisonOp } from './expr-compare.js';
import { inExpr } from './expr-in.js';
import { compileArrow } from './json-subtype.js';
import { compileRaise, withTriggerColumn } from './trigger-refs.js';
import type { Compiled, Env, Evaluator, Scope, SubqueryHandle } from './scope.js';

const constant = (v: SqlValue, affinity?: Affinity): Compiled => ({ evaluate: () => v, affinity });

export { AGGREGATE_NAMES, containsAggregate, isAggregateCall } from './expr-calls.js';

/** Compiles an expression into an evaluator closure bound to `scope`'s row layout. */
export function compileExpr(e: Expr, scope: Scope): Compiled {
  switch (e.kind) {
    case 'literal':
      return constant(e.value);
    case 'column':
      // SQLite's misfeature, kept for compatibility: "abc" that names no column is the text 'abc'.
      if (e.doubleQuoted && e.table === undefined && !scope.canResolve(e.column)) return constant(e.column);
      return columnRef(e.table, e.column, scope);
    case 'param':
      return withTriggerColumn(parameter(e), e);
    case 'unary':
      return unary(e, scope);
    case 'binary':
      return binary(e, scope);
    case 'like':
      return like(e, scope);
    case 'between':
      return between(e, scope);
    case 'in':
      return inExpr(e, scope, compileExpr);
    case 'exists': {
      const handle = subquery(e.query, scope);
      return { evaluate: (env) => bool(handle.rows(env, 1).length > 0), affinity: undefined };
    }
    case 'subquery': {
      const handle = subquery(e.query, scope);
      if (handle.columnCount !== 1) throw rowValueMisused(handle.columnCount);
      return { evaluate: (env) => handle.rows(env, 1)[0]?.[0] ?? null, affinity: undefined };
    }
    case 'case':
      return caseExpr(e, scope);
    case 'cast': {
      const affinity = affinityOf(e.type);
      const inner = compileExpr(e.operand, scope);
      const f = inner.evaluate;
      // A column under CAST still compares with its collation (SQLite's rule names CAST and unary +).
      return { evaluate: (env) => castTo(f(env), affinity), affinity, collation: inner.collation };
    }
    case 'collate': {
      const inner = compileExpr(e.operand, scope);
      return { ...inner, collation: { name: collationOf(e.collation), explicit: true } };
    }
    case 'function':
      return callFunction(e, scope, compileExpr);
    case 'row':
      throw rowValueMisused(e.items.length);
    case 'raise':
      return compileRaise(e, scope, compileExpr);
  }
}

function rowValueMisused(width: number): QueryError {
  return new QueryError(width === 1 ? 'row value misused' : `sub-select returns ${width} columns - expected 1`, {
    remediation: 'Compare one value at a time, or select exactly one column in the subquery.',
  });
}

function subquery(query: Select, scope: Scope): SubqueryHandle {
  return scope.compileSubquery(query, scope);
}

function parameter(p: ParamExpr): Compiled {
  if (p.index !== undefined) {
    const index = p.index - 1;
    return {
      evaluate: (env) => {
        const values = env.rt.params.positional;
        if (index >= values.length) {
          // `$1`-style names bind by position, or by name from an object.
          const named = p.name === undefined ? undefined : env.rt.params.named.get(p.name);
          if (named !== undefined) return named;
          throw missingParameter(p.text, `${index + 1} positional`);
        }
        return values[index]!;
      },
      affinity: undefined,
    };
  }
  const key = p.name ?? '';
  return {
    evaluate: (env) => {
      const v = env.rt.params.named.get(key);
      if (v === undefined) throw missingParameter(p.text, `a value named '${key}'`);
      return v;
    },
    affinity: undefined,
  };
}

function missingParameter(param: string, need: string): QueryError {
  return new QueryError(`no value bound for parameter ${param}`, { remediation: `Pass ${need} parameter(s) in execute(sql, params).` });
}

export function columnRef(table: string | undefined, column: string, scope: Scope): Compiled {
  const found = scope.resolve(table, column);
  if (!found) {
    const alias = scope.aliases?.get(column.toLowerCase());
    if (alias && table === undefined) {
      // An output alias may read any source: place conditions using it after every join.
      scope.sources.forEach((_, i) => scope.used.add(i));
      return alias;
    }
    const what = table ? `${table}.${column}` : column;
    if (table && !scope.hasSource(table))
      throw new NoSuchColumnError(`no such column: ${what}`, { remediation: `Add ${table} to the FROM clause or fix the qualifier.` });
    throw new NoSuchColumnError(`no such column: ${what}`, { remediation: 'Check the column name against the table definition.' });
  }
  const { depth, slot, affinity, collation } = found;
  const coalesce = found.coalesce;
  if (coalesce !== undefined) {
    // A column merged by USING / NATURAL across an outer join: the first non-NULL side.
    return {
      evaluate: (env) => {
        let e: Env = env;
        for (let d = 0; d < depth; d++) e = e.outer!;
        for (const s of coalesce) {
          const v = e.row[s]!;
          if (v !== null) return v;
        }
        return null;
      },
      affinity,
      collation,
    };
  }
  if (depth === 0) return { evaluate: (env) => env.row[slot]!, affinity, collation };
  if (depth === 1) return { evaluate: (env) => env.outer!.row[slot]!, affinity, collation };
  return {
    evaluate: (env) => {
      let e: Env = env;
      for (let d = 0; d < depth; d++) e = e.outer!;
      return e.row[slot]!;
    },
    affinity,
    collation,
  };
}

function unary(e: UnaryExpr, scope: Scope): Compiled {
  const inner = compileExpr(e.operand, scope);
  const f = inner.evaluate;
  switch (e.op) {
    case '-':
      return { evaluate: (env) => negate(f(env)), affinity: undefined };
    case '+':
      // SQLite's `+x` has no affinity (the classic way to compare a column without it).
      return { evaluate: f, affinity: undefined, collation: inner.collation };
    case 'NOT':
      return {
        evaluate: (env) => {
          const t = truth(f(env));
          return t === null ? null : bool(!t);
        },
        affinity: undefined,
      };
    case '~':
      return {
        evaluate: (env) => {
          const v = bitwise('|', f(env), 0n);
          return typeof v === 'bigint' ? ~v : null;
        },
        affinity: undefined,
      };
  }
}

function binary(e: BinaryExpr, scope: Scope): Compiled {
  const op = e.op;
  if (op === '->' || op === '->>') return compileArrow(e, scope, compileExpr);
  if (e.left.kind === 'row' || e.right.kind === 'row') return rowComparison(e, scope);
  const left = compileExpr(e.left, scope);
  const right = compileExpr(e.right, scope);
  const l = left.evaluate;
  const r = right.evaluate;
  switch (op) {
    case 'AND':
      return {
        evaluate: (env) => {
          const a = truth(l(env));
          if (a === false) return FALSE;
          const b = truth(r(env));
          return bool(and3(a, b));
        },
        affinity: undefined,
      };
    case 'OR':
      return {
        evaluate: (env) => {
          const a = truth(l(env));
          if (a === true) return TRUE;
          const b = truth(r(env));
          return b === true ? TRUE : a === null || b === null ? null : FALSE;
        },
        affinity: undefined,
      };
    case '=':
    case '!=':
    case '<':
    case '<=':
    case '>':
    case '>=':
    case 'IS':
    case 'IS NOT':
      return { evaluate: comparison(op, left, right), affinity: undefined };
    case '+':
    case '-':
    case '*':
    case '/':
    case '%':
      return { evaluate: (env) => arithmetic(op, l(env), r(env)), affinity: undefined };
    case '||':
      // Only a COLLATE written inside carries through (left first): `c || ''` is no longer the
      // column c, so c's declared collation does not (SQLite's sqlite3ExprCollSeq).
      return { evaluate: (env) => concat(l(env), r(env)), affinity: undefined, collation: explicitOf(left) ?? explicitOf(right) };
    case '&':
    case '|':
    case '<<':
    case '>>':
      return { evaluate: (env) => bitwise(op, l(env), r(env)), affinity: undefined };
  }
}

/** `(a, b) = (x, y)` and the other comparisons of row values, element by element as SQLite does. */
function rowComparison(e: BinaryExpr, scope: Scope): Compiled {
  const items = (x: Expr): readonly Expr[] => (x.kind === 'row' ? x.items : [x]);
  const left = items(e.left);
  const right = items(e.right);
  if (left.length !== right.length)
    throw new QueryError('row value misused', { remediation: 'Both sides of a row comparison need the same number of values.' });
  const op = e.op;
  if (!['=', '!=', 'IS', 'IS NOT', '<', '<=', '>', '>='].includes(op)) throw new QueryError('row value misused');
  const pairs = left.map((l, i) => ({ l: compileExpr(l, scope), r: compileExpr(right[i]!, scope) }));
  const eq = pairs.map((p) => comparison(op === 'IS' || op === 'IS NOT' ? 'IS' : '=', p.l, p.r));
  if (op === '=' || op === '!=' || op === 'IS' || op === 'IS NOT') {
    const negated = op === '!=' || op === 'IS NOT';
    return {
      evaluate: (env) => {
        let unknown = false;
        for (const f of eq) {
          const t = truth(f(env));
          if (t === false) return bool(negated);
          if (t === null) unknown = true;
        }
        return unknown ? null : bool(!negated);
      },
      affinity: undefined,
    };
  }
  // Ordering: the first pair that differs decides; a NULL before that makes the result NULL.
  const strict = pairs.map((p) => comparison(op === '<' || op === '<=' ? '<' : '>', p.l, p.r));
  const last = comparison(op as ComparisonOp, pairs[pairs.length - 1]!.l, pairs[pairs.length - 1]!.r);
  return {
    evaluate: (env) => {
      for (let i = 0; i < pairs.length - 1; i++) {
        const same = truth(eq[i]!(env));
        if (same === null) return null;
        if (!same) return strict[i]!(env);
      }
      return last(env);
    },
    affinity: undefined,
  };
}

function like(e: LikeExpr, scope: Scope): Compiled {
  if (e.op === 'REGEXP' || e.op === 'MATCH') {
    throw new QueryError(`no such function: ${e.op === 'REGEXP' ? 'REGEXP' : 'MATCH'}`, {
      remediation: 'SQLite has no built-in REGEXP/MATCH; use LIKE or GLOB.',
    });
  }
  const l = compileExpr(e.operand, scope).evaluate;
  const p = compileExpr(e.pattern, scope).evaluate;
  const esc = e.escape ? compileExpr(e.escape, scope).evaluate : undefined;
  const not = e.not;
  const glob = e.op === 'GLOB';
  return {
    evaluate: (env) => {
      const v = l(env);
      const pattern = p(env);
      if (v === null || pattern === null) return null;
      let escape: string | undefined;
      if (esc) {
        const x = esc(env);
        if (x === null) return null;
        escape = toText(x)!;
        if ([...escape].length !== 1) throw new QueryError('ESCAPE expression must be a single character');
      }
      const m = glob ? globMatches(toText(v)!, toText(pattern)!) : likeMatches(toText(v)!, toText(pattern)!, escape);
      return bool(m !== not);
    },
    affinity: undefined,
  };
}

function between(e: BetweenExpr, scope: Scope): Compiled {
  const x = compileExpr(e.operand, scope);
  const ge = comparison('>=', x, compileExpr(e.low, scope));
  const le = comparison('<=', x, compileExpr(e.high, scope));
  const not = e.not;
  return {
    evaluate: (env) => {
      const t = and3(truth(ge(env)), truth(le(env)));
      return t === null ? null : bool(t !== not);
    },
    affinity: undefined,
  };
}

function caseExpr(e: CaseExpr, scope: Scope): Compiled {
  const base = e.operand ? compileExpr(e.operand, scope) : undefined;
  const whens = e.whens.map((w) => {
    const cond = compileExpr(w.when, scope);
    return { test: base ? comparison('=', base, cond) : cond.evaluate, result: compileExpr(w.then, scope).evaluate };
  });
  const otherwise: Evaluator = e.otherwise ? compileExpr(e.otherwise, scope).evaluate : () => null;
  return {
    evaluate: (env) => {
      for (const w of whens) if (truth(w.test(env)) === true) return w.result(env);
      return otherwise(env);
    },
    affinity: undefined,
  };
}

/** An operand's collation if it was written with COLLATE. */
function explicitOf(c: Compiled): Collation | undefined {
  return c.collation?.explicit ? c.collation : undefined;
}
