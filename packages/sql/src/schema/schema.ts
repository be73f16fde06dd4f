import { parseExpression, type Expr, type Select } from '../parse/index.js';
import type { CollationName } from '../values/collation.js';
import type { Affinity, SqlValue } from '../values/values.js';

/**
 * One column of a table, as stored in the catalog. Expressions are kept as SQL text (as SQLite
 * keeps the CREATE statement), so the stored schema does not depend on any parser's tree.
 */
export interface ColumnDef {
  readonly name: string;
  readonly declaredType: string;
  readonly affinity: Affinity;
  readonly notNull: boolean;
  /** The DEFAULT expression's SQL text; evaluated per inserted row. */
  readonly defaultSql: string | undefined;
  /** The DEFAULT as written (what PRAGMA table_info shows); absent in schemas stored before it was kept. */
  readonly defaultText?: string;
  /** A declared COLLATE other than BINARY. */
  readonly collation?: CollationName | undefined;
}

export interface IndexDef {
  readonly name: string;
  /** Positions of the indexed columns in the table's column list. */
  readonly columns: readonly number[];
  readonly unique: boolean;
  /** Created by a UNIQUE or FOREIGN KEY clause rather than CREATE INDEX (dropped with the table). */
  readonly implicit: boolean;
  /** CREATE INDEX's text as sqlite_master keeps it (absent for implicit indexes, and in schemas stored before it was kept). */
  readonly sql?: string;
  /** When it was created (the schema version its DDL wrote): sqlite_master lists objects in this order. */
  readonly createdAt?: number;
}

export interface CheckDef {
  readonly name: string;
  /** The CHECK expression's SQL text. */
  readonly sql: string;
}

export interface ForeignKeyDef {
  readonly columns: readonly number[];
  readonly refTable: string;
  /** Referenced column names; empty means the parent's primary key. */
  readonly refColumns: readonly string[];
  /** The action written (RESTRICT; only the default actions are supported), for PRAGMA foreign_key_list; absent: NO ACTION. */
  readonly onDelete?: string;
  readonly onUpdate?: string;
}

/**
 * A table. `primaryKey` lists column positions; when empty the table is keyed by a hidden
 * integer rowid, as in SQLite. `rowidColumn` is the INTEGER PRIMARY KEY column, which aliases
 * the rowid and is auto-assigned when NULL.
 */
export interface TableDef {
  readonly name: string;
  readonly columns: readonly ColumnDef[];
  readonly primaryKey: readonly number[];
  readonly rowidColumn: number | undefined;
  readonly checks: readonly CheckDef[];
  readonly foreignKeys: readonly ForeignKeyDef[];
  readonly indexes: readonly IndexDef[];
  /**
   * `INTEGER PRIMARY KEY AUTOINCREMENT`: a rowid is never reused, even after the row holding the
   * largest one is deleted (the largest ever used is kept under the table's sequence key).
   */
  readonly autoincrement?: boolean;
  /** CREATE TABLE's text as sqlite_master keeps it (see schema-sql.ts); absent in schemas stored before it was kept. */
  readonly sql?: string;
  /** When it was created (the schema version its DDL wrote): sqlite_master lists objects in this order. */
  readonly createdAt?: number;
  /**
   * The name SQLite gives the automatic index of a PRIMARY KEY that is not the rowid
   * (`sqlite_autoindex_t_N`, numbered with the UNIQUE constraints in the order written). Here the
   * primary key is the row key itself, so no such index is stored; sqlite_master and the index
   * PRAGMAs show it under this name.
   */
  readonly pkIndex?: string;
}

/** A view as the planner reads it: its query, and the column names given in CREATE VIEW v(a, b). */
export interface ViewDef {
  readonly name: string;
  readonly query: Select;
  readonly columns: readonly string[] | undefined;
  /** The CREATE VIEW statement as sqlite_master keeps it. */
  readonly sql: string;
  readonly createdAt?: number;
}

/** A table's identity in keys and lookups: SQL names are case-insensitive. */
export function nameKey(name: string): string {
  return name.toLowerCase();
}

export function columnIndex(table: TableDef, name: string): number {
  const key = nameKey(name);
  return table.columns.findIndex((c) => nameKey(c.name) === key);
}

const parsedDefaults = new WeakMap<ColumnDef, Expr | undefined>();

/** The column's DEFAULT expression, parsed once per definition. */
export function defaultExprOf(column: ColumnDef): Expr | undefined {
  if (column.defaultSql === undefined) return undefined;
  let e = parsedDefaults.get(column);
  if (e === undefined) {
    e = parseExpression(column.defaultSql);
    parsedDefaults.set(column, e);
  }
  return e;
}

const parsedChecks = new WeakMap<CheckDef, Expr>();

export function checkExprOf(check: CheckDef): Expr {
  let e = parsedChecks.get(check);
  if (e === undefined) {
    e = parseExpression(check.sql);
    parsedChecks.set(check, e);
  }
  return e;
}

/** Defaults of columns added by ALTER TABLE, for rows written before the column existed. */
export function storedDefaults(table: TableDef, constants: (expr: Expr | undefined) => SqlValue): SqlValue[] {
  return table.columns.map((c) => constants(defaultExprOf(c)));
}
