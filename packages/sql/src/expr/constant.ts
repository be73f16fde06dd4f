import { QueryError } from '@sochdb/core';
import { compileExpr } from './expr.js';
import type { Expr } from '../parse/index.js';
import { Scope } from './scope.js';
import type { SqlValue } from '../values/values.js';

/** Evaluates a constant expression (a DEFAULT) without any row. */
export function constantValue(e: Expr | undefined): SqlValue {
  if (!e) return null;
  const scope = new Scope([], undefined, () => {
    throw new QueryError('subqueries are not allowed in DEFAULT');
  });
  return compileExpr(e, scope).evaluate({ row: [], outer: undefined, rt: { params: { positional: [], named: new Map() }, subqueries: new Map() } });
}
