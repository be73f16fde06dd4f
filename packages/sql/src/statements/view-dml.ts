import { QueryError, NoSuchColumnError } from '@sochdb/core';
import { prepareSubqueries, runQuery } from '../exec/select-exec.js';
import { compileExpr } from '../expr/expr.js';
import { Scope, type SourceColumn } from '../expr/scope.js';
import type { DeleteStatement, Expr, InsertStatement, ResultColumn, Select, UpdateStatement } from '../parse/index.js';
import { compileQuery, makeSubqueryCompiler } from '../plan/plan-select.js';
import type { CompileContext, QueryPlan } from '../plan/plan-types.js';
import { nameKey, type TableDef, type ViewDef } from '../schema/schema.js';
import { isSchemaTable } from '../schema/sqlite-master.js';
import type { SqlValue } from '../values/values.js';
import { compileReturning, complete, dmlContext, failed, returningCollector, tableScope } from './dml.js';
import type { ExecContext, Executable, StatementResult } from './statement.js';
import { firesFor, runTrigger } from './trigger-run.js';

// INSERT, UPDATE and DELETE on a view, made possible by its INSTEAD OF triggers: the rows the
// statement would change are computed (the view's rows matching WHERE, with SET applied; or the
// rows to insert), and each fires the triggers in place of any write, as in SQLite. Without a
// trigger for the statement (for UPDATE: one whose OF columns the SET names) a view cannot be
// written. As in SQLite, changes() counts no row of such a statement.

type ViewWrite = InsertStatement | UpdateStatement | DeleteStatement;

const cannotModify = (name: string) =>
  new QueryError(`cannot modify ${name} because it is a view`, { remediation: "Write to the view's tables, or give the view INSTEAD OF triggers." });

/** The INSTEAD OF triggers for a write to `name`, or undefined when `name` is not a view. */
export function viewTarget(stmt: ViewWrite, ctx: CompileContext): ViewDef | undefined {
  const name = stmt.kind === 'insert' ? stmt.table : stmt.target.name;
  if (ctx.table(name)) return undefined;
  if (isSchemaTable(name))
    throw new QueryError('table sqlite_master may not be modified', { remediation: 'The schema changes through CREATE, DROP and ALTER statements.' });
  return ctx.view(name);
}

export function compileViewWrite(stmt: ViewWrite, view: ViewDef, ctx: CompileContext): Executable {
  const event = stmt.kind === 'insert' ? 'INSERT' : stmt.kind === 'update' ? 'UPDATE' : 'DELETE';
  const plan = compileQuery(view.query, undefined, { ...ctx, ctes: undefined, subqueries: [] });
  const columns: SourceColumn[] = plan.columns.map((c, i) => ({ name: view.columns?.[i] ?? c, affinity: plan.affinities[i] }));
  const indexOf = (name: string) => columns.findIndex((c) => nameKey(c.name) === nameKey(name));
  const all = (ctx.triggers?.(view.name) ?? []).filter((t) => t.timing === 'INSTEAD OF' && t.event === event);
  if (all.length === 0) throw cannotModify(view.name);
  if (stmt.kind === 'insert' && stmt.upsert.length > 0) throw new QueryError('cannot UPSERT a view');
  if (stmt.with) throw new QueryError(`WITH before ${event} is not supported yet`);
  const body = stmt.kind === 'insert' ? insertRows(stmt, view, columns, indexOf, ctx) : matchingRows(stmt, view, columns, indexOf, ctx);
  const setColumns = stmt.kind === 'update' ? new Set(stmt.sets.flatMap((s) => s.columns.map(indexOf))) : undefined;
  const triggers = all.filter((t) => firesFor(t, setColumns, indexOf));
  if (triggers.length === 0) throw cannotModify(view.name);
  // A stand-in table over the view's columns, for RETURNING.
  const pseudo: TableDef = {
    name: view.name,
    columns: columns.map((c) => ({ name: c.name, declaredType: '', affinity: c.affinity ?? 'BLOB', notNull: false, defaultSql: undefined })),
    primaryKey: [],
    rowidColumn: undefined,
    checks: [],
    foreignKeys: [],
    indexes: [],
  };
  const returning = compileReturning(stmt.returning, pseudo, tableScope(pseudo, nameKey(view.name), ctx));
  const subqueries = ctx.subqueries;
  return {
    kind: 'write',
    subqueries,
    explain: () => [`${event} ${view.name} (INSTEAD OF triggers)`],
    async run(ec): Promise<StatementResult> {
      await prepareSubqueries(subqueries, ec.rt, { reader: ec.base, keys: ec.keys, cache: ec.rowCache });
      const rows = await body(ec);
      const collected = returningCollector(returning, ec);
      const dc = dmlContext(ec);
      const target = { columns, rowidColumn: undefined };
      const partial = { rows: collected.rows, columns: returning?.columns ?? [], rowsAffected: 0, lastInsertRowid: undefined };
      try {
        for (const row of rows) {
          collected.onRow?.(row.newRow ?? row.oldRow!);
          for (const trigger of triggers) {
            if ((await runTrigger(ec, dc, trigger, target, row.oldRow, row.newRow)) === 'ignored') break;
          }
        }
      } catch (error) {
        return failed(error, dc, partial);
      }
      await complete(dc);
      return partial;
    },
  };
}

