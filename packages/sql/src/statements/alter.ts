import { QueryError, NoSuchColumnError, NoSuchTableError, decodeKey, encodeKey, keyRange } from '@sochdb/core';
import { FULL_SCAN, readRows } from '../exec/access.js';
import { constantValue } from '../expr/constant.js';
import { compileExpr } from '../expr/expr.js';
import { Scope } from '../expr/scope.js';
import { parseSql, type AlterTableStatement, type CreateTableStatement } from '../parse/index.js';
import { compileQuery } from '../plan/plan-select.js';
import type { CompileContext } from '../plan/plan-types.js';
import { renameInSql, type RenameRule } from '../schema/rename-sql.js';
import { encodeRow } from '../schema/row-codec.js';
import { addColumnSql, dropColumnSql, tableSqlOf } from '../schema/schema-sql.js';
import { checkExprOf, columnIndex, defaultExprOf, nameKey, storedDefaults, type TableDef, type ViewDef } from '../schema/schema.js';
import { isSchemaTable } from '../schema/sqlite-master.js';
import { triggerFromStatement, type TriggerDef } from '../schema/trigger-def.js';
import type { SqlValue } from '../values/values.js';
import { checkSchema, ddl, reservedName } from './ddl-common.js';
import { deleteRange, tableFromStatement } from './ddl.js';
import type { ExecContext, Executable } from './statement.js';
import { compileTriggerProgram } from './trigger-body.js';
import { tableTarget } from './trigger-run.js';

// ALTER TABLE: ADD COLUMN, RENAME TO, RENAME COLUMN and DROP COLUMN, with SQLite's (3.35+) rules
// and messages. The schema text (sqlite_master.sql) is edited as SQLite edits it, and a rename
// follows every reference: indexes, other tables' foreign keys, views and triggers
// (rename-sql.ts). Rows are keyed by table name and stored by column position, so RENAME TO moves
// the table's keys and DROP COLUMN rewrites each row without the column, in the same transaction
// as the new definition: every reader (another engine or process included, which reloads the
// schema when its version key moves) sees either the old table or the new one, never a mix.

export function compileAlter(stmt: AlterTableStatement): Executable {
  checkSchema(stmt.schema);
  const action = stmt.action;
  return ddl(`ALTER TABLE ${stmt.table}`, async (ec) => {
    const table = ec.catalog.table(stmt.table, ec.txn);
    if (!table) {
      if (isSchemaTable(stmt.table)) throw new QueryError('table sqlite_master may not be altered');
      if (ec.catalog.view(stmt.table, ec.txn)) {
        if (action.kind === 'renameColumn') throw new QueryError(`cannot rename columns of view "${stmt.table}"`);
        if (action.kind === 'dropColumn') throw new QueryError(`cannot drop column from view "${stmt.table}"`);
        throw new QueryError(`view ${stmt.table} may not be altered`, { remediation: 'Drop the view and create it again under the new name.' });
      }
      throw new NoSuchTableError(`no such table: ${stmt.table}`);
    }
    if (action.kind !== 'addColumn' && table.name.toLowerCase().startsWith('sqlite_')) throw new QueryError(`table ${table.name} may not be altered`);
    switch (action.kind) {
      case 'addColumn':
        return addColumn(ec, table, action.column, action.text);
      case 'renameTable':
        return renameTable(ec, table, action.to);
      case 'renameColumn':
        return renameColumn(ec, table, action.from, action.to, action.quoted === true);
      case 'dropColumn':
        return dropColumn(ec, table, action.column);
    }
  });
}

