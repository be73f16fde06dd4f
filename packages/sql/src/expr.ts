import { QueryError } from '@sochdb/core';
import type { BetweenExpr, BinaryExpr, CaseExpr, Expr, InExpr, LikeExpr, ParamExpr, Select, UnaryExpr } from './parse/index.js';
import { callFunction } from './expr-calls.js';
import { collationKey, collationOf, comparator, type Collation } from './collation.js';
import { globMatches, likeMatches } from './like.js';
import { arithmetic, bitwise, castTo, comparisonAffinities, concat, convertFor, negate } from './operators.js';
import type { Compiled, Env, Evaluator, Scope, SubqueryHandle } from './scope.js';
import { affinityOf, toText, truth, valueKey, type Affinity, type SqlValue } from './values.js';
import { someExpr } from './walk.js';

const TRUE = 1n;
const FALSE = 0n;
const bool = (b: boolean | null): SqlValue => (b === null ? null : b ? TRUE : FALSE);

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
      return parameter(e);
    case 'unary':
      return unary(e, scope);
    case 'binary':
      return binary(e, scope);
    case 'like':
      return like(e, scope);
    case 'between':
      return between(e, scope);
    case 'in':
      return inExpr(e, scope);
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
      const inner = compileExpr(e.operand, scope).evaluate;
      return { evaluate: (env) => castTo(inner(env), affinity), affinity };
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
      throw new QueryError('RAISE() may only be used within a trigger program', { remediation: 'Use RAISE inside CREATE TRIGGER … BEGIN … END.' });
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
    if (table && !scope.hasSource(table)) throw new QueryError(`no such column: ${what}`, { remediation: `Add ${table} to the FROM clause or fix the qualifier.` });
    throw new QueryError(`no such column: ${what}`, { remediation: 'Check the column name against the table definition.' });
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
      return { evaluate: (env) => { const t = truth(f(env)); return t === null ? null : bool(!t); }, affinity: undefined };
    case '~':
      return { evaluate: (env) => { const v = bitwise('|', f(env), 0n); return typeof v === 'bigint' ? ~v : null; }, affinity: undefined };
  }
}

type ComparisonOp = '=' | '!=' | '<' | '<=' | '>' | '>=' | 'IS' | 'IS NOT';

/** SQLite's rule: an explicit COLLATE wins (left first), then a column's collation (left first). */
export function comparisonCollation(left: Compiled, right: Compiled): Collation | undefined {
  if (left.collation?.explicit) return left.collation;
  if (right.collation?.explicit) return right.collation;
  return left.collation ?? right.collation;
}

export function comparison(op: ComparisonOp, left: Compiled, right: Compiled): Evaluator {
  const [la, ra] = comparisonAffinities(left.affinity, right.affinity);
  const compare = comparator(comparisonCollation(left, right));
  const l = left.evaluate;
  const r = right.evaluate;
  const test = ((): ((c: number) => boolean) => {
    switch (op) {
      case '=':
      case 'IS':
        return (c) => c === 0;
      case '!=':
      case 'IS NOT':
        return (c) => c !== 0;
      case '<':
        return (c) => c < 0;
      case '<=':
        return (c) => c <= 0;
      case '>':
        return (c) => c > 0;
      default:
        return (c) => c >= 0;
    }
  })();
  if (op === 'IS' || op === 'IS NOT') {
    const isNot = op === 'IS NOT';
    return (env) => {
      const a = l(env);
      const b = r(env);
      if (a === null || b === null) return bool((a === null && b === null) !== isNot);
      return bool(test(compare(convertFor(a, la), convertFor(b, ra))));
    };
  }
  if (la === undefined && ra === undefined) {
    return (env) => {
      const a = l(env);
      const b = r(env);
      if (a === null || b === null) return null;
      return test(compare(a, b)) ? TRUE : FALSE;
    };
  }
  return (env) => {
    const a = l(env);
    const b = r(env);
    if (a === null || b === null) return null;
    return test(compare(convertFor(a, la), convertFor(b, ra))) ? TRUE : FALSE;
  };
}

