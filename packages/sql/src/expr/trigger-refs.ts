import { QueryError } from '@sochdb/core';
import type { ParamExpr, RaiseExpr } from '../parse/index.js';
import { toText } from '../values/values.js';
import type { CompileExpr, Compiled, Scope, SourceColumn } from './scope.js';

// A trigger program's NEW.x / OLD.x and RAISE(), as the expression compiler sees them. The
// trigger compiler (statements/trigger-body.ts) rewrites each NEW.x / OLD.x of a body into a
// parameter node bound per firing (so a body compiles once and every planner path, subqueries
// included, treats it as the constant it is for one row), and registers it here with the column
// it reads: comparisons then use the column's collation, as SQLite's NEW.x does.
// RAISE nodes of a body are registered too; anywhere else RAISE is an error, as in SQLite.

const columnOfParam = new WeakMap<ParamExpr, SourceColumn>();
const triggerRaises = new WeakSet<RaiseExpr>();

export function registerTriggerRef(param: ParamExpr, column: SourceColumn): void {
  columnOfParam.set(param, column);
}

export function registerTriggerRaise(raise: RaiseExpr): void {
  triggerRaises.add(raise);
}

/** A compiled parameter, with the column's collation when it stands for NEW.x / OLD.x. */
export function withTriggerColumn(compiled: Compiled, param: ParamExpr): Compiled {
  const column = columnOfParam.get(param);
  if (!column) return compiled;
  // SQLite's NEW.x / OLD.x compare with the column's collation but without its affinity
  // (`NEW.v = '1'` is false for an INTEGER v holding 1).
  return { evaluate: compiled.evaluate, affinity: undefined, collation: { name: column.collation ?? 'BINARY', explicit: false } };
}

/** What RAISE() throws; the trigger runner turns it into the statement's outcome. */
export class RaiseSignal extends Error {
  constructor(
    readonly action: RaiseExpr['action'],
    readonly text: string,
  ) {
    super(action === 'IGNORE' ? 'RAISE(IGNORE)' : text);
  }
}

export function compileRaise(e: RaiseExpr, scope: Scope, compileExpr: CompileExpr): Compiled {
  if (!triggerRaises.has(e))
    throw new QueryError('RAISE() may only be used within a trigger-program', { remediation: 'Use RAISE inside CREATE TRIGGER … BEGIN … END.' });
  const message = e.message ? compileExpr(e.message, scope).evaluate : undefined;
  return {
    evaluate: (env) => {
      throw new RaiseSignal(e.action, message ? (toText(message(env)) ?? '') : '');
    },
    affinity: undefined,
  };
}
