import { ConstraintError, QueryError, NoSuchColumnError, NoSuchTableError, keyRange } from '@sochdb/core';
import { readRows, FULL_SCAN } from '../exec/access.js';
import { collationOf, type CollationName } from '../values/collation.js';
import {
  exprToSql,
  type ColumnDefinition,
  type ConflictResolution,
  type CreateIndexStatement,
  type CreateTableStatement,
  type CreateViewStatement,
  type DropStatement,
  type IndexedColumn,
  type ReindexStatement,
} from '../parse/index.js';
import { compileQuery } from '../plan/plan-select.js';
import { constantValue } from '../expr/constant.js';
import type { CompileContext } from '../plan/plan-types.js';
import { columnIndex, nameKey, storedDefaults, type CheckDef, type ColumnDef, type ForeignKeyDef, type IndexDef, type TableDef } from '../schema/schema.js';
import { checkSchema, ddl, reservedName } from './ddl-common.js';
import { compileDropTrigger, dropTriggersOn } from './ddl-trigger.js';
import type { ExecContext, Executable } from './statement.js';
import { indexEntry, insertRow, pkPartsOfKey } from '../write/table-writer.js';
import { dmlContext } from './dml.js';
import { prepareSubqueries, runQuery } from '../exec/select-exec.js';
import { affinityOf, applyAffinity, type SqlValue } from '../values/values.js';
import { ctasSql, normalizeCreateSql } from '../schema/schema-sql.js';
import { isSchemaTable } from '../schema/sqlite-master.js';

function onlyAbort(onConflict: ConflictResolution | undefined, what: string): void {
  // A constraint's own conflict clause changes what later writes do: refused, never ignored.
  if (onConflict !== undefined && onConflict !== 'ABORT')
    throw new QueryError(`${what} ON CONFLICT ${onConflict} is not supported`, {
      remediation: 'Drop the clause and use INSERT OR … / ON CONFLICT in the statements instead.',
    });
}

function plainColumn(c: IndexedColumn, what: string): string {
  if (c.expr.kind !== 'column' || c.expr.table !== undefined)
    throw new QueryError(`${what} on expressions are not supported`, { remediation: 'Name plain columns.' });
  if (c.collation !== undefined && collationOf(c.collation) !== 'BINARY')
    throw new QueryError(`${what} with COLLATE ${c.collation} are not supported`, { remediation: 'Compare with COLLATE in queries instead.' });
  return c.expr.column;
}

function columnDef(
  d: ColumnDefinition,
  table: string,
): { column: ColumnDef; pk: boolean; autoincrement: boolean; unique: boolean; checks: CheckDef[]; fk: Omit<ForeignKeyDef, 'columns'> | undefined } {
  let notNull = false;
  let defaultSql: string | undefined;
  let defaultText: string | undefined;
  let collation: CollationName | undefined;
  let pk = false;
  let autoincrement = false;
  let unique = false;
  let fk: Omit<ForeignKeyDef, 'columns'> | undefined;
  const checks: CheckDef[] = [];
  for (const c of d.constraints) {
    switch (c.kind) {
      case 'primaryKey':
        onlyAbort(c.onConflict, 'PRIMARY KEY');
        if (pk) throw new QueryError(`table ${table} has more than one primary key`);
        pk = true;
        autoincrement = c.autoincrement;
        break;
      case 'notNull':
        onlyAbort(c.onConflict, 'NOT NULL');
        notNull = true;
        break;
      case 'null':
        break;
      case 'unique':
        onlyAbort(c.onConflict, 'UNIQUE');
        unique = true;
        break;
      case 'check':
        checks.push({ name: c.name ?? c.text, sql: exprToSql(c.expr) });
        break;
      case 'default':
        // Stored as printed from the tree (fully parenthesized), which reads back as the same tree.
        defaultSql = exprToSql(c.expr);
        defaultText = c.text;
        break;
      case 'collate': {
        const name = collationOf(c.collation);
        collation = name === 'BINARY' ? undefined : name;
        break;
      }
      case 'references':
        refuseActions(c.foreignKey);
        fk = { refTable: c.foreignKey.table, refColumns: c.foreignKey.columns, ...fkActions(c.foreignKey) };
        break;
      case 'generated':
        throw new QueryError('generated columns are not supported yet', { remediation: 'Compute the value in the INSERT, or in a view.' });
    }
  }
  const column: ColumnDef = {
    name: d.name,
    declaredType: d.type,
    affinity: affinityOf(d.type),
    notNull,
    defaultSql,
    ...(defaultText === undefined ? {} : { defaultText }),
    ...(collation ? { collation } : {}),
  };
  return { column, pk, autoincrement, unique, checks, fk };
}

