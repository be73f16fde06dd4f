import { QueryError } from '@sochdb/core';
import type { FunctionExpr } from '../parse/index.js';
import { SCALAR_FUNCTIONS } from '../values/functions.js';
import type { Compiled, Scope } from './scope.js';

// Window function calls, checked in the order SQLite's resolver checks them. The call itself is
// compiled by the query's WindowSink (plan/plan-window.ts), which only select lists and a
// query's ORDER BY have.

/** SQLite's built-in window functions: name → [fewest, most] arguments. */
export const WINDOW_FUNCTIONS: ReadonlyMap<string, readonly [number, number]> = new Map([
  ['row_number', [0, 0]],
  ['rank', [0, 0]],
  ['dense_rank', [0, 0]],
  ['percent_rank', [0, 0]],
  ['cume_dist', [0, 0]],
  ['ntile', [1, 1]],
  ['lag', [1, 3]],
  ['lead', [1, 3]],
  ['first_value', [1, 1]],
  ['last_value', [1, 1]],
  ['nth_value', [2, 2]],
]);

/**
 * A call with `OVER`, or a built-in window function called without one. `aggregate` says
 * whether the name and argument count make it an aggregate (which may also run over a window).
 */
export function windowCall(f: FunctionExpr, scope: Scope, aggregate: boolean): Compiled {
  const name = f.name;
  if (f.over && f.distinct) {
    throw new QueryError('DISTINCT is not supported for window functions', {
      remediation: `Drop DISTINCT, or aggregate the distinct values in a subquery first.`,
    });
  }
  const arity = WINDOW_FUNCTIONS.get(name);
  if (arity) {
    const argc = f.star ? 0 : f.args.length;
    if (argc < arity[0] || argc > arity[1]) {
      const count = arity[0] === arity[1] ? `${arity[0]}` : `${arity[0]} to ${arity[1]}`;
      throw new QueryError(`wrong number of arguments to function ${name}()`, { remediation: `${name}() takes ${count} argument(s).` });
    }
  } else if (!aggregate) {
    if (SCALAR_FUNCTIONS.has(name))
      throw new QueryError(`${name}() may not be used as a window function`, { remediation: 'Only aggregates and the built-in window functions take OVER.' });
    throw new QueryError(`no such function: ${name}`, { remediation: 'See the @sochdb/sql README for the supported functions.' });
  }
  if (!f.over || !scope.windows) {
    throw new QueryError(`misuse of window function ${name}()`, {
      remediation: f.over
        ? 'Window functions are allowed in the select list and ORDER BY of a query only (compute them in a subquery to filter on them).'
        : `Call it with an OVER clause: ${name}(…) OVER (…).`,
    });
  }
  return scope.windows.add(f, scope);
}
