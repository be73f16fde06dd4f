import { QueryError } from '@sochdb/core';
import type { SubtypeProbe } from '../expr/json-subtype.js';
import type { Env, Evaluator } from '../expr/scope.js';
import { jsonGroupAccumulator } from './json-aggregates.js';
import { SumState } from './window-sum.js';
import { compareSortKeys, type SortDirection } from '../values/sort-keys.js';
import { toText, truth, valueKey, type SqlValue } from '../values/values.js';
import { collationKey, comparator, type CollationName } from '../values/collation.js';

export interface AggregateSpec {
  readonly name: string;
  readonly args: readonly Evaluator[];
  readonly distinct: boolean;
  /** The first argument's collation: which values DISTINCT calls equal, and how min() and max() order text. */
  readonly collation?: CollationName | undefined;
  readonly star: boolean;
  /** `FILTER (WHERE …)`: only rows for which it is true are aggregated. */
  readonly filter: Evaluator | undefined;
  /** `agg(x ORDER BY …)`: the order values are combined in (only group_concat's result depends on it). */
  readonly orderBy: readonly AggregateOrder[];
  /** json_group_array / json_group_object: how to read each argument's JSON subtype (expr/json-subtype.ts). */
  readonly subtypes?: readonly (SubtypeProbe | undefined)[] | undefined;
}

export interface AggregateOrder extends SortDirection {
  readonly evaluate: Evaluator;
}

/** The running state of one aggregate call within one group. */
export interface Accumulator {
  step(env: Env): void;
  result(): SqlValue;
}

const ARITY: Readonly<Record<string, [number, number]>> = {
  count: [0, 1],
  sum: [1, 1],
  avg: [1, 1],
  min: [1, 1],
  max: [1, 1],
  total: [1, 1],
  group_concat: [1, 2],
  string_agg: [2, 2],
  json_group_array: [1, 1],
  jsonb_group_array: [1, 1],
  json_group_object: [2, 2],
  jsonb_group_object: [2, 2],
};

export function checkAggregate(name: string, argCount: number, star: boolean): void {
  const arity = ARITY[name];
  if (!arity) throw new QueryError(`no such aggregate function: ${name}`);
  if (star ? name !== 'count' : argCount < arity[0] || argCount > arity[1]) {
    throw new QueryError(`wrong number of arguments to function ${name}()`, {
      remediation: star ? 'Only COUNT accepts *.' : `${name}() takes ${arity[0]}–${arity[1]} argument(s).`,
    });
  }
}

export function createAccumulator(spec: AggregateSpec): Accumulator {
  const acc = createUnfiltered(spec);
  const filter = spec.filter;
  if (!filter) return acc;
  return { step: (env) => void (truth(filter(env)) === true && acc.step(env)), result: () => acc.result() };
}

function createUnfiltered(spec: AggregateSpec): Accumulator {
  if (spec.name.startsWith('json')) return jsonGroupAccumulator(spec);
  const arg = spec.args[0];
  const seen = spec.distinct ? new Set<string>() : undefined;
  /** Applies DISTINCT and skips NULLs, as every SQL aggregate except COUNT(*) does. */
  const valueOf = (env: Env): SqlValue | undefined => {
    const v = arg!(env);
    if (v === null) return undefined;
    if (seen) {
      const k = valueKey(collationKey(v, spec.collation));
      if (seen.has(k)) return undefined;
      seen.add(k);
    }
    return v;
  };
  switch (spec.name) {
    case 'count': {
      // Counted as a number (a bigint increment allocates); exact far beyond any row count.
      let n = 0;
      if (spec.star || !arg) return { step: () => void n++, result: () => BigInt(n) };
      return { step: (env) => void (valueOf(env) !== undefined && n++), result: () => BigInt(n) };
    }
    case 'sum':
    case 'total':
    case 'avg': {
      // SQLite's algorithm (window-sum.ts): exact integers, then Kahan-Babuska-Neumaier summation.
      const sum = new SumState();
      const step = (env: Env) => {
        const v = valueOf(env);
        if (v !== undefined) sum.step(v);
      };
      if (spec.name === 'sum') return { step, result: () => sum.sum() };
      if (spec.name === 'total') return { step, result: () => sum.total() };
      return { step, result: () => sum.avg() };
    }
    case 'min':
    case 'max': {
      const sign = spec.name === 'min' ? -1 : 1;
      const compare = comparator(spec.collation);
      let best: SqlValue | undefined;
      return {
        step: (env) => {
          const v = valueOf(env);
          if (v !== undefined && (best === undefined || compare(v, best) * sign > 0)) best = v;
        },
        result: () => best ?? null,
      };
    }
    default: {
      const sepArg = spec.args[1];
      if (spec.orderBy.length > 0) return orderedConcat(spec, valueOf, sepArg);
      let out: string | null = null;
      return {
        step: (env) => {
          const v = valueOf(env);
          if (v === undefined) return;
          const sep = out === null ? '' : sepArg ? (toText(sepArg(env)) ?? '') : ',';
          out = (out ?? '') + sep + toText(v);
        },
        result: () => out,
      };
    }
  }
}

/** group_concat / string_agg with ORDER BY: pieces kept with their sort keys, joined at the end. */
function orderedConcat(spec: AggregateSpec, valueOf: (env: Env) => SqlValue | undefined, sepArg: Evaluator | undefined): Accumulator {
  const pieces: { text: string; sep: string; keys: SqlValue[] }[] = [];
  return {
    step: (env) => {
      const v = valueOf(env);
      if (v === undefined) return;
      pieces.push({ text: toText(v)!, sep: sepArg ? (toText(sepArg(env)) ?? '') : ',', keys: spec.orderBy.map((o) => o.evaluate(env)) });
    },
    result: () => {
      if (pieces.length === 0) return null;
      const sorted = pieces.slice().sort((a, b) => compareSortKeys(spec.orderBy, a.keys, b.keys));
      // Each piece after the first is preceded by the separator given with it (SQLite's rule).
      return sorted.map((p, i) => (i === 0 ? p.text : p.sep + p.text)).join('');
    },
  };
}