function refuseActions(fk: { readonly onDelete: string | undefined; readonly onUpdate: string | undefined; readonly deferred: boolean }): void {
  for (const action of [fk.onDelete, fk.onUpdate]) {
    // CASCADE / SET NULL / SET DEFAULT would change child rows: refused rather than ignored.
    if (action !== undefined && action !== 'NO ACTION' && action !== 'RESTRICT') {
      throw new QueryError(`foreign key action ${action} is not supported yet`, {
        remediation: 'Delete or update the child rows explicitly, then the parent.',
      });
    }
  }
  if (fk.deferred)
    throw new QueryError('deferred foreign keys are not supported yet', {
      remediation: 'Drop DEFERRABLE INITIALLY DEFERRED: keys are checked at the end of each statement.',
    });
}

/** The actions PRAGMA foreign_key_list shows (NO ACTION is the default, left out). */
function fkActions(fk: { readonly onDelete: string | undefined; readonly onUpdate: string | undefined }): { onDelete?: string; onUpdate?: string } {
  return {
    ...(fk.onDelete && fk.onDelete !== 'NO ACTION' ? { onDelete: fk.onDelete } : {}),
    ...(fk.onUpdate && fk.onUpdate !== 'NO ACTION' ? { onUpdate: fk.onUpdate } : {}),
  };
}

/** Builds a TableDef from CREATE TABLE's column definitions and constraints. */
export function tableFromStatement(stmt: Pick<CreateTableStatement, 'name' | 'columns' | 'constraints'>): TableDef {
  const name = stmt.name;
  const columns: ColumnDef[] = [];
  let primaryKey: number[] = [];
  let autoincrement = false;
  const uniques: { cols: number[]; name: string }[] = [];
  // SQLite numbers the automatic indexes of PRIMARY KEY (when not the rowid) and UNIQUE
  // constraints together, in the order written: sqlite_autoindex_t_1, _2, …
  let autoCount = 0;
  const autoName = () => `sqlite_autoindex_${name}_${++autoCount}`;
  let pkIndex: string | undefined;
  const isRowidType = (cols: readonly number[]) => cols.length === 1 && columns[cols[0]!]!.declaredType.toUpperCase() === 'INTEGER';
  const checks: CheckDef[] = [];
  const fks: ForeignKeyDef[] = [];
  const colIndex = (n: string) => {
    const i = columns.findIndex((c) => nameKey(c.name) === nameKey(n));
    if (i < 0) throw new NoSuchColumnError(`no such column: ${n} in table ${name}`);
    return i;
  };
  for (const d of stmt.columns) {
    if (columns.some((c) => nameKey(c.name) === nameKey(d.name))) throw new QueryError(`duplicate column name: ${d.name}`);
    const c = columnDef(d, name);
    columns.push(c.column);
    const i = columns.length - 1;
    if (c.pk) {
      if (primaryKey.length > 0) throw new QueryError(`table ${name} has more than one primary key`);
      primaryKey = [i];
      autoincrement = c.autoincrement;
      if (!isRowidType(primaryKey)) pkIndex = autoName();
    }
    if (c.unique) uniques.push({ cols: [i], name: autoName() });
    checks.push(...c.checks);
    if (c.fk) fks.push({ columns: [i], ...c.fk });
  }
  for (const t of stmt.constraints) {
    if (t.kind === 'primaryKey') {
      onlyAbort(t.onConflict, 'PRIMARY KEY');
      if (primaryKey.length > 0) throw new QueryError(`table ${name} has more than one primary key`);
      primaryKey = t.columns.map((c) => colIndex(plainColumn(c, 'PRIMARY KEYs')));
      autoincrement = t.autoincrement;
      if (!isRowidType(primaryKey)) pkIndex = autoName();
    } else if (t.kind === 'unique') {
      onlyAbort(t.onConflict, 'UNIQUE');
      uniques.push({ cols: t.columns.map((c) => colIndex(plainColumn(c, 'UNIQUE constraints'))), name: autoName() });
    } else if (t.kind === 'check') checks.push({ name: t.name ?? t.text, sql: exprToSql(t.expr) });
    else {
      refuseActions(t.foreignKey);
      fks.push({ columns: t.columns.map(colIndex), refTable: t.foreignKey.table, refColumns: t.foreignKey.columns, ...fkActions(t.foreignKey) });
    }
  }
  if (columns.length === 0) throw new QueryError(`table ${name} must have at least one column`);
  for (const key of [primaryKey, ...uniques.map((u) => u.cols)]) {
    // Key order and uniqueness are binary: a NOCASE key would let 'A' and 'a' both in.
    if (key.some((c) => columns[c]!.collation !== undefined))
      throw new QueryError(`a PRIMARY KEY or UNIQUE column with COLLATE ${columns[key.find((c) => columns[c]!.collation)!]!.collation} is not supported yet`);
  }
  const rowidColumn = primaryKey.length === 1 && columns[primaryKey[0]!]!.declaredType.toUpperCase() === 'INTEGER' ? primaryKey[0] : undefined;
  if (autoincrement && rowidColumn === undefined) throw new QueryError('AUTOINCREMENT is only allowed on an INTEGER PRIMARY KEY');
  const indexes: IndexDef[] = uniques.map((u) => ({ name: u.name, columns: u.cols, unique: true, implicit: true }));
  fks.forEach((fk, k) => {
    const covered = indexes.some((i) => fk.columns.every((c, n) => i.columns[n] === c)) || fk.columns.every((c, n) => primaryKey[n] === c);
    if (!covered) indexes.push({ name: `sochdb_fkindex_${name}_${k + 1}`, columns: fk.columns, unique: false, implicit: true });
  });
  return {
    name,
    columns,
    primaryKey,
    rowidColumn,
    checks,
    foreignKeys: fks,
    indexes,
    ...(autoincrement ? { autoincrement: true } : {}),
    ...(pkIndex && rowidColumn === undefined ? { pkIndex } : {}),
  };
}

