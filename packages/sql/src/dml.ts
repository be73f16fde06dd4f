import { QueryError } from '@sochdb/core';
import { readRows, type AccessPath } from './access.js';
import { child, children, columnName, isNode, text, type Node } from './ast.js';
import { compileExpr } from './expr.js';
import type { OnConflict } from './parse.js';
import { chooseAccess, conjunctsOf, searchArguments } from './plan-access.js';
import { compileQuery, constantValue, makeSubqueryCompiler, queryOfSelect } from './plan-select.js';
import type { CompileContext, QueryPlan } from './plan-types.js';
import { columnIndex, storedDefaults, type TableDef } from './schema.js';
import { Scope, type Evaluator, type ScopeSource } from './scope.js';
import { prepareSubqueries, runQuery } from './select-exec.js';
import type { ExecContext, Executable, StatementResult } from './statement.js';
import { insertRowSync, NEEDS_ASYNC } from './insert-row-sync.js';
import { deleteRow, insertRow, updateRow, type ConflictMode, type DmlContext } from './table-writer.js';
import { applyAffinity, truth, type SqlValue } from './values.js';

function targetTable(ast: Node, ctx: CompileContext): { table: TableDef; alias: string } {
  if (ast['returning']) throw new QueryError('RETURNING is not supported', { remediation: 'Run a SELECT after the statement, in the same transaction.' });
  const item = children(ast, 'table')[0];
  const name = item ? text(item, 'table') : undefined;
  const table = name ? ctx.table(name) : undefined;
  if (!table) throw new QueryError(`no such table: ${name ?? '?'}`, { remediation: 'Create it with CREATE TABLE, or check the name.' });
  return { table, alias: (text(item!, 'as') ?? table.name).toLowerCase() };
}

/** A statement's DmlContext; methods on a class, so a statement allocates one object and no closures. */
class StatementDml implements DmlContext {
  readonly keys;
  readonly writes;
  readonly triggers;
  readonly rt;
  readonly deferred: (() => Promise<void>)[] = [];
  readonly afterTriggers: (() => Promise<void>)[] = [];
  readonly rowids;
  readonly committed;

  constructor(private readonly ec: ExecContext) {
    this.keys = ec.keys;
    this.writes = ec.writes;
    this.triggers = ec.triggers;
    this.rt = ec.rt;
    this.rowids = ec.rowids;
    this.committed = ec.committed;
  }

  table(name: string): TableDef | undefined {
    return this.ec.catalog.table(name, this.ec.txn);
  }

  allTables(): readonly TableDef[] {
    return this.ec.catalog.allTables(this.ec.txn);
  }
}

export function dmlContext(ec: ExecContext): DmlContext {
  return new StatementDml(ec);
}

/**
 * Runs the deferred foreign-key checks and then the AFTER hooks (either may still abort the
 * statement), then hands the statement's writes to the transaction.
 */
function complete(dc: DmlContext): Promise<void> {
  if (dc.deferred.length === 0 && dc.afterTriggers.length === 0) return dc.writes.flush();
  return (async () => {
    for (const check of dc.deferred) await check();
    for (const hook of dc.afterTriggers) await hook();
    await dc.writes.flush();
  })();
}

function tableScope(table: TableDef, alias: string, ctx: CompileContext, extra: { alias: string; table: TableDef } | undefined = undefined): Scope {
  const sources: ScopeSource[] = [{ alias, columns: table.columns, offset: 0 }];
  if (extra) sources.push({ alias: extra.alias, columns: extra.table.columns, offset: table.columns.length, qualifiedOnly: true });
  return new Scope(sources, undefined, makeSubqueryCompiler(ctx));
}