async function addColumn(ec: ExecContext, table: TableDef, column: CreateTableStatement['columns'][number], text: string): Promise<void> {
  const probe = tableFromStatement({ name: table.name, columns: [column], constraints: [] });
  const col = probe.columns[0]!;
  if (columnIndex(table, col.name) >= 0) throw new QueryError(`duplicate column name: ${col.name}`);
  if (probe.primaryKey.length > 0 || probe.indexes.some((i) => i.unique))
    throw new QueryError('cannot add a PRIMARY KEY or UNIQUE column', { remediation: 'Add the column, then CREATE UNIQUE INDEX on it.' });
  const dflt = constantValue(defaultExprOf(col));
  if (col.notNull && dflt === null)
    throw new QueryError('cannot add a NOT NULL column with default value NULL', { remediation: 'Give the column a non-NULL DEFAULT.' });
  const next: TableDef = {
    ...table,
    columns: [...table.columns, col],
    checks: [...table.checks, ...probe.checks],
    foreignKeys: [...table.foreignKeys, ...probe.foreignKeys.map((fk) => ({ ...fk, columns: [table.columns.length] }))],
    sql: addColumnSql(tableSqlOf(table), text),
  };
  await ec.catalog.save(table.name, next, ec.writes.base, ec.txn);
}

/** The CREATE TABLE statement of a schema text. */
function parseCreateTable(sql: string): CreateTableStatement {
  const [statement] = parseSql(sql);
  if (statement?.kind !== 'createTable') throw new QueryError(`not a CREATE TABLE statement: ${sql}`);
  return statement;
}

/** A table's definition read again from its edited text, keeping what the text does not say (its stored indexes, creation order). */
function rederive(old: TableDef, sql: string, indexes = old.indexes): TableDef {
  const fresh = tableFromStatement(parseCreateTable(sql));
  const { pkIndex: _pk, autoincrement: _ai, ...rest } = fresh;
  return {
    ...rest,
    indexes,
    sql,
    ...(old.autoincrement ? { autoincrement: true } : {}),
    ...(old.pkIndex ? { pkIndex: old.pkIndex } : {}),
    ...(old.createdAt === undefined ? {} : { createdAt: old.createdAt }),
  };
}

const columnsOf = (ec: ExecContext) => (name: string) => ec.catalog.table(name, ec.txn)?.columns.map((c) => c.name);

/**
 * The schema objects one ALTER TABLE changes, computed before anything is written: checked as a
 * whole first (SQLite's "error in view v after rename: …"), then saved, so a refused ALTER leaves
 * no partial change behind, in a transaction either.
 */
interface SchemaChange {
  /** By lower-cased name; null drops the table (the old name of a renamed one). */
  readonly tables: Map<string, { readonly name: string; readonly def: TableDef | null }>;
  readonly views: ViewDef[];
  readonly triggers: TriggerDef[];
}

/** Adds every other schema object's text edited by `rule`: other tables (their foreign keys), views and triggers. */
function renameReferences(ec: ExecContext, change: SchemaChange, rule: RenameRule, patchTable: (t: TableDef, sql: string) => TableDef): void {
  const cols = columnsOf(ec);
  for (const other of ec.catalog.allTables(ec.txn)) {
    if (change.tables.has(nameKey(other.name)) || !other.foreignKeys.some((fk) => nameKey(fk.refTable) === nameKey(rule.table))) continue;
    change.tables.set(nameKey(other.name), { name: other.name, def: patchTable(other, renameInSql(tableSqlOf(other), rule, cols)) });
  }
  for (const view of ec.catalog.allViews(ec.txn)) {
    const sql = renameInSql(view.sql, rule, cols);
    if (sql === view.sql) continue;
    const [statement] = parseSql(sql);
    if (statement?.kind !== 'createView') throw new QueryError(`error in view ${view.name} after rename: could not rename`);
    change.views.push({ ...view, query: statement.query, columns: statement.columns, sql });
  }
  for (const trigger of ec.catalog.allTriggers(ec.txn)) {
    const sql = renameInSql(trigger.sql, rule, cols);
    if (sql === trigger.sql) continue;
    const [statement] = parseSql(sql);
    if (statement?.kind !== 'createTrigger') throw new QueryError(`error in trigger ${trigger.name} after rename: could not rename`);
    change.triggers.push(triggerFromStatement(statement, sql, trigger.temp, trigger.createdAt));
  }
}

