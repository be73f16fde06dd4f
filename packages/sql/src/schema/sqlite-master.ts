import type { Transaction } from '@sochdb/core';
import { parseSql } from '../parse/index.js';
import type { Catalog } from './catalog.js';
import { identPut, normalizeCreateSql, tableSqlOf } from './schema-sql.js';
import type { IndexDef, TableDef, ViewDef } from './schema.js';

// sqlite_schema (also sqlite_master, main.sqlite_master) and sqlite_temp_schema (sqlite_temp_master,
// temp.sqlite_master): the read-only table ORMs and migration tools read the schema from, built
// from the catalog as SQLite would show it. A query sees it as a view over the rows of the schema
// it plans with (a statement is compiled against one schema version, so they cannot be stale).
//
// rootpage: SQLite's is the b-tree page of a table or index; here there are no pages, so a table
// or index gets a stable positive number derived from its type and name (the same after a reopen
// or in another process; it changes when the object is renamed), and views and triggers 0, as in
// SQLite. Rows come in creation order (SQLite's rowid order): each object keeps the schema version
// that created it.

const MAIN = new Set(['sqlite_master', 'sqlite_schema']);
const TEMP = new Set(['sqlite_temp_master', 'sqlite_temp_schema']);
export const SCHEMA_COLUMNS = ['type', 'name', 'tbl_name', 'rootpage', 'sql'] as const;

/** Whether `name` is one of SQLite's schema tables (they may not be created, dropped, indexed or written). */
export function isSchemaTable(name: string): boolean {
  const key = name.toLowerCase();
  return MAIN.has(key) || TEMP.has(key);
}

type SchemaRow = readonly [type: string, name: string, tblName: string, rootpage: number, sql: string | null];

/** A stable positive stand-in for a root page number (FNV-1a over the type and lower-cased name). */
function rootpage(type: string, name: string): number {
  let h = 0x811c9dc5;
  for (const ch of `${type}:${name.toLowerCase()}`) {
    h ^= ch.codePointAt(0)!;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return (h % 2_000_000_000) + 2;
}

/** The indexes a table shows: its own, and the automatic one of a PRIMARY KEY that is not the rowid. */
export function visibleIndexes(table: TableDef): IndexDef[] {
  // FOREIGN KEY lookup indexes are this engine's own (SQLite has none): not part of the schema.
  const own = table.indexes.filter((i) => !i.name.startsWith('sochdb_fkindex_'));
  const pk = pkIndexOf(table);
  if (pk) own.push(pk);
  const autoNumber = (i: IndexDef) => Number(/_(\d+)$/.exec(i.name)?.[1] ?? 0);
  const implicit = own.filter((i) => i.implicit).sort((a, b) => autoNumber(a) - autoNumber(b));
  return [...implicit, ...own.filter((i) => !i.implicit)];
}

/** The automatic index SQLite keeps for a PRIMARY KEY that is not the rowid (here, the row key itself). */
export function pkIndexOf(table: TableDef): IndexDef | undefined {
  if (table.primaryKey.length === 0 || table.rowidColumn !== undefined) return undefined;
  const uniques = table.indexes.filter((i) => i.implicit && i.unique).length;
  return {
    name: table.pkIndex ?? `sqlite_autoindex_${table.name}_${uniques + 1}`,
    columns: table.primaryKey,
    unique: true,
    implicit: true,
    ...(table.createdAt === undefined ? {} : { createdAt: table.createdAt }),
  };
}

function indexSql(table: TableDef, index: IndexDef): string | null {
  if (index.implicit) return null;
  return (
    index.sql ??
    `CREATE ${index.unique ? 'UNIQUE ' : ''}INDEX ${identPut(index.name)} ON ${identPut(table.name)}(${index.columns.map((c) => identPut(table.columns[c]!.name)).join(', ')})`
  );
}

/** The rows of the main schema table (`temp`: of the temp one), in creation order. */
export function schemaRows(catalog: Catalog, txn: Transaction | undefined, temp: boolean): SchemaRow[] {
  const entries: { at: number; seq: number; row: SchemaRow }[] = [];
  let seq = 0;
  const add = (at: number | undefined, row: SchemaRow) => entries.push({ at: at ?? 0, seq: seq++, row });
  if (!temp) {
    for (const table of catalog.allTables(txn).sort((a, b) => a.name.localeCompare(b.name))) {
      add(table.createdAt, ['table', table.name, table.name, rootpage('table', table.name), tableSqlOf(table)]);
      for (const index of visibleIndexes(table))
        add(index.createdAt ?? table.createdAt, ['index', index.name, table.name, rootpage('index', index.name), indexSql(table, index)]);
    }
  }
  for (const view of catalog.allViews(txn)) {
    if (catalog.isTempView(view.name) === temp) add(view.createdAt, ['view', view.name, view.name, 0, normalizeCreateSql(view.sql, 'VIEW')]);
  }
  for (const trigger of catalog.allTriggers(txn)) {
    if (trigger.temp === temp) add(trigger.createdAt, ['trigger', trigger.name, trigger.table, 0, trigger.sql]);
  }
  return entries.sort((a, b) => a.at - b.at || a.seq - b.seq).map((e) => e.row);
}

const literal = (v: string | number | bigint | null) => (v === null ? 'NULL' : typeof v === 'string' ? `'${v.replaceAll("'", "''")}'` : String(v));

/** A view over fixed rows of text, integers and NULLs (what the schema tables and PRAGMA tables read as). */
export function valuesView(name: string, columns: readonly string[], rows: readonly (readonly (string | number | bigint | null)[])[]): ViewDef {
  const sql =
    rows.length === 0 ? `SELECT ${columns.map(() => 'NULL').join(', ')} WHERE 0` : `VALUES ${rows.map((r) => `(${r.map(literal).join(', ')})`).join(', ')}`;
  const [statement] = parseSql(sql);
  if (statement?.kind !== 'select') throw new Error('unreachable: fixed rows did not parse as a query');
  return { name, query: statement.query, columns: [...columns], sql };
}

/** `sqlite_master` and its aliases as a view over the schema `catalog` shows `txn`; undefined for any other name. */
export function schemaView(name: string, schema: string | undefined, catalog: Catalog, txn: Transaction | undefined): ViewDef | undefined {
  const key = name.toLowerCase();
  if (!isSchemaTable(key)) return undefined;
  const temp = TEMP.has(key) || schema?.toLowerCase() === 'temp';
  return valuesView(name, SCHEMA_COLUMNS, schemaRows(catalog, txn, temp));
}
