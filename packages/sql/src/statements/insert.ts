import { QueryError, NoSuchColumnError } from '@sochdb/core';
import { prepareSubqueries, runQuery } from '../exec/select-exec.js';
import { compileExpr } from '../expr/expr.js';
import { Scope, type Evaluator } from '../expr/scope.js';
import type { InsertStatement, UpsertClause } from '../parse/index.js';
import { compileQuery, makeSubqueryCompiler } from '../plan/plan-select.js';
import type { CompileContext, QueryPlan } from '../plan/plan-types.js';
import { columnIndex, defaultExprOf, type TableDef } from '../schema/schema.js';
import { applyAffinity, truth, type SqlValue } from '../values/values.js';
import type { ConflictMode, DmlContext } from '../write/dml-context.js';
import { insertRowSync, NEEDS_ASYNC } from '../write/insert-row-sync.js';
import { insertRow, updateRow } from '../write/table-writer.js';
import { compileReturning, compileSets, complete, dmlContext, failed, modeOf, returningCollector, tableScope, targetTable } from './dml.js';
import type { Executable } from './statement.js';

export function compileInsert(stmt: InsertStatement, ctx: CompileContext): Executable {
  if (stmt.with) throw new QueryError('WITH before INSERT is not supported yet', { remediation: "Put the WITH clause inside the INSERT's SELECT." });
  const table = targetTable(stmt.table, stmt.schema, ctx);
  const targets = targetColumns(stmt.columns, table);
  const constScope = new Scope([], undefined, makeSubqueryCompiler(ctx));
  const source = stmt.source;
  const { valueRows, select } = compileSource(source, table, targets, constScope, ctx);
  const defaults = table.columns.map((c) => {
    const e = defaultExprOf(c);
    return e ? compileExpr(e, constScope).evaluate : () => null;
  });
  const targetOf = table.columns.map((_, i) => (source.kind === 'defaults' ? -1 : targets.indexOf(i)));
  const modeFor = compileConflictMode(stmt, table, ctx);
  const returning = compileReturning(stmt.returning, table, tableScope(table, (stmt.alias ?? table.name).toLowerCase(), ctx));
  const subqueries = ctx.subqueries;
  return {
    kind: 'write',
    subqueries,
    columns: returning?.columns ?? [],
    explain: () => (select ? [`INSERT INTO ${table.name} SELECT`] : [`INSERT INTO ${table.name}`]),
    async run(ec) {
      if (subqueries.length > 0) await prepareSubqueries(subqueries, ec.rt, { reader: ec.base, keys: ec.keys, cache: ec.rowCache });
      const env = { row: [] as SqlValue[], outer: undefined, rt: ec.rt };
      // VALUES rows are evaluated one at a time, as each is inserted (as SQLite does): no input array per row.
      const inputs: readonly (readonly SqlValue[] | readonly Evaluator[])[] = select
        ? await runQuery(select, env, { reader: ec.base, keys: ec.keys, cache: ec.rowCache })
        : valueRows!;
      const collected = returningCollector(returning, ec);
      const dc = dmlContext(ec, collected.onRow);
      const mode = modeFor(dc);
      const columns = table.columns;
      let affected = 0;
      let lastRowid: bigint | undefined;
      const evaluated: SqlValue[] = [];
      try {
        for (const input of inputs) {
          let row = input as readonly SqlValue[];
          if (!select) {
            // In the order written; one scratch array for the statement.
            for (let k = 0; k < input.length; k++) evaluated[k] = (input[k] as Evaluator)(env);
            row = evaluated;
          }
          const values: SqlValue[] = [];
          for (let i = 0; i < columns.length; i++) {
            const at = targetOf[i]!;
            values.push(applyAffinity(at < 0 ? defaults[i]!(env) : row[at]!, columns[i]!.affinity));
          }
          let rowid = insertRowSync(dc, table, values, mode);
          if (rowid === NEEDS_ASYNC) rowid = await insertRow(dc, table, values, mode);
          if (rowid !== undefined) {
            affected++;
            lastRowid = rowid;
          }
        }
      } catch (error) {
        return failed(error, dc, { rows: collected.rows, columns: returning?.columns ?? [], rowsAffected: affected, lastInsertRowid: lastRowid });
      }
      await complete(dc);
      return { rows: collected.rows, columns: returning?.columns ?? [], rowsAffected: affected, lastInsertRowid: lastRowid };
    },
  };
}

/** The column positions the INSERT gives values for, in the order written (all columns when it names none). */
function targetColumns(names: readonly string[] | undefined, table: TableDef): number[] {
  return names
    ? names.map((n) => {
        const i = columnIndex(table, n);
        if (i < 0)
          throw new NoSuchColumnError(`table ${table.name} has no column named ${n}`, {
            remediation: `Columns: ${table.columns.map((c) => c.name).join(', ')}.`,
          });
        return i;
      })
    : table.columns.map((_, i) => i);
}