function binary(e: BinaryExpr, scope: Scope): Compiled {
  const op = e.op;
  if (op === '->' || op === '->>') {
    throw new QueryError(`the JSON operator ${op} is not supported yet`, { remediation: 'Read the JSON value in application code for now.' });
  }
  if (e.left.kind === 'row' || e.right.kind === 'row') return rowComparison(e, scope);
  const left = compileExpr(e.left, scope);
  const right = compileExpr(e.right, scope);
  const l = left.evaluate;
  const r = right.evaluate;
  switch (op) {
    case 'AND':
      return { evaluate: (env) => { const a = truth(l(env)); if (a === false) return FALSE; const b = truth(r(env)); return bool(and3(a, b)); }, affinity: undefined };
    case 'OR':
      return { evaluate: (env) => { const a = truth(l(env)); if (a === true) return TRUE; const b = truth(r(env)); return b === true ? TRUE : a === null || b === null ? null : FALSE; }, affinity: undefined };
    case '=': case '!=': case '<': case '<=': case '>': case '>=': case 'IS': case 'IS NOT':
      return { evaluate: comparison(op, left, right), affinity: undefined };
    case '+': case '-': case '*': case '/': case '%':
      return { evaluate: (env) => arithmetic(op, l(env), r(env)), affinity: undefined };
    case '||':
      return { evaluate: (env) => concat(l(env), r(env)), affinity: undefined, collation: left.collation ?? right.collation };
    case '&': case '|': case '<<': case '>>':
      return { evaluate: (env) => bitwise(op, l(env), r(env)), affinity: undefined };
  }
}