export function compileInsert(ast: Node, onConflict: OnConflict | undefined, ctx: CompileContext): Executable {
  const { table } = targetTable(ast, ctx);
  const named = Array.isArray(ast['columns']) ? (ast['columns'] as unknown[]).map((c) => columnName(c) ?? '') : undefined;
  const targets = named ? named.map((n) => {
    const i = columnIndex(table, n);
    if (i < 0) throw new QueryError(`table ${table.name} has no column named ${n}`, { remediation: `Columns: ${table.columns.map((c) => c.name).join(', ')}.` });
    return i;
  }) : table.columns.map((_, i) => i);
  const constScope = new Scope([], undefined, makeSubqueryCompiler(ctx));
  const source = child(ast, 'values');
  let valueRows: Evaluator[][] | undefined;
  let select: QueryPlan | undefined;
  if (source?.type === 'values') {
    valueRows = children(source, 'values').map((r) => children(r, 'value').map((e) => compileExpr(e, constScope).evaluate));
    valueRows.forEach((r) => {
      if (r.length !== targets.length) throw new QueryError(`${r.length} values for ${targets.length} columns`, { remediation: `table ${table.name}: give one value per target column.` });
    });
  } else if (source && (source.type === 'select' || isNode(source['ast']))) {
    select = compileQuery(queryOfSelect(source.type === 'select' ? source : (source['ast'] as Node)), undefined, ctx);
    if (select.columns.length !== targets.length) throw new QueryError(`${select.columns.length} values for ${targets.length} columns`);
  } else throw new QueryError('INSERT needs VALUES or a SELECT');
  const defaults = table.columns.map((c) => (c.defaultExpr ? compileExpr(c.defaultExpr, constScope).evaluate : () => null));
  const targetOf = table.columns.map((_, i) => targets.indexOf(i));
  const orText = children(ast, 'or').map((o) => (text(o, 'value') ?? '').toUpperCase()).find((v) => v !== 'OR') ?? (ast.type === 'replace' ? 'REPLACE' : 'ABORT');
  let conflictUpdate: ((dc: DmlContext) => ConflictMode) | undefined;
  if (onConflict?.action === 'UPDATE') {
    const scope = tableScope(table, table.name.toLowerCase(), ctx, { alias: 'excluded', table });
    const sets = children(onConflict.update!, 'set').map((s) => {
      const i = columnIndex(table, columnName(s['column']) ?? '');
      if (i < 0) throw new QueryError(`no such column: ${columnName(s['column'])}`);
      return { i, f: compileExpr(child(s, 'value')!, scope).evaluate };
    });
    const whereNode = child(onConflict.update!, 'where');
    const where = whereNode ? compileExpr(whereNode, scope).evaluate : undefined;
    conflictUpdate = (dc) => ({
      update: async (key, existing, excluded) => {
        const env = { row: [...existing, ...excluded], outer: undefined, rt: dc.rt };
        if (where && truth(where(env)) !== true) return;
        const next = existing.slice();
        for (const s of sets) next[s.i] = applyAffinity(s.f(env), table.columns[s.i]!.affinity);
        await updateRow(dc, table, key, existing, next);
      },
    });
  }
  const modeFor = (dc: DmlContext): ConflictMode =>
    conflictUpdate ? conflictUpdate(dc) : onConflict?.action === 'NOTHING' || orText === 'IGNORE' ? 'IGNORE' : orText === 'REPLACE' ? 'REPLACE' : 'ABORT';
  const subqueries = ctx.subqueries;
  return {
    kind: 'write',
    subqueries,
    explain: () => (select ? [`INSERT INTO ${table.name} SELECT`] : [`INSERT INTO ${table.name}`]),
    async run(ec) {
      if (subqueries.length > 0) await prepareSubqueries(subqueries, ec.rt, { reader: ec.base, keys: ec.keys, cache: ec.rowCache });
      const env = { row: [] as SqlValue[], outer: undefined, rt: ec.rt };
      // VALUES rows are evaluated one at a time, as each is inserted (as SQLite does): no input array per row.
      const inputs: readonly (readonly SqlValue[] | readonly Evaluator[])[] = select ? await runQuery(select, env, { reader: ec.base, keys: ec.keys, cache: ec.rowCache }) : valueRows!;
      const dc = dmlContext(ec);
      const mode = modeFor(dc);
      const columns = table.columns;
      let affected = 0;
      let lastRowid: bigint | undefined;
      const evaluated: SqlValue[] = [];
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
      await complete(dc);
      return { rows: [], columns: [], rowsAffected: affected, lastInsertRowid: lastRowid };
    },
  };
}

/** The rows of `table` matching `where` (read before any write of the statement). */
function compileTarget(table: TableDef, alias: string, whereNode: Node | undefined, ctx: CompileContext) {
  const scope = tableScope(table, alias, ctx);
  const where = whereNode ? compileExpr(whereNode, scope).evaluate : undefined;
  const sargs = searchArguments(conjunctsOf(whereNode), scope, 0, table).filter((s) => s.uses.size === 0);
  const access: AccessPath = chooseAccess(table, sargs, table.columns.map((c) => c.name));
  const defaults = storedDefaults(table, constantValue);
  const explain = access.kind === 'scan' ? `SCAN ${alias}` : `SEARCH ${alias} USING ${access.kind === 'pk' ? 'PRIMARY KEY' : `INDEX ${access.index!.name}`} ${access.detail}`;
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

export function compileUpdate(ast: Node, ctx: CompileContext): Executable {
  const { table, alias } = targetTable(ast, ctx);
  const target = compileTarget(table, alias, child(ast, 'where'), ctx);
  const sets = children(ast, 'set').map((s) => {
    const name = columnName(s['column']) ?? '';
    const i = columnIndex(table, name);
    if (i < 0) throw new QueryError(`no such column: ${name}`, { remediation: `Columns of ${table.name}: ${table.columns.map((c) => c.name).join(', ')}.` });
    return { i, f: compileExpr(child(s, 'value')!, target.scope).evaluate };
  });
  const subqueries = ctx.subqueries;
  return {
    kind: 'write',
    subqueries,
    explain: () => [target.explain],
    async run(ec): Promise<StatementResult> {
      await prepareSubqueries(subqueries, ec.rt, { reader: ec.base, keys: ec.keys, cache: ec.rowCache });
      const rows = await target.find(ec);
      const dc = dmlContext(ec);
      const env = { row: [] as SqlValue[], outer: undefined, rt: ec.rt };
      for (const r of rows) {
        env.row = r.values;
        const next = r.values.slice();
        for (const s of sets) next[s.i] = applyAffinity(s.f(env), table.columns[s.i]!.affinity);
        await updateRow(dc, table, r.key, r.values, next);
      }
      await complete(dc);
      return { rows: [], columns: [], rowsAffected: rows.length, lastInsertRowid: undefined };
    },
  };
}

export function compileDelete(ast: Node, ctx: CompileContext): Executable {
  const from = children(ast, 'from')[0] ?? children(ast, 'table')[0];
  const { table, alias } = targetTable({ table: from ? [from] : [] }, ctx);
  const target = compileTarget(table, alias, child(ast, 'where'), ctx);
  const subqueries = ctx.subqueries;
  return {
    kind: 'write',
    subqueries,
    explain: () => [target.explain],
    async run(ec): Promise<StatementResult> {
      await prepareSubqueries(subqueries, ec.rt, { reader: ec.base, keys: ec.keys, cache: ec.rowCache });
      const rows = await target.find(ec);
      const dc = dmlContext(ec);
      for (const r of rows) await deleteRow(dc, table, r.key, r.values);
      await complete(dc);
      return { rows: [], columns: [], rowsAffected: rows.length, lastInsertRowid: undefined };
    },
  };
}
