import { QueryError, NoSuchColumnError, NoSuchTableError } from '@sochdb/core';
import { readRows, type AccessPath } from '../exec/access.js';
import { prepareSubqueries } from '../exec/select-exec.js';
import { constantValue } from '../expr/constant.js';
import { compileExpr, containsAggregate } from '../expr/expr.js';
import { Scope, type Evaluator, type ScopeSource } from '../expr/scope.js';
import type { ConflictResolution, DeleteStatement, Expr, ResultColumn, SetClause, TableSource, UpdateStatement } from '../parse/index.js';
import { chooseAccess, conjunctsOf, searchArguments } from '../plan/plan-access.js';
import { makeSubqueryCompiler } from '../plan/plan-select.js';
import type { CompileContext } from '../plan/plan-types.js';
import { columnIndex, storedDefaults, type TableDef } from '../schema/schema.js';
import { applyAffinity, truth, type SqlValue } from '../values/values.js';
import type { DmlContext } from '../write/dml-context.js';
import type { RowTriggers } from '../write/row-triggers.js';
import { keepsEarlierRows } from '../write/row-triggers.js';
import { decodeStored, deleteRow, updateRow, writeSequences } from '../write/table-writer.js';
import type { ExecContext, Executable, StatementResult } from './statement.js';

// UPDATE and DELETE, and what every write statement shares (INSERT is in insert.ts): the target
// table, the statement's DmlContext, RETURNING, and completing the statement.

/** The table a write statement changes (views and unknown names are errors). */
export function targetTable(name: string, schema: string | undefined, ctx: CompileContext): TableDef {
  if (schema !== undefined && !['main', 'temp'].includes(schema.toLowerCase())) throw new QueryError(`unknown database ${schema}`);
  const table = ctx.table(name);
  if (table) return table;
  if (ctx.view(name)) throw new QueryError(`cannot modify ${name} because it is a view`, { remediation: "Write to the view's underlying tables." });
  throw new NoSuchTableError(`no such table: ${name}`, { remediation: 'Create it with CREATE TABLE, or check the name.' });
}

/** A statement's DmlContext; methods on a class, so a statement allocates one object and no closures. */
class StatementDml implements DmlContext {
  readonly keys;
  readonly writes;
  readonly triggers;
  readonly rt;
  readonly deferred: (() => Promise<void>)[];
  readonly afterTriggers: (() => Promise<void>)[];
  readonly rowids;
  readonly committed;
  readonly sequences: Set<TableDef>;
  readonly sqlTriggers: RowTriggers | undefined;
  readonly nested: boolean;
  readonly foreignKeys: boolean;

  constructor(
    private readonly ec: ExecContext,
    readonly onRow: ((values: readonly SqlValue[]) => void) | undefined = undefined,
  ) {
    this.keys = ec.keys;
    this.writes = ec.writes;
    this.triggers = ec.triggers;
    this.rt = ec.rt;
    this.rowids = ec.rowids;
    this.committed = ec.committed;
    const frame = ec.frame;
    this.nested = frame !== undefined;
    this.deferred = frame?.deferred ?? [];
    this.afterTriggers = frame?.afterTriggers ?? [];
    this.sequences = frame?.sequences ?? new Set();
    this.sqlTriggers = ec.env?.rowTriggers(ec, this);
    this.foreignKeys = ec.env?.foreignKeys ?? true;
  }

  table(name: string): TableDef | undefined {
    return this.ec.catalog.table(name, this.ec.txn);
  }

  allTables(): readonly TableDef[] {
    return this.ec.catalog.allTables(this.ec.txn);
  }
}

export function dmlContext(ec: ExecContext, onRow?: (values: readonly SqlValue[]) => void): DmlContext {
  return new StatementDml(ec, onRow);
}

/**
 * Runs the deferred foreign-key checks and then the AFTER hooks (either may still abort the
 * statement), then hands the statement's writes to the transaction.
 */