interface ViewRow {
  readonly oldRow: SqlValue[] | undefined;
  readonly newRow: SqlValue[] | undefined;
}

type RowsOf = (ec: ExecContext) => Promise<ViewRow[]>;

/** INSERT INTO view: each row of VALUES / SELECT / DEFAULT VALUES as NEW (unnamed columns NULL, no affinity applied, as in SQLite). */
function insertRows(stmt: InsertStatement, view: ViewDef, columns: readonly SourceColumn[], indexOf: (name: string) => number, ctx: CompileContext): RowsOf {
  const targets = stmt.columns
    ? stmt.columns.map((n) => {
        const i = indexOf(n);
        if (i < 0) throw new NoSuchColumnError(`table ${view.name} has no column named ${n}`);
        return i;
      })
    : columns.map((_, i) => i);
  const place = (values: readonly SqlValue[]) => {
    const row: SqlValue[] = columns.map(() => null);
    targets.forEach((c, k) => (row[c] = values[k]!));
    return { oldRow: undefined, newRow: row };
  };
  const source = stmt.source;
  if (source.kind === 'defaults') return async () => [{ oldRow: undefined, newRow: columns.map(() => null) }];
  const width = (n: number) => {
    if (n !== targets.length) throw new QueryError(`table ${view.name} has ${targets.length} columns but ${n} values were supplied`);
  };
  if (source.kind === 'values') {
    const scope = new Scope([], undefined, makeSubqueryCompiler(ctx));
    const rows = source.rows.map((r) => {
      width(r.length);
      return r.map((e) => compileExpr(e, scope).evaluate);
    });
    return async (ec) => rows.map((r) => place(r.map((f) => f({ row: [], outer: undefined, rt: ec.rt }))));
  }
  const select = compileQuery(source.query, undefined, ctx);
  width(select.columns.length);
  return async (ec) => (await runQuery(select, { row: [], outer: undefined, rt: ec.rt }, { reader: ec.base, keys: ec.keys, cache: ec.rowCache })).map(place);
}

/** UPDATE / DELETE on a view: its rows matching WHERE as OLD, and for UPDATE the row with SET applied as NEW. */
function matchingRows(
  stmt: UpdateStatement | DeleteStatement,
  view: ViewDef,
  columns: readonly SourceColumn[],
  indexOf: (name: string) => number,
  ctx: CompileContext,
): RowsOf {
  if (stmt.orderBy.length > 0 || stmt.limit !== undefined) throw new QueryError(`ORDER BY and LIMIT are not allowed in ${stmt.kind.toUpperCase()}`);
  const sets: { i: number; expr: Expr }[] = [];
  if (stmt.kind === 'update') {
    if (stmt.from) throw new QueryError('UPDATE … FROM is not supported yet');
    for (const s of stmt.sets) {
      if (s.columns.length === 1) sets.push({ i: indexOf(s.columns[0]!), expr: s.value });
      else if (s.value.kind === 'row' && s.value.items.length === s.columns.length)
        s.columns.forEach((c, k) => sets.push({ i: indexOf(c), expr: (s.value as { items: readonly Expr[] }).items[k]! }));
      else throw new QueryError('row-value SET on a view is not supported yet');
    }
    const missing = stmt.sets.flatMap((s) => s.columns).find((c) => indexOf(c) < 0);
    if (missing !== undefined) throw new NoSuchColumnError(`no such column: ${missing}`);
  }
  // SELECT <the view's columns>, <each SET value> FROM view WHERE … (the view by its own name, as SQLite reads it).
  const name = view.name;
  const resultColumns: ResultColumn[] = [
    ...columns.map((c): ResultColumn => ({
      kind: 'expr',
      expr: { kind: 'column', schema: undefined, table: name, column: c.name, doubleQuoted: false },
      alias: undefined,
      text: c.name,
    })),
    ...sets.map((s): ResultColumn => ({ kind: 'expr', expr: s.expr, alias: undefined, text: 'set' })),
  ];
  const query: Select = {
    with: undefined,
    first: {
      kind: 'select',
      distinct: false,
      columns: resultColumns,
      from: {
        items: [
          {
            item: { kind: 'table', schema: undefined, name, alias: undefined, indexedBy: undefined, args: undefined },
            join: undefined,
            on: undefined,
            using: undefined,
          },
        ],
      },
      where: stmt.where,
      groupBy: [],
      having: undefined,
      windows: [],
    },
    compounds: [],
    orderBy: [],
    limit: undefined,
    offset: undefined,
  };
  const plan: QueryPlan = compileQuery(query, undefined, ctx);
  const width = columns.length;
  return async (ec) => {
    const rows = await runQuery(plan, { row: [], outer: undefined, rt: ec.rt }, { reader: ec.base, keys: ec.keys, cache: ec.rowCache });
    return rows.map((r) => {
      const oldRow = r.slice(0, width);
      if (stmt.kind === 'delete') return { oldRow, newRow: undefined };
      const newRow = oldRow.slice();
      sets.forEach((s, k) => (newRow[s.i] = r[width + k]!));
      return { oldRow, newRow };
    });
  };
}