/** The compile context of the schema as it will be once `change` is saved. */
function changedContext(ec: ExecContext, change: SchemaChange): CompileContext {
  const base = ec.env!.compileContext(ec.catalog, ec.txn);
  const views = new Map(change.views.map((v) => [nameKey(v.name), v]));
  return {
    ...base,
    table: (n) => {
      const changed = change.tables.get(nameKey(n));
      return changed ? (changed.def ?? undefined) : base.table(n);
    },
    view: (n, schema) => views.get(nameKey(n)) ?? base.view(n, schema),
  };
}

/** Every view and trigger in `views` / `triggers` must still compile once `change` is made. */
function checkDependents(ec: ExecContext, change: SchemaChange, after: string, views: readonly ViewDef[], triggers: readonly TriggerDef[]): void {
  const ctx = changedContext(ec, change);
  const fail = (what: string) => (error: unknown) => {
    if (error instanceof QueryError)
      throw new QueryError(`error in ${what} after ${after}: ${error.message}`, { remediation: `Change or drop the ${what.split(' ')[0]} first.` });
    throw error;
  };
  const viewColumnsOf = (view: ViewDef) => compileQuery(view.query, undefined, { ...ctx, subqueries: [], ctes: undefined });
  for (const view of views) {
    try {
      viewColumnsOf(view);
    } catch (error) {
      fail(`view ${view.name}`)(error);
    }
  }
  for (const trigger of triggers) {
    try {
      const on = ctx.table(trigger.table);
      const view = on ? undefined : ctx.view(trigger.table);
      const target = on
        ? tableTarget(on)
        : view
          ? { columns: viewColumnsOf(view).columns.map((c, k) => ({ name: view.columns?.[k] ?? c, affinity: undefined })), rowidColumn: undefined }
          : undefined;
      if (target) compileTriggerProgram(trigger, target, () => ({ ...ctx, subqueries: [] }), ec.env!.compile);
    } catch (error) {
      fail(`trigger ${trigger.name}`)(error);
    }
  }
}

async function applyChange(ec: ExecContext, change: SchemaChange): Promise<void> {
  for (const { name, def } of change.tables.values()) await ec.catalog.save(name, def, ec.writes.base, ec.txn);
  for (const view of change.views) await ec.catalog.saveView(view.name, view, ec.writes.base, ec.txn, ec.catalog.isTempView(view.name));
  for (const trigger of change.triggers) await ec.catalog.saveTrigger(trigger.name, trigger, ec.writes.base, ec.txn, trigger.temp);
}

/** An automatic index's name after its table is renamed (`sqlite_autoindex_t_1` → `sqlite_autoindex_u_1`). */
function renamedIndex(name: string, from: string, to: string): string {
  for (const prefix of ['sqlite_autoindex_', 'sochdb_fkindex_']) {
    const rest = name.slice(prefix.length);
    if (name.toLowerCase().startsWith(prefix) && /_\d+$/.test(rest) && nameKey(rest.replace(/_\d+$/, '')) === nameKey(from))
      return `${prefix}${to}${rest.slice(rest.lastIndexOf('_'))}`;
  }
  return name;
}