export function complete(dc: DmlContext): Promise<void> {
  // A trigger program's statement hands its writes to the firing statement's buffer; the
  // outermost statement runs the checks and hooks they queued.
  if (dc.nested) return dc.writes.flush();
  if (dc.sequences.size > 0) writeSequences(dc);
  if (dc.deferred.length === 0 && dc.afterTriggers.length === 0) return dc.writes.flush();
  return (async () => {
    for (const check of dc.deferred) await check();
    for (const hook of dc.afterTriggers) await hook();
    await dc.writes.flush();
  })();
}

/**
 * A statement that failed: RAISE(FAIL) keeps the rows changed before it (the statement completes
 * as if it had ended there, and reports the error); anything else undoes the whole statement.
 */
export async function failed(error: unknown, dc: DmlContext, partial: StatementResult): Promise<StatementResult> {
  if (!keepsEarlierRows(error)) throw error;
  await complete(dc);
  return { ...partial, error };
}

/** A row as the statement's writes (its triggers' included) now hold it; undefined once deleted. */
async function currentRow(ec: ExecContext, table: TableDef, key: Buffer): Promise<SqlValue[] | undefined> {
  const stored = await ec.writes.get(key);
  return stored === undefined ? undefined : decodeStored(table, stored);
}

export function tableScope(table: TableDef, alias: string, ctx: CompileContext, extra: { alias: string; table: TableDef } | undefined = undefined): Scope {
  const sources: ScopeSource[] = [{ alias, columns: table.columns, offset: 0 }];
  if (extra) sources.push({ alias: extra.alias, columns: extra.table.columns, offset: table.columns.length, qualifiedOnly: true });
  return new Scope(sources, undefined, makeSubqueryCompiler(ctx));
}

/** RETURNING: result columns computed from each written row. */
interface Returning {
  readonly columns: readonly string[];
  readonly projection: readonly Evaluator[];
}

export function compileReturning(items: readonly ResultColumn[] | undefined, table: TableDef, scope: Scope): Returning | undefined {
  if (!items) return undefined;
  const columns: string[] = [];
  const projection: Evaluator[] = [];
  for (const item of items) {
    if (item.kind === 'star' || item.kind === 'tableStar') {
      if (item.kind === 'tableStar' && !scope.hasSource(item.table)) throw new NoSuchTableError(`no such table: ${item.table}`);
      table.columns.forEach((c, i) => {
        columns.push(c.name);
        projection.push((env) => env.row[i]!);
      });
      continue;
    }
    if (containsAggregate(item.expr)) throw new QueryError('aggregate functions are not allowed in RETURNING');
    projection.push(compileExpr(item.expr, scope).evaluate);
    columns.push(item.alias ?? (item.expr.kind === 'column' ? (table.columns[columnIndex(table, item.expr.column)]?.name ?? item.expr.column) : item.text));
  }
  return { columns, projection };
}

/** Collects RETURNING rows as the statement writes; they are returned only if it succeeds. */
export function returningCollector(
  ret: Returning | undefined,
  ec: ExecContext,
): { rows: SqlValue[][]; onRow: ((values: readonly SqlValue[]) => void) | undefined } {
  const rows: SqlValue[][] = [];
  if (!ret) return { rows, onRow: undefined };
  const env = { row: [] as SqlValue[], outer: undefined, rt: ec.rt };
  return {
    rows,
    onRow: (values) => {
      env.row = values as SqlValue[];
      rows.push(ret.projection.map((f) => f(env)));
    },
  };
}

export function modeOf(or: ConflictResolution | undefined): 'ABORT' | 'IGNORE' | 'REPLACE' {
  if (or === 'FAIL' || or === 'ROLLBACK') {
    // FAIL keeps the rows written before the failing one and ROLLBACK ends the transaction:
    // refused rather than run as ABORT, which would keep different data.
    throw new QueryError(`OR ${or} is not supported`, { remediation: 'Use OR ABORT (the default), OR IGNORE or OR REPLACE.' });
  }
  return or === 'IGNORE' ? 'IGNORE' : or === 'REPLACE' ? 'REPLACE' : 'ABORT';
}

