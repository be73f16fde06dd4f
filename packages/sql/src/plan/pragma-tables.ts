import type { Affinity, SqlValue } from '../values/values.js';
import { nameKey, type IndexDef, type TableDef, type ViewDef } from '../schema/schema.js';
import { isSchemaTable, pkIndexOf, SCHEMA_COLUMNS, visibleIndexes } from '../schema/sqlite-master.js';

// The schema PRAGMAs' rows (table_info, table_xinfo, index_list, index_info, index_xinfo,
// foreign_key_list, table_list), as SQLite 3.37+ answers them: shared by `PRAGMA x(t)` and the
// table-valued `pragma_x('t')` that ORMs join against sqlite_master.

/** What the schema PRAGMAs read (the engine's catalog as one statement sees it). */
export interface SchemaLookup {
  table(name: string): TableDef | undefined;
  view(name: string): ViewDef | undefined;
  allTables(): readonly TableDef[];
  allViews(): readonly ViewDef[];
  isTempView(name: string): boolean;
  /** A view's result columns: their names and affinities, and the declared type of those that are plain table columns. */
  viewColumns(view: ViewDef): readonly { readonly name: string; readonly affinity: Affinity | undefined; readonly declared: string | undefined }[];
}

export interface PragmaRows {
  readonly columns: readonly string[];
  readonly rows: SqlValue[][];
}

const TABLE_INFO = ['cid', 'name', 'type', 'notnull', 'dflt_value', 'pk'];
const TABLE_XINFO = [...TABLE_INFO, 'hidden'];
const INDEX_LIST = ['seq', 'name', 'unique', 'origin', 'partial'];
const INDEX_INFO = ['seqno', 'cid', 'name'];
const INDEX_XINFO = [...INDEX_INFO, 'desc', 'coll', 'key'];
const FOREIGN_KEY_LIST = ['id', 'seq', 'table', 'from', 'to', 'on_update', 'on_delete', 'match'];
const TABLE_LIST = ['schema', 'name', 'type', 'ncol', 'wr', 'strict'];

/** The column names of each schema PRAGMA (also the visible columns of its pragma_x table). */
export const PRAGMA_COLUMNS: ReadonlyMap<string, readonly string[]> = new Map([
  ['table_info', TABLE_INFO],
  ['table_xinfo', TABLE_XINFO],
  ['index_list', INDEX_LIST],
  ['index_info', INDEX_INFO],
  ['index_xinfo', INDEX_XINFO],
  ['foreign_key_list', FOREIGN_KEY_LIST],
  ['table_list', TABLE_LIST],
]);

/** SQLite (3.37+) stores a declared type that is exactly one of its standard names in capitals, any other as written. */
export function declaredType(type: string): string {
  const upper = type.toUpperCase();
  return STANDARD_TYPES.has(upper) ? upper : type;
}
const STANDARD_TYPES = new Set(['ANY', 'BLOB', 'INT', 'INTEGER', 'REAL', 'TEXT']);

/** The type SQLite gives a view column that is not a plain table column with a declared type: its affinity's standard name. */
const TYPE_BY_AFFINITY: Readonly<Record<Affinity, string>> = { NUMERIC: 'NUM', BLOB: 'BLOB', INTEGER: 'INT', REAL: 'REAL', TEXT: 'TEXT' };

/**
 * The DEFAULT of a column stored before its text was kept, as near as SQLite shows it: the
 * expression re-printed, which reads the same for literals, NULL and CURRENT_TIME/DATE/
 * TIMESTAMP. A negative number is printed as a parenthesized negation; SQLite shows `-1`.
 */
function defaultText(sql: string | undefined): string | null {
  if (sql === undefined) return null;
  const negative = /^\((-[0-9][0-9.eE+-]*)\)$/.exec(sql);
  return negative ? negative[1]! : sql;
}

/** table_info / table_xinfo: one row per column of a table or view; none for an unknown name. */
export function tableInfo(lookup: SchemaLookup, name: string, extended: boolean): PragmaRows {
  const columns = extended ? TABLE_XINFO : TABLE_INFO;
  const hidden = extended ? [0n] : [];
  if (isSchemaTable(name)) {
    // sqlite_schema(type text, name text, tbl_name text, rootpage int, sql text)
    return { columns, rows: SCHEMA_COLUMNS.map((c, cid) => [BigInt(cid), c, c === 'rootpage' ? 'INT' : 'TEXT', 0n, null, 0n, ...hidden]) };
  }
  const table = lookup.table(name);
  if (table) {
    const rows = table.columns.map((column, cid) => [
      BigInt(cid),
      column.name,
      declaredType(column.declaredType),
      column.notNull ? 1n : 0n,
      column.defaultText ?? defaultText(column.defaultSql),
      BigInt(table.primaryKey.indexOf(cid) + 1),
      ...hidden,
    ]);
    return { columns, rows };
  }
  const view = lookup.view(name);
  if (!view) return { columns, rows: [] };
  const rows = lookup.viewColumns(view).map((c, cid) => {
    const type = c.declared ? declaredType(c.declared) : c.affinity ? TYPE_BY_AFFINITY[c.affinity] : '';
    return [BigInt(cid), c.name, type, 0n, null, 0n, ...hidden];
  });
  return { columns, rows };
}