/** A name already taken by a table, view or index (they share one namespace in SQLite). */
function nameTaken(ec: ExecContext, name: string): string | undefined {
  if (ec.catalog.table(name, ec.txn)) return 'table';
  if (ec.catalog.view(name, ec.txn)) return 'view';
  if (ec.catalog.findIndex(name, ec.txn)) return 'index';
  return undefined;
}

/** SQLite's declared type for a CREATE TABLE … AS SELECT column of that affinity. */
const DECLARED_BY_AFFINITY: Readonly<Record<string, string>> = { INTEGER: 'INT', REAL: 'REAL', TEXT: 'TEXT', NUMERIC: 'NUM', BLOB: '' };

export function compileCreateTable(stmt: CreateTableStatement, ctx: CompileContext): Executable {
  checkSchema(stmt.schema);
  if (stmt.temp) throw new QueryError('TEMP tables are not supported', { remediation: 'Create an ordinary table and drop it when done.' });
  if (stmt.strict) throw new QueryError('STRICT tables are not supported yet', { remediation: "Drop STRICT; columns then follow SQLite's type affinity." });
  reservedName(stmt.name);
  const select = stmt.asSelect ? compileQuery(stmt.asSelect, undefined, ctx) : undefined;
  const built = select
    ? tableFromStatement({
        name: stmt.name,
        columns: select.columns.map((c, i) => ({ name: c, type: DECLARED_BY_AFFINITY[select.affinities[i] ?? 'BLOB'] ?? '', constraints: [] })),
        constraints: [],
      })
    : tableFromStatement(stmt);
  const def: TableDef = { ...built, sql: select ? ctasSql(built.name, built.columns) : normalizeCreateSql(stmt.text, 'TABLE') };
  const subqueries = ctx.subqueries;
  return {
    ...ddl(`CREATE TABLE ${def.name}`, async (ec) => {
      const taken = nameTaken(ec, def.name);
      if (taken) {
        if (stmt.ifNotExists) return;
        throw new QueryError(`${taken} ${def.name} already exists`, { remediation: 'Use CREATE TABLE IF NOT EXISTS, or DROP TABLE first.' });
      }
      await ec.catalog.save(def.name, def, ec.writes.base, ec.txn);
      if (!select) return;
      const rc = { reader: ec.base, keys: ec.keys, cache: ec.rowCache };
      await prepareSubqueries(subqueries, ec.rt, rc);
      const rows = await runQuery(select, { row: [], outer: undefined, rt: ec.rt }, rc);
      const dc = dmlContext(ec);
      for (const row of rows)
        await insertRow(
          dc,
          def,
          def.columns.map((c, i) => applyAffinity(row[i]!, c.affinity)),
          'ABORT',
        );
    }),
    subqueries,
  };
}