async function renameTable(ec: ExecContext, table: TableDef, to: string): Promise<void> {
  reservedName(to);
  if (ec.catalog.table(to, ec.txn) || ec.catalog.view(to, ec.txn) || ec.catalog.findIndex(to, ec.txn)) {
    throw new QueryError(`there is already another table or index with this name: ${to}`, { remediation: 'Pick another name, or drop that object first.' });
  }
  const rule: RenameRule = { kind: 'table', table: table.name, to };
  const cols = columnsOf(ec);
  const indexNames = new Map(table.indexes.map((i) => [nameKey(i.name), renamedIndex(i.name, table.name, to)]));
  const indexes = table.indexes.map((i) => ({
    ...i,
    name: indexNames.get(nameKey(i.name))!,
    ...(i.sql === undefined ? {} : { sql: renameInSql(i.sql, rule, cols) }),
  }));
  const base = rederive(table, renameInSql(tableSqlOf(table), rule, cols), indexes);
  const def: TableDef = { ...base, name: to, ...(table.pkIndex ? { pkIndex: renamedIndex(table.pkIndex, table.name, to) } : {}) };
  const from = nameKey(table.name);
  const into = nameKey(to);
  const change: SchemaChange = {
    tables: new Map([
      [from, { name: table.name, def: null }],
      [into, { name: to, def }],
    ]),
    views: [],
    triggers: [],
  };
  renameReferences(ec, change, rule, (t, sql) => ({
    ...t,
    sql,
    foreignKeys: t.foreignKeys.map((fk) => (nameKey(fk.refTable) === from ? { ...fk, refTable: to } : fk)),
  }));
  checkDependents(ec, change, 'rename', change.views, change.triggers);
  // The rows, index entries and AUTOINCREMENT sequence move under the new name.
  await moveRange(ec, keyRange(ec.keys.rowPrefix(from)), (parts) => ec.keys.row(into, parts.slice(4)));
  await moveRange(ec, keyRange(['sql', ec.keys.namespace, 'x', from]), (parts) =>
    encodeKey([...ec.keys.indexPrefix(into, nameKey(indexNames.get(String(parts[4])) ?? String(parts[4]))), ...parts.slice(5)]),
  );
  const seq = await ec.writes.get(ec.keys.sequence(from));
  if (seq !== undefined) {
    ec.writes.del(ec.keys.sequence(from));
    ec.writes.put(ec.keys.sequence(into), seq);
  }
  await applyChange(ec, change);
}

async function moveRange(
  ec: ExecContext,
  range: { gte: Buffer; lt: Uint8Array | undefined },
  keyOf: (parts: ReturnType<typeof decodeKey>) => Buffer,
): Promise<void> {
  const it = ec.writes.base.iterator({ gte: range.gte, ...(range.lt ? { lt: range.lt } : {}) });
  try {
    for (;;) {
      const batch = await it.nextv(1000);
      if (batch.length === 0) break;
      for (const [k, v] of batch) {
        ec.writes.del(k);
        ec.writes.put(keyOf(decodeKey(k)), v);
      }
    }
  } finally {
    await it.close();
  }
}

async function renameColumn(ec: ExecContext, table: TableDef, fromName: string, to: string, quoted: boolean): Promise<void> {
  const i = columnIndex(table, fromName);
  if (i < 0) throw new NoSuchColumnError(`no such column: "${fromName}"`);
  if (columnIndex(table, to) >= 0) throw new QueryError(`duplicate column name: ${to}`);
  const column = table.columns[i]!.name;
  const rule: RenameRule = { kind: 'column', table: table.name, column, to, quoted };
  const cols = columnsOf(ec);
  const indexes = table.indexes.map((x) => (x.sql === undefined ? x : { ...x, sql: renameInSql(x.sql, rule, cols) }));
  const def = rederive(table, renameInSql(tableSqlOf(table), rule, cols), indexes);
  const change: SchemaChange = { tables: new Map([[nameKey(table.name), { name: table.name, def }]]), views: [], triggers: [] };
  const key = nameKey(column);
  renameReferences(ec, change, rule, (t, sql) => ({
    ...t,
    sql,
    foreignKeys: t.foreignKeys.map((fk) =>
      nameKey(fk.refTable) === nameKey(table.name) ? { ...fk, refColumns: fk.refColumns.map((c) => (nameKey(c) === key ? to : c)) } : fk,
    ),
  }));
  checkDependents(ec, change, 'rename', change.views, change.triggers);
  await applyChange(ec, change);
}