/** `SET a = x, (b, c) = (y, z)` as column positions and evaluators (a row subquery is read once per row). */
export function compileSets(sets: readonly SetClause[], table: TableDef, scope: Scope): { i: number; f: Evaluator }[] {
  const out: { i: number; f: Evaluator }[] = [];
  const columnOf = (name: string) => {
    const i = columnIndex(table, name);
    if (i < 0)
      throw new NoSuchColumnError(`no such column: ${name}`, { remediation: `Columns of ${table.name}: ${table.columns.map((c) => c.name).join(', ')}.` });
    return i;
  };
  for (const s of sets) {
    if (s.columns.length === 1) {
      if (s.value.kind === 'row') throw new QueryError('row value misused');
      out.push({ i: columnOf(s.columns[0]!), f: compileExpr(s.value, scope).evaluate });
      continue;
    }
    const value: Expr = s.value;
    if (value.kind === 'row') {
      if (value.items.length !== s.columns.length) throw new QueryError(`${s.columns.length} columns assigned ${value.items.length} values`);
      s.columns.forEach((c, k) => out.push({ i: columnOf(c), f: compileExpr(value.items[k]!, scope).evaluate }));
    } else if (value.kind === 'subquery') {
      const handle = scope.compileSubquery(value.query, scope);
      if (handle.columnCount !== s.columns.length) throw new QueryError(`${s.columns.length} columns assigned ${handle.columnCount} values`);
      s.columns.forEach((c, k) => out.push({ i: columnOf(c), f: (env) => handle.rows(env, 1)[0]?.[k] ?? null }));
    } else throw new QueryError(`${s.columns.length} columns assigned 1 values`);
  }
  return out;
}

function refuseOrderLimit(stmt: UpdateStatement | DeleteStatement, verb: string): void {
  if (stmt.orderBy.length > 0 || stmt.limit !== undefined) {
    // SQLite accepts these only when built with SQLITE_ENABLE_UPDATE_DELETE_LIMIT, which is off by default.
    throw new QueryError(`ORDER BY and LIMIT are not allowed in ${verb}`, {
      remediation: `Select the rows with a subquery: ${verb} … WHERE rowid IN (SELECT … ORDER BY … LIMIT …).`,
    });
  }
}

/** The rows of `table` matching `where` (read before any write of the statement). */
function compileTarget(table: TableDef, target: TableSource, whereNode: Expr | undefined, ctx: CompileContext) {
  const alias = (target.alias ?? table.name).toLowerCase();
  const scope = tableScope(table, alias, ctx);
  if (containsAggregate(whereNode)) throw new QueryError('misuse of aggregate function in WHERE');
  const where = whereNode ? compileExpr(whereNode, scope).evaluate : undefined;
  const sargs = searchArguments(conjunctsOf(whereNode), scope, 0, table).filter((s) => s.uses.size === 0);
  const access: AccessPath = chooseAccess(
    table,
    sargs,
    table.columns.map((c) => c.name),
    target.indexedBy,
  );
  if (typeof target.indexedBy === 'string' && access.index?.name.toLowerCase() !== target.indexedBy.toLowerCase()) {
    if (!table.indexes.some((i) => i.name.toLowerCase() === target.indexedBy!.toLowerCase())) throw new QueryError(`no such index: ${target.indexedBy}`);
    throw new QueryError(`no query solution: index ${target.indexedBy} cannot be used`);
  }
  const defaults = storedDefaults(table, constantValue);
  const explain =
    access.kind === 'scan' ? `SCAN ${alias}` : `SEARCH ${alias} USING ${access.kind === 'pk' ? 'PRIMARY KEY' : `INDEX ${access.index!.name}`} ${access.detail}`;
  return {
    scope,
    explain,
    async find(ec: ExecContext): Promise<{ key: Buffer; values: SqlValue[] }[]> {
      const env = { row: [] as SqlValue[], outer: undefined, rt: ec.rt };
      const out: { key: Buffer; values: SqlValue[] }[] = [];
      for await (const batch of readRows(ec.base, ec.keys, table, access, env, defaults)) {
        for (const r of batch) {
          env.row = r.values;
          if (!where || truth(where(env)) === true) out.push(r);
        }
      }
      return out;
    },
  };
}