function indexOrigin(table: TableDef, index: IndexDef): string {
  if (!index.implicit) return 'c';
  return index.name === pkIndexOf(table)?.name ? 'pk' : 'u';
}

/** index_list: a table's indexes, newest first (as SQLite keeps them). */
export function indexList(lookup: SchemaLookup, name: string): PragmaRows {
  const table = lookup.table(name);
  if (!table) return { columns: INDEX_LIST, rows: [] };
  const ordered = visibleIndexes(table)
    .map((index, seq) => ({ index, seq }))
    .sort((a, b) => (a.index.implicit === b.index.implicit ? (a.index.createdAt ?? 0) - (b.index.createdAt ?? 0) || a.seq - b.seq : a.index.implicit ? -1 : 1))
    .reverse();
  return { columns: INDEX_LIST, rows: ordered.map(({ index }, seq) => [BigInt(seq), index.name, index.unique ? 1n : 0n, indexOrigin(table, index), 0n]) };
}

function findIndex(lookup: SchemaLookup, name: string): { table: TableDef; index: IndexDef } | undefined {
  const key = nameKey(name);
  for (const table of lookup.allTables()) {
    const index = visibleIndexes(table).find((i) => nameKey(i.name) === key);
    if (index) return { table, index };
  }
  return undefined;
}

/** index_info / index_xinfo: the columns of an index (xinfo adds the row key SQLite keeps after them). */
export function indexInfo(lookup: SchemaLookup, name: string, extended: boolean): PragmaRows {
  const columns = extended ? INDEX_XINFO : INDEX_INFO;
  const found = findIndex(lookup, name);
  if (!found) return { columns, rows: [] };
  const { table, index } = found;
  const rows: SqlValue[][] = index.columns.map((c, seq) => [BigInt(seq), BigInt(c), table.columns[c]!.name, ...(extended ? [0n, 'BINARY', 1n] : [])]);
  if (extended) rows.push([BigInt(index.columns.length), -1n, null, 0n, 'BINARY', 0n]);
  return { columns, rows };
}

/** foreign_key_list: one row per column of each FOREIGN KEY, the last declared first (as SQLite lists them). */
export function foreignKeyList(lookup: SchemaLookup, name: string): PragmaRows {
  const table = lookup.table(name);
  if (!table) return { columns: FOREIGN_KEY_LIST, rows: [] };
  const rows: SqlValue[][] = [];
  [...table.foreignKeys].reverse().forEach((fk, id) => {
    fk.columns.forEach((c, seq) => {
      rows.push([
        BigInt(id),
        BigInt(seq),
        fk.refTable,
        table.columns[c]!.name,
        fk.refColumns[seq] ?? null,
        fk.onUpdate ?? 'NO ACTION',
        fk.onDelete ?? 'NO ACTION',
        'NONE',
      ]);
    });
  });
  return { columns: FOREIGN_KEY_LIST, rows };
}

/** table_list: every table and view (or the one named), with the schema tables SQLite lists too. */
export function tableList(lookup: SchemaLookup, name: string | undefined): PragmaRows {
  const rows: SqlValue[][] = [];
  for (const view of lookup.allViews())
    rows.push([lookup.isTempView(view.name) ? 'temp' : 'main', view.name, 'view', BigInt(lookup.viewColumns(view).length), 0n, 0n]);
  for (const table of lookup.allTables()) rows.push(['main', table.name, 'table', BigInt(table.columns.length), 0n, 0n]);
  rows.push(['main', 'sqlite_schema', 'table', BigInt(SCHEMA_COLUMNS.length), 0n, 0n]);
  rows.push(['temp', 'sqlite_temp_schema', 'table', BigInt(SCHEMA_COLUMNS.length), 0n, 0n]);
  if (name === undefined) return { columns: TABLE_LIST, rows };
  const key = nameKey(name);
  const alias = key === 'sqlite_master' ? 'sqlite_schema' : key === 'sqlite_temp_master' ? 'sqlite_temp_schema' : key;
  return { columns: TABLE_LIST, rows: rows.filter((r) => nameKey(String(r[1])) === alias) };
}