async function dropColumn(ec: ExecContext, table: TableDef, name: string): Promise<void> {
  const i = columnIndex(table, name);
  if (i < 0) throw new NoSuchColumnError(`no such column: "${name}"`);
  const column = table.columns[i]!.name;
  const own = parseCreateTable(tableSqlOf(table)).columns.find((d) => nameKey(d.name) === nameKey(column));
  if (table.primaryKey.includes(i) || own?.constraints.some((c) => c.kind === 'primaryKey'))
    throw new QueryError(`cannot drop PRIMARY KEY column: "${column}"`);
  if (own?.constraints.some((c) => c.kind === 'unique')) throw new QueryError(`cannot drop UNIQUE column: "${column}"`);
  if (table.columns.length === 1) throw new QueryError(`cannot drop column "${column}": no other columns exist`);
  const next = checkedDrop(table, dropColumnSql(tableSqlOf(table), i), i);
  // Everything that reads the table must still compile without the column (SQLite's messages).
  for (const index of table.indexes) {
    if (!index.implicit && index.columns.includes(i)) throw new QueryError(`error in index ${index.name} after drop column: no such column: ${column}`);
  }
  const change: SchemaChange = { tables: new Map([[nameKey(table.name), { name: table.name, def: next }]]), views: [], triggers: [] };
  checkDependents(ec, change, 'drop column', ec.catalog.allViews(ec.txn), ec.catalog.allTriggers(ec.txn));
  // Each row is written again without the column (rows written before an ADD COLUMN get its default).
  const env = { row: [] as SqlValue[], outer: undefined, rt: ec.rt };
  for await (const batch of readRows(ec.base, ec.keys, table, FULL_SCAN, env, storedDefaults(table, constantValue))) {
    for (const r of batch) ec.writes.put(r.key, encodeRow(r.values.filter((_, c) => c !== i)));
  }
  for (const index of table.indexes) {
    if (index.columns.includes(i)) await deleteRange(ec, keyRange(ec.keys.indexPrefix(nameKey(table.name), nameKey(index.name))));
  }
  await applyChange(ec, change);
}

/** A check of the table's own constraints; its error is SQLite's "error in table t after drop column". */
function after(what: string, check: () => unknown): void {
  try {
    check();
  } catch (error) {
    if (error instanceof QueryError)
      throw new QueryError(`error in ${what} after drop column: ${error.message}`, { remediation: "Change the table's constraints first." });
    throw error;
  }
}

/** The definition without column `i`, read from the edited text, with the table's own constraints checked as SQLite checks them. */
function checkedDrop(table: TableDef, sql: string, i: number): TableDef {
  const statement = parseCreateTable(sql);
  const names = new Set(statement.columns.map((d) => nameKey(d.name)));
  const what = `table ${table.name}`;
  for (const t of statement.constraints) {
    if (t.kind === 'foreignKey') {
      const missing = t.columns.find((c) => !names.has(nameKey(c)));
      if (missing !== undefined) throw new QueryError(`error in ${what} after drop column: unknown column "${missing}" in foreign key definition`);
    } else if (t.kind === 'primaryKey' || t.kind === 'unique') {
      for (const c of t.columns)
        if (c.expr.kind === 'column' && !names.has(nameKey(c.expr.column)))
          throw new QueryError(`error in ${what} after drop column: no such column: ${c.expr.column}`);
    }
  }
  const shift = (c: number) => (c > i ? c - 1 : c);
  const indexes = table.indexes.filter((x) => !x.columns.includes(i)).map((x) => ({ ...x, columns: x.columns.map(shift) }));
  const next = rederive(table, sql, indexes);
  const scope = new Scope([{ alias: nameKey(next.name), columns: next.columns, offset: 0 }], undefined, () => {
    throw new QueryError('subqueries are not allowed in CHECK constraints');
  });
  for (const check of next.checks) after(what, () => compileExpr(checkExprOf(check), scope));
  return next;
}
