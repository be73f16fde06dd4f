// What the CLI needs to know about SQL tables: their names, columns and primary keys, read from
// the engine's own catalog (sqlite_master and PRAGMA table_info, as in SQLite).
import { NoSuchTableError } from '@sochdb/core';
import type { Database } from '@sochdb/sdk';

/** A column as PRAGMA table_info reports it. */
export interface ColumnInfo {
  readonly name: string;
  /** The declared type ('' when none), which gives the column its affinity. */
  readonly type: string;
  /** 1-based position in the primary key; 0 when not part of it. */
  readonly pk: number;
}

/** SQL's quoting of an identifier: "name" with inner quotes doubled, so any table name is safe. */
export const quoteIdent = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/** The user tables, in creation order (the engine's internal sqlite_* tables left out). */
export async function listTables(db: Database): Promise<string[]> {
  const result = await db.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'");
  return result.rows.map((row) => String(row['name']));
}

/** The columns of `table`; NoSuchTableError when there is no such table. */
export async function tableColumns(db: Database, table: string): Promise<ColumnInfo[]> {
  const result = await db.execute(`PRAGMA table_info(${quoteIdent(table)})`);
  // PRAGMA table_info answers no rows (rather than failing) for a missing table, as in SQLite.
  if (result.rows.length === 0) {
    throw new NoSuchTableError(`no such table: ${table}`, { remediation: 'List the tables with `sochdb inspect <db>`.' });
  }
  return result.rows.map((row) => ({ name: String(row['name']), type: String(row['type'] ?? ''), pk: Number(row['pk'] ?? 0) }));
}

/** The primary-key columns in key order; empty for a table keyed by a hidden rowid. */
export function primaryKey(columns: readonly ColumnInfo[]): string[] {
  return columns
    .filter((c) => c.pk > 0)
    .sort((a, b) => a.pk - b.pk)
    .map((c) => c.name);
}

/** The number of rows of `table` (one streaming count). */
export async function countRows(db: Database, table: string): Promise<number> {
  const result = await db.execute(`SELECT count(*) AS n FROM ${quoteIdent(table)}`);
  return Number(result.rows[0]?.['n'] ?? 0);
}
