import { QueryError, type Transaction } from '@sochdb/core';
import { compileExpr } from '../expr/expr.js';
import { Scope, type Evaluator, type SourceColumn } from '../expr/scope.js';
import { registerTriggerRaise, registerTriggerRef } from '../expr/trigger-refs.js';
import type { Expr, ParamExpr, RaiseExpr, Statement, TriggerBodyStatement } from '../parse/index.js';
import { makeSubqueryCompiler } from '../plan/plan-select.js';
import type { CompileContext, SubqueryEntry } from '../plan/plan-types.js';
import type { Catalog } from '../schema/catalog.js';
import type { TriggerDef } from '../schema/trigger-def.js';
import type { Executable, StatementEnv } from './statement.js';

// A trigger program compiled for running: its WHEN and its steps, with every NEW.x / OLD.x turned
// into a parameter bound per firing (see expr/trigger-refs.ts). Compiled once per schema version
// and reused for every row that fires it.

/** The row a trigger sees: its table's (or view's) columns, and which one is the rowid. */
export interface TriggerTarget {
  readonly columns: readonly SourceColumn[];
  readonly rowidColumn: number | undefined;
}

export interface TriggerProgram {
  readonly when: Evaluator | undefined;
  readonly whenSubqueries: readonly SubqueryEntry[];
  readonly steps: readonly Executable[];
}

/** The parameter name NEW.x (`pseudo` 'new') or OLD.x of column `i` is bound under. */
export function pseudoParam(pseudo: 'new' | 'old', i: number): string {
  return `\u0000${pseudo}:${i}`;
}

const ROWID_NAMES = new Set(['rowid', '_rowid_', 'oid']);

/** Whether the statement holds a parameter (`?`, `:name`): SQLite refuses them in a trigger. */
export function usesVariables(node: unknown): boolean {
  if (Array.isArray(node)) return node.some(usesVariables);
  if (!isPlain(node)) return false;
  if (node['kind'] === 'param') return true;
  return Object.values(node).some(usesVariables);
}

function isPlain(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype;
}

/**
 * A copy of `node` (a body statement or the WHEN) with NEW.x / OLD.x as parameters and its RAISEs
 * allowed. A reference the event has no row for (OLD in an INSERT trigger) or to no column is
 * left alone, so compiling it fails with SQLite's `no such column: new.x`.
 */
function rewrite(node: unknown, target: TriggerTarget, event: TriggerDef['event']): unknown {
  if (Array.isArray(node)) return node.map((n) => rewrite(n, target, event));
  if (!isPlain(node)) return node;
  if (node['kind'] === 'column' && typeof node['table'] === 'string' && node['schema'] === undefined) {
    const pseudo = node['table'].toLowerCase();
    const has = pseudo === 'new' ? event !== 'DELETE' : pseudo === 'old' ? event !== 'INSERT' : false;
    if (has) {
      const name = String(node['column']).toLowerCase();
      let i = target.columns.findIndex((c) => c.name.toLowerCase() === name);
      if (i < 0 && ROWID_NAMES.has(name) && target.rowidColumn !== undefined) i = target.rowidColumn;
      if (i >= 0) {
        const param: ParamExpr = {
          kind: 'param',
          index: undefined,
          name: pseudoParam(pseudo as 'new' | 'old', i),
          text: `${node['table']}.${String(node['column'])}`,
        };
        registerTriggerRef(param, target.columns[i]!);
        return param;
      }
    }
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) out[k] = rewrite(v, target, event);
  if (out['kind'] === 'raise') registerTriggerRaise(out as unknown as RaiseExpr);
  return out;
}

const programs = new WeakMap<TriggerDef, { readonly catalog: Catalog; readonly version: number; readonly program: TriggerProgram }>();

/** The trigger's program for `target`, compiled against the schema the statement sees. */
export function triggerProgram(trigger: TriggerDef, target: TriggerTarget, catalog: Catalog, txn: Transaction, env: StatementEnv): TriggerProgram {
  const shared = !catalog.hasPendingChanges(txn);
  const cached = programs.get(trigger);
  if (shared && cached && cached.catalog === catalog && cached.version === catalog.version) return cached.program;
  const program = compileTriggerProgram(trigger, target, () => env.compileContext(catalog, txn), env.compile);
  if (shared) programs.set(trigger, { catalog, version: catalog.version, program });
  return program;
}

/**
 * Compiles a trigger's WHEN and steps (`context` makes a fresh compile context for each; the
 * statement compiler is passed in, as compile.ts reaches this module through the DDL it compiles).
 */
export function compileTriggerProgram(
  trigger: TriggerDef,
  target: TriggerTarget,
  context: () => CompileContext,
  compile: StatementEnv['compile'],
): TriggerProgram {
  const whenCtx = context();
  const when = trigger.when
    ? compileExpr(rewrite(trigger.when, target, trigger.event) as Expr, new Scope([], undefined, makeSubqueryCompiler(whenCtx))).evaluate
    : undefined;
  const steps = trigger.body.map((step) => compile(rewrite(step, target, trigger.event) as Statement, context()));
  return { when, whenSubqueries: whenCtx.subqueries, steps };
}

/** SQLite's restrictions on a trigger step (checked at CREATE TRIGGER). */
export function checkTriggerStep(step: TriggerBodyStatement): void {
  const schema = step.kind === 'insert' ? step.schema : step.kind === 'select' ? undefined : step.target.schema;
  if (schema !== undefined) {
    throw new QueryError('qualified table names are not allowed on INSERT, UPDATE, and DELETE statements within triggers', {
      remediation: 'Name the table without its schema.',
    });
  }
}