export async function deleteRange(ec: ExecContext, range: { gte: Buffer; lt: Uint8Array | undefined }): Promise<void> {
  const it = ec.writes.base.iterator(range);
  try {
    for (;;) {
      const batch = await it.nextv(1000);
      if (batch.length === 0) break;
      for (const [k] of batch) ec.writes.del(k);
    }
  } finally {
    await it.close();
  }
}

export function compileDrop(stmt: DropStatement): Executable {
  checkSchema(stmt.schema);
  switch (stmt.object) {
    case 'TABLE':
      return compileDropTable(stmt.name, stmt.ifExists);
    case 'INDEX':
      return compileDropIndex(stmt.name, stmt.ifExists);
    case 'VIEW':
      return ddl(`DROP VIEW ${stmt.name}`, async (ec) => {
        if (!ec.catalog.view(stmt.name, ec.txn)) {
          if (stmt.ifExists) return;
          if (ec.catalog.table(stmt.name, ec.txn)) throw new QueryError(`use DROP TABLE to delete table ${stmt.name}`);
          if (isSchemaTable(stmt.name)) throw new QueryError('table sqlite_master may not be dropped');
          throw new QueryError(`no such view: ${stmt.name}`, { remediation: 'Use DROP VIEW IF EXISTS to ignore a missing view.' });
        }
        await dropTriggersOn(ec, stmt.name);
        await ec.catalog.saveView(stmt.name, null, ec.writes.base, ec.txn, ec.catalog.isTempView(stmt.name));
      });
    case 'TRIGGER':
      return compileDropTrigger(stmt);
  }
}

function compileDropTable(name: string, ifExists: boolean): Executable {
  return ddl(`DROP TABLE ${name}`, async (ec) => {
    const table = ec.catalog.table(name, ec.txn);
    if (!table) {
      if (ifExists) return;
      if (ec.catalog.view(name, ec.txn)) throw new QueryError(`use DROP VIEW to delete view ${name}`);
      if (isSchemaTable(name)) throw new QueryError('table sqlite_master may not be dropped');
      throw new NoSuchTableError(`no such table: ${name}`, { remediation: 'Use DROP TABLE IF EXISTS to ignore a missing table.' });
    }
    const key = nameKey(name);
    for (const child of ec.env?.foreignKeys === false ? [] : ec.catalog.allTables(ec.txn)) {
      if (nameKey(child.name) === key) continue;
      for (const fk of child.foreignKeys) {
        if (nameKey(fk.refTable) !== key) continue;
        const env = { row: [] as SqlValue[], outer: undefined, rt: ec.rt };
        for await (const batch of readRows(ec.base, ec.keys, child, FULL_SCAN, env, storedDefaults(child, constantValue))) {
          if (batch.some((r) => fk.columns.every((c) => r.values[c] !== null))) {
            throw new ConstraintError(`FOREIGN KEY constraint failed: ${child.name} still references ${table.name}`, {
              table: child.name,
              constraint: 'FOREIGN KEY',
              remediation: `Delete the referencing ${child.name} rows (or drop ${child.name}) first.`,
            });
          }
        }
      }
    }
    await deleteRange(ec, keyRange(ec.keys.rowPrefix(key)));
    await deleteRange(ec, keyRange(['sql', ec.keys.namespace, 'x', key]));
    if (table.autoincrement) ec.writes.del(ec.keys.sequence(key));
    await dropTriggersOn(ec, name);
    await ec.catalog.save(name, null, ec.writes.base, ec.txn);
  });
}