export function compileUpdate(stmt: UpdateStatement, ctx: CompileContext): Executable {
  if (stmt.with) throw new QueryError('WITH before UPDATE is not supported yet', { remediation: 'Use a subquery in the WHERE clause.' });
  if (stmt.from)
    throw new QueryError('UPDATE … FROM is not supported yet', { remediation: 'Use a correlated subquery in SET, e.g. SET x = (SELECT … WHERE …).' });
  refuseOrderLimit(stmt, 'UPDATE');
  const table = targetTable(stmt.target.name, stmt.target.schema, ctx);
  const target = compileTarget(table, stmt.target, stmt.where, ctx);
  const sets = compileSets(stmt.sets, table, target.scope);
  const setColumns = new Set(sets.map((s) => s.i));
  const mode = modeOf(stmt.or);
  if (mode !== 'ABORT') throw new QueryError(`UPDATE OR ${stmt.or} is not supported yet`, { remediation: 'Use a plain UPDATE.' });
  const returning = compileReturning(stmt.returning, table, target.scope);
  const subqueries = ctx.subqueries;
  return {
    kind: 'write',
    subqueries,
    columns: returning?.columns ?? [],
    explain: () => [target.explain],
    async run(ec): Promise<StatementResult> {
      await prepareSubqueries(subqueries, ec.rt, { reader: ec.base, keys: ec.keys, cache: ec.rowCache });
      const rows = await target.find(ec);
      const collected = returningCollector(returning, ec);
      const dc = dmlContext(ec, collected.onRow);
      const env = { row: [] as SqlValue[], outer: undefined, rt: ec.rt };
      // With SQL triggers, an earlier row's trigger may have changed or deleted a later row: each
      // row is read again before it is updated, as SQLite does.
      const reread = dc.sqlTriggers?.has(table, 'UPDATE') === true;
      let affected = 0;
      try {
        for (const r of rows) {
          const old = reread ? await currentRow(ec, table, r.key) : r.values;
          if (!old) continue;
          env.row = old;
          const next = old.slice();
          for (const s of sets) next[s.i] = applyAffinity(s.f(env), table.columns[s.i]!.affinity);
          if (await updateRow(dc, table, r.key, old, next, setColumns)) affected++;
        }
      } catch (error) {
        return failed(error, dc, { rows: collected.rows, columns: returning?.columns ?? [], rowsAffected: affected, lastInsertRowid: undefined });
      }
      await complete(dc);
      return { rows: collected.rows, columns: returning?.columns ?? [], rowsAffected: affected, lastInsertRowid: undefined };
    },
  };
}

export function compileDelete(stmt: DeleteStatement, ctx: CompileContext): Executable {
  if (stmt.with) throw new QueryError('WITH before DELETE is not supported yet', { remediation: 'Use a subquery in the WHERE clause.' });
  refuseOrderLimit(stmt, 'DELETE');
  const table = targetTable(stmt.target.name, stmt.target.schema, ctx);
  const target = compileTarget(table, stmt.target, stmt.where, ctx);
  const returning = compileReturning(stmt.returning, table, target.scope);
  const subqueries = ctx.subqueries;
  return {
    kind: 'write',
    subqueries,
    columns: returning?.columns ?? [],
    explain: () => [target.explain],
    async run(ec): Promise<StatementResult> {
      await prepareSubqueries(subqueries, ec.rt, { reader: ec.base, keys: ec.keys, cache: ec.rowCache });
      const rows = await target.find(ec);
      const collected = returningCollector(returning, ec);
      const dc = dmlContext(ec);
      const reread = dc.sqlTriggers?.has(table, 'DELETE') === true;
      let affected = 0;
      try {
        for (const r of rows) {
          const values = reread ? await currentRow(ec, table, r.key) : r.values;
          if (!values) continue;
          collected.onRow?.(values);
          if (await deleteRow(dc, table, r.key, values)) affected++;
        }
      } catch (error) {
        return failed(error, dc, { rows: collected.rows, columns: returning?.columns ?? [], rowsAffected: affected, lastInsertRowid: undefined });
      }
      await complete(dc);
      return { rows: collected.rows, columns: returning?.columns ?? [], rowsAffected: affected, lastInsertRowid: undefined };
    },
  };
}