/** `(a, b) = (x, y)` and the other comparisons of row values, element by element as SQLite does. */
function rowComparison(e: BinaryExpr, scope: Scope): Compiled {
  const items = (x: Expr): readonly Expr[] => (x.kind === 'row' ? x.items : [x]);
  const left = items(e.left);
  const right = items(e.right);
  if (left.length !== right.length) throw new QueryError('row value misused', { remediation: 'Both sides of a row comparison need the same number of values.' });
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

function and3(a: boolean | null, b: boolean | null): boolean | null {
  if (a === false || b === false) return false;
  return a === null || b === null ? null : true;
}

function like(e: LikeExpr, scope: Scope): Compiled {
  if (e.op === 'REGEXP' || e.op === 'MATCH') {
    throw new QueryError(`no such function: ${e.op === 'REGEXP' ? 'REGEXP' : 'MATCH'}`, { remediation: 'SQLite has no built-in REGEXP/MATCH; use LIKE or GLOB.' });
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
  return { evaluate: (env) => { const t = and3(truth(ge(env)), truth(le(env))); return t === null ? null : bool(t !== not); }, affinity: undefined };
}

interface Candidate {
  readonly values: readonly SqlValue[];
}

function inExpr(e: InExpr, scope: Scope): Compiled {
  const operands = e.operand.kind === 'row' ? e.operand.items : [e.operand];
  const left = operands.map((o) => compileExpr(o, scope));
  const width = left.length;
  const not = e.not;
  const source = e.source;
  let candidates: (env: Env) => readonly Candidate[];
  let rightAffinities: readonly (Affinity | undefined)[] = left.map(() => undefined);
  if (source.kind === 'list') {
    if (source.items.length === 0) {
      // `x IN ()` is false and `x NOT IN ()` true, even when x is NULL (SQLite's rule).
      return { evaluate: () => bool(not), affinity: undefined };
    }
    if (width !== 1) {
      const rows = source.items.map((item) => (item.kind === 'row' ? item.items : [item]));
      if (rows.some((r) => r.length !== width)) throw new QueryError('row value misused');
      const compiled = rows.map((r) => r.map((x) => compileExpr(x, scope).evaluate));
      candidates = (env) => compiled.map((r) => ({ values: r.map((f) => f(env)) }));
    } else {
      if (source.items.some((item) => item.kind === 'row')) throw new QueryError('row value misused');
      // `a IN (x, y)` is `a = +x OR a = +y`: list items have no affinity, even columns and CASTs.
      const evaluators = source.items.map((item) => compileExpr(item, scope).evaluate);
      const constant = !source.items.some((item) => someExpr(item, readsRowOrQuery));
      return constant ? constantListMembership(left[0]!, evaluators, not) : listMembership(left[0]!, evaluators, not);
    }
  } else {
    const query: Select =
      source.kind === 'select'
        ? source.query
        : tableAsQuery(source.schema, source.name, source.args);
    const handle = scope.compileSubquery(query, scope);
    if (handle.columnCount !== width) {
      throw new QueryError(width === 1 ? `sub-select returns ${handle.columnCount} columns - expected 1` : 'row value misused', {
        remediation: 'The subquery of IN must select as many columns as there are values on the left.',
      });
    }
    rightAffinities = handle.affinities;
    candidates = (env) => handle.rows(env).map((row) => ({ values: row }));
  }
  const affinityPairs = left.map((l, i) => comparisonAffinities(l.affinity, rightAffinities[i]));
  const compare = left.map((l) => comparator(l.collation));
  return {
    evaluate: (env) => {
      const list = candidates(env);
      if (list.length === 0) return bool(not);
      const xs = left.map((l) => l.evaluate(env));
      if (width === 1 && xs[0] === null) return null;
      let sawNull = false;
      for (const item of list) {
        let all = true;
        let unknown = false;
        for (let i = 0; i < width; i++) {
          const x = xs[i]!;
          const v = item.values[i]!;
          if (x === null || v === null) {
            unknown = true;
            continue;
          }
          const [la, ra] = affinityPairs[i]!;
          if (compare[i]!(convertFor(x, la), convertFor(v, ra)) !== 0) {
            all = false;
            break;
          }
        }
        if (!all) continue;
        if (unknown) sawNull = true;
        else return bool(!not);
      }
      return sawNull ? null : bool(not);
    },
    affinity: undefined,
  };
}

function listMembership(left: Compiled, items: readonly Evaluator[], not: boolean): Compiled {
  const l = left.evaluate;
  const [la, ra] = comparisonAffinities(left.affinity, undefined);
  const compare = comparator(left.collation);
  return {
    evaluate: (env) => {
      const x = l(env);
      if (x === null) return null;
      let sawNull = false;
      for (let i = 0; i < items.length; i++) {
        const v = items[i]!(env);
        if (v === null) {
          sawNull = true;
          continue;
        }
        if (compare(convertFor(x, la), convertFor(v, ra)) === 0) return bool(!not);
      }
      return sawNull ? null : bool(not);
    },
    affinity: undefined,
  };
}

const readsRowOrQuery = (e: Expr): boolean => e.kind === 'column' || e.kind === 'exists' || e.kind === 'subquery' || (e.kind === 'in' && e.source.kind !== 'list');

/**
 * An IN list whose items read no row (literals, parameters, expressions of them): its values are
 * put in a hash set once per execution, so each row costs one lookup, however long the list.
 * Keys follow the comparison: values converted as `=` would, then collation-folded, then
 * valueKey (which makes 2 and 2.0 one key, as `=` does).
 */
function constantListMembership(left: Compiled, items: readonly Evaluator[], not: boolean): Compiled {
  const l = left.evaluate;
  const [la, ra] = comparisonAffinities(left.affinity, undefined);
  const collation = left.collation?.name;
  let builtFor: Env['rt'] | undefined;
  let keys = new Set<string>();
  let hasNull = false;
  return {
    evaluate: (env) => {
      const x = l(env);
      if (x === null) return null;
      if (builtFor !== env.rt) {
        keys = new Set();
        hasNull = false;
        for (const item of items) {
          const v = item(env);
          if (v === null) hasNull = true;
          else keys.add(valueKey(collationKey(convertFor(v, ra), collation)));
        }
        builtFor = env.rt;
      }
      if (keys.has(valueKey(collationKey(convertFor(x, la), collation)))) return bool(!not);
      return hasNull ? null : bool(not);
    },
    affinity: undefined,
  };
}

/** `x IN t` means `x IN (SELECT * FROM t)`; `x IN f(args)` reads a table-valued function. */
function tableAsQuery(schema: string | undefined, name: string, args: readonly Expr[] | undefined): Select {
  return {
    with: undefined,
    first: {
      kind: 'select',
      distinct: false,
      columns: [{ kind: 'star' }],
      from: { items: [{ item: { kind: 'table', schema, name, alias: undefined, indexedBy: undefined, args }, join: undefined, on: undefined, using: undefined }] },
      where: undefined,
      groupBy: [],
      having: undefined,
      windows: [],
    },
    compounds: [],
    orderBy: [],
    limit: undefined,
    offset: undefined,
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
