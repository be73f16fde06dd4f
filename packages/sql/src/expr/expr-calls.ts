import { QueryError } from '@sochdb/core';
import type { Expr, FunctionExpr } from '../parse/index.js';
import { currentTime, minMax, nullIf, SCALAR_FUNCTIONS } from '../values/functions.js';
import { comparator } from '../values/collation.js';
import type { SqlValue } from '../values/values.js';
import type { ConnectionCounters } from '../values/scalar-function.js';
import { compileSubtypeCall } from './json-subtype.js';
import type { CompileExpr, Compiled, Scope } from './scope.js';
import { someExpr } from './walk.js';
import { WINDOW_FUNCTIONS, windowCall } from './window-calls.js';

// Function calls: scalar functions, and aggregates (registered with the query's AggregateSink).

/** Counters seen where no engine runs the expression (constant folding of defaults): nothing has changed yet. */
const NO_COUNTERS: ConnectionCounters = { changes: 0, totalChanges: 0, lastInsertRowid: 0n };

export const AGGREGATE_NAMES = new Set([
  'count',
  'sum',
  'avg',
  'min',
  'max',
  'total',
  'group_concat',
  'string_agg',
  'json_group_array',
  'json_group_object',
  'jsonb_group_array',
  'jsonb_group_object',
]);

/** True when the call is an aggregate (COUNT(*), SUM(x), or min/max with one argument). */
export function isAggregateCall(e: Expr): boolean {
  if (e.kind !== 'function' || e.keyword || e.over || !AGGREGATE_NAMES.has(e.name)) return false;
  return isAggregateName(e);
}

/** The name and argument count are an aggregate's (with or without OVER). */
function isAggregateName(f: FunctionExpr): boolean {
  return AGGREGATE_NAMES.has(f.name) && (!(f.name === 'min' || f.name === 'max') || f.args.length === 1);
}

/** Whether an expression contains an aggregate call outside any subquery. */
export function containsAggregate(e: Expr | undefined): boolean {
  return e !== undefined && someExpr(e, isAggregateCall);
}

export function callFunction(f: FunctionExpr, scope: Scope, compileExpr: CompileExpr): Compiled {
  const name = f.name;
  if (f.over || WINDOW_FUNCTIONS.has(name)) return windowCall(f, scope, isAggregateName(f));
  if (f.keyword) return { evaluate: (env) => currentTime(name.toUpperCase(), env.rt), affinity: undefined };
  if (isAggregateCall(f)) return aggregate(f, scope);
  const fn = SCALAR_FUNCTIONS.get(name);
  if (!fn) throw new QueryError(`no such function: ${name}`, { remediation: 'See the @sochdb/sql README for the supported functions.' });
  if (f.distinct || f.star || f.filter || f.orderBy.length > 0) {
    const what = f.distinct ? 'DISTINCT' : f.star ? '*' : f.filter ? 'FILTER' : 'ORDER BY';
    throw new QueryError(`${what} may only be used with aggregate functions, not ${name}()`, { remediation: `Call ${name}() with plain arguments.` });
  }
  if (f.args.length < fn.min || f.args.length > fn.max) {
    throw new QueryError(`wrong number of arguments to function ${name}()`, {
      remediation: `${name}() takes ${fn.min === fn.max ? fn.min : `${fn.min} or more`} argument(s).`,
    });
  }
  if (fn.readsSubtype) return compileSubtypeCall(f, fn, scope, compileExpr);
  const compiled = f.args.map((a) => compileExpr(a, scope));
  const args = compiled.map((a) => a.evaluate);
  const impl = collatedImpl(name, compiled) ?? fn.fn;
  const withConnection = fn.withConnection;
  if (withConnection) return { evaluate: (env) => withConnection(env.rt.connection ?? NO_COUNTERS), affinity: undefined };
  const withClock = fn.withClock;
  if (withClock)
    return {
      evaluate: (env) =>
        withClock(
          args.map((a) => a(env)),
          env.rt,
        ),
      affinity: undefined,
    };
  if (name === 'coalesce' || name === 'ifnull') {
    return {
      evaluate: (env) => {
        for (const a of args) {
          const v = a(env);
          if (v !== null) return v;
        }
        return null;
      },
      affinity: undefined,
    };
  }
  if (args.length === 1) {
    const a0 = args[0]!;
    return { evaluate: (env) => impl([a0(env)]), affinity: undefined };
  }
  return { evaluate: (env) => impl(args.map((a) => a(env))), affinity: undefined };
}

function aggregate(f: FunctionExpr, scope: Scope): Compiled {
  const name = f.name;
  if (!scope.aggregates)
    throw new QueryError(`misuse of aggregate function ${name}()`, {
      remediation: 'Aggregates are allowed in the select list, HAVING and ORDER BY of a query.',
    });
  const star = f.star || (name === 'count' && f.args.length === 0);
  if (f.distinct && (star || f.args.length !== 1))
    throw new QueryError('DISTINCT aggregates must have exactly one argument', { remediation: `Write ${name}(DISTINCT x).` });
  const slot = scope.aggregates.add({ name, args: f.args, distinct: f.distinct, star, filter: f.filter, orderBy: f.orderBy }, scope);
  return { evaluate: (env) => env.row[slot]!, affinity: undefined };
}

/**
 * min(), max() and nullif() compare their arguments with the collation of the first argument that
 * has one (a column's, or a written COLLATE), as SQLite's SQLITE_FUNC_NEEDCOLL functions do; the
 * others never compare text. Undefined when that collation is BINARY: the plain implementation.
 */
function collatedImpl(name: string, args: readonly Compiled[]): ((values: readonly SqlValue[]) => SqlValue) | undefined {
  if (name !== 'min' && name !== 'max' && name !== 'nullif') return undefined;
  const collation = args.map((a) => a.collation).find((c) => c !== undefined);
  if (collation === undefined || collation.name === 'BINARY') return undefined;
  const compare = comparator(collation);
  return name === 'nullif' ? nullIf(compare) : minMax(name === 'max' ? 1 : -1, compare);
}
