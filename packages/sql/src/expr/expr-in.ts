import { QueryError } from '@sochdb/core';
import type { Expr, InExpr, Select } from '../parse/index.js';
import { collationKey, comparator } from '../values/collation.js';
import { comparisonAffinities, convertFor } from '../values/operators.js';
import { valueKey, type Affinity, type SqlValue } from '../values/values.js';
import { bool } from './expr-compare.js';
import type { CompileExpr, Compiled, Env, Evaluator, Scope } from './scope.js';
import { someExpr } from './walk.js';

// `x [NOT] IN (list)`, `IN (SELECT …)` and `IN table`, with SQLite's NULL and affinity rules.

interface Candidate {
  readonly values: readonly SqlValue[];
}

/** Compiles an IN expression; `compileExpr` (expr.ts) is passed in so that this module does not import it back. */
export function inExpr(e: InExpr, scope: Scope, compileExpr: CompileExpr): Compiled {
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
    const query: Select = source.kind === 'select' ? source.query : tableAsQuery(source.schema, source.name, source.args);
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

const readsRowOrQuery = (e: Expr): boolean =>
  e.kind === 'column' || e.kind === 'exists' || e.kind === 'subquery' || (e.kind === 'in' && e.source.kind !== 'list');

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
      from: {
        items: [{ item: { kind: 'table', schema, name, alias: undefined, indexedBy: undefined, args }, join: undefined, on: undefined, using: undefined }],
      },
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