/** The rows to insert: VALUES rows of evaluators, a compiled SELECT, or (DEFAULT VALUES) one empty row. */
function compileSource(
  source: InsertStatement['source'],
  table: TableDef,
  targets: readonly number[],
  constScope: Scope,
  ctx: CompileContext,
): { valueRows: Evaluator[][] | undefined; select: QueryPlan | undefined } {
  if (source.kind === 'values') {
    const valueRows = source.rows.map((r) => r.map((e) => compileExpr(e, constScope).evaluate));
    valueRows.forEach((r) => {
      if (r.length !== targets.length)
        throw new QueryError(`table ${table.name} has ${targets.length} columns but ${r.length} values were supplied`, {
          remediation: 'Give one value per target column.',
        });
    });
    return { valueRows, select: undefined };
  }
  if (source.kind === 'select') {
    const select = compileQuery(source.query, undefined, ctx);
    if (select.columns.length !== targets.length)
      throw new QueryError(`table ${table.name} has ${targets.length} columns but ${select.columns.length} values were supplied`);
    return { valueRows: undefined, select };
  }
  return { valueRows: [[]], select: undefined };
}

/**
 * What a row that collides with an existing one does: the ON CONFLICT clause's action (DO
 * NOTHING, DO UPDATE), else the statement's OR clause (ABORT by default). A DO UPDATE writes
 * through the statement's DmlContext, so the mode is made per execution.
 */
function compileConflictMode(stmt: InsertStatement, table: TableDef, ctx: CompileContext): (dc: DmlContext) => ConflictMode {
  const upsert = compileUpsert(stmt.upsert, table, ctx);
  const baseMode = modeOf(stmt.or);
  return (dc) => (typeof upsert === 'function' ? upsert(dc) : upsert === 'IGNORE' ? 'IGNORE' : baseMode);
}

/** `ON CONFLICT …`: 'IGNORE' for DO NOTHING, the update to run for DO UPDATE, undefined without the clause. */
function compileUpsert(clauses: readonly UpsertClause[], table: TableDef, ctx: CompileContext): ((dc: DmlContext) => ConflictMode) | 'IGNORE' | undefined {
  if (clauses.length === 0) return undefined;
  if (clauses.length > 1)
    throw new QueryError('more than one ON CONFLICT clause is not supported yet', { remediation: 'Use one ON CONFLICT clause per INSERT.' });
  const clause = clauses[0]!;
  checkConflictTarget(clause, table);
  const action = clause.action;
  if (action.kind === 'nothing') return 'IGNORE';
  return compileDoUpdate(action, table, ctx);
}

/** The conflict target must name a PRIMARY KEY or UNIQUE constraint's columns; DO UPDATE needs one. */
function checkConflictTarget(clause: UpsertClause, table: TableDef): void {
  if (clause.target) {
    const cols = clause.target.columns.map((c) => {
      if (c.expr.kind !== 'column') throw new QueryError('ON CONFLICT targets on expressions are not supported');
      const i = columnIndex(table, c.expr.column);
      if (i < 0) throw new NoSuchColumnError(`no such column: ${c.expr.column}`);
      return i;
    });
    const same = (a: readonly number[]) => a.length === cols.length && a.every((c) => cols.includes(c));
    if (clause.target.where || !(same(table.primaryKey) || table.indexes.some((x) => x.unique && same(x.columns)))) {
      throw new QueryError('ON CONFLICT clause does not match any PRIMARY KEY or UNIQUE constraint', {
        remediation: 'Name the columns of a PRIMARY KEY or UNIQUE constraint.',
      });
    }
  } else if (clause.action.kind === 'update') {
    throw new QueryError('ON CONFLICT DO UPDATE needs a conflict target', { remediation: 'Write ON CONFLICT (column, …) DO UPDATE.' });
  }
}

/** `DO UPDATE SET … [WHERE …]` over the existing row, with the proposed one as `excluded`. */
function compileDoUpdate(action: Extract<UpsertClause['action'], { kind: 'update' }>, table: TableDef, ctx: CompileContext): (dc: DmlContext) => ConflictMode {
  const scope = tableScope(table, table.name.toLowerCase(), ctx, { alias: 'excluded', table });
  const sets = compileSets(action.sets, table, scope);
  const setColumns = new Set(sets.map((s) => s.i));
  const where = action.where ? compileExpr(action.where, scope).evaluate : undefined;
  return (dc) => ({
    update: async (key, existing, excluded) => {
      const env = { row: [...existing, ...excluded], outer: undefined, rt: dc.rt };
      if (where && truth(where(env)) !== true) return;
      const next = existing.slice();
      for (const s of sets) next[s.i] = applyAffinity(s.f(env), table.columns[s.i]!.affinity);
      await updateRow(dc, table, key, existing, next, setColumns);
    },
  });
}