export function compileCreateIndex(stmt: CreateIndexStatement): Executable {
  checkSchema(stmt.schema);
  if (stmt.where) throw new QueryError('partial indexes (CREATE INDEX … WHERE) are not supported yet', { remediation: 'Index the whole table.' });
  const indexName = stmt.name;
  const tableName = stmt.table;
  reservedName(indexName);
  const cols = stmt.columns.map((c) => plainColumn(c, 'indexes'));
  return ddl(`CREATE ${stmt.unique ? 'UNIQUE ' : ''}INDEX ${indexName} ON ${tableName}`, async (ec) => {
    const taken = ec.catalog.findIndex(indexName, ec.txn) ? 'index' : nameTaken(ec, indexName);
    if (taken === 'index' && stmt.ifNotExists) return;
    const table = ec.catalog.table(tableName, ec.txn);
    if (!table) {
      if (ec.catalog.view(tableName, ec.txn)) throw new QueryError(`views may not be indexed: ${tableName}`);
      if (isSchemaTable(tableName)) throw new QueryError('table sqlite_master may not be indexed');
      throw new NoSuchTableError(`no such table: ${tableName}`);
    }
    if (taken)
      throw new QueryError(`${taken === 'index' ? 'index' : `there is already a ${taken} named`} ${indexName}${taken === 'index' ? ' already exists' : ''}`, {
        remediation: 'Use CREATE INDEX IF NOT EXISTS, or pick another name.',
      });
    const columns = cols.map((c) => {
      const i = columnIndex(table, c);
      if (i < 0) throw new NoSuchColumnError(`no such column: ${c} in table ${table.name}`);
      if (table.columns[i]!.collation !== undefined)
        throw new QueryError(`an index on ${c}, a COLLATE ${table.columns[i]!.collation} column, is not supported yet`);
      return i;
    });
    const index: IndexDef = {
      name: indexName,
      columns,
      unique: stmt.unique,
      implicit: false,
      sql: normalizeCreateSql(stmt.text, stmt.unique ? 'UNIQUE INDEX' : 'INDEX'),
    };
    const env = { row: [] as SqlValue[], outer: undefined, rt: ec.rt };
    for await (const batch of readRows(ec.base, ec.keys, table, FULL_SCAN, env, storedDefaults(table, constantValue))) {
      for (const r of batch) {
        const e = indexEntry(ec.keys, table, index, r.values, pkPartsOfKey(r.key));
        if (e.unique && (await ec.writes.get(e.key)) !== undefined) {
          throw new ConstraintError(`UNIQUE constraint failed: ${columns.map((c) => `${table.name}.${table.columns[c]!.name}`).join(', ')}`, {
            table: table.name,
            columnName: cols.join(', '),
            constraint: indexName,
            remediation: 'Remove the duplicate rows before creating a UNIQUE index.',
          });
        }
        ec.writes.put(e.key, e.value);
      }
    }
    await ec.catalog.save(table.name, { ...table, indexes: [...table.indexes, index] }, ec.writes.base, ec.txn);
  });
}

function compileDropIndex(name: string, ifExists: boolean): Executable {
  return ddl(`DROP INDEX ${name}`, async (ec) => {
    const found = ec.catalog.findIndex(name, ec.txn);
    if (!found) {
      if (ifExists) return;
      throw new QueryError(`no such index: ${name}`);
    }
    if (found.index.implicit) throw new QueryError(`index associated with UNIQUE or PRIMARY KEY constraint cannot be dropped: ${name}`);
    const t = nameKey(found.table.name);
    await deleteRange(ec, keyRange(ec.keys.indexPrefix(t, nameKey(found.index.name))));
    await ec.catalog.save(found.table.name, { ...found.table, indexes: found.table.indexes.filter((i) => i !== found.index) }, ec.writes.base, ec.txn);
  });
}

export function compileCreateView(stmt: CreateViewStatement, ctx: CompileContext): Executable {
  checkSchema(stmt.schema);
  reservedName(stmt.name);
  // Compiled once now so a view over a missing table or column is refused at CREATE, as in SQLite.
  const plan = compileQuery(stmt.query, undefined, { ...ctx, ctes: undefined, subqueries: [] });
  if (stmt.columns && stmt.columns.length !== plan.columns.length) {
    throw new QueryError(`expected ${stmt.columns.length} columns for '${stmt.name}' but got ${plan.columns.length}`);
  }
  return ddl(`CREATE VIEW ${stmt.name}`, async (ec) => {
    const taken = nameTaken(ec, stmt.name);
    if (taken) {
      if (stmt.ifNotExists) return;
      throw new QueryError(`${taken} ${stmt.name} already exists`, { remediation: 'Use CREATE VIEW IF NOT EXISTS, or DROP VIEW first.' });
    }
    await ec.catalog.saveView(
      stmt.name,
      { name: stmt.name, query: stmt.query, columns: stmt.columns, sql: normalizeCreateSql(stmt.text, 'VIEW') },
      ec.writes.base,
      ec.txn,
      stmt.temp,
    );
  });
}

export function compileReindex(stmt: ReindexStatement): Executable {
  checkSchema(stmt.schema);
  // Indexes are written with their rows in one transaction, so they never need rebuilding;
  // REINDEX only checks that the name exists, as SQLite does.
  return ddl(`REINDEX${stmt.name ? ` ${stmt.name}` : ''}`, async (ec) => {
    const name = stmt.name;
    if (name === undefined) return;
    if (ec.catalog.findIndex(name, ec.txn) || ec.catalog.table(name, ec.txn)) return;
    if (['binary', 'nocase', 'rtrim'].includes(name.toLowerCase())) return;
    throw new QueryError(`unable to identify the object to be reindexed: ${name}`);
  });
}
