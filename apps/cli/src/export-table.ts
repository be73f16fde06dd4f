// `sochdb export <db> --table NAME`: a SQL table's rows as JSON Lines or CSV, a page at a time.
//
// Paging is keyset on the primary key: rows are stored in primary-key order, and a search on a
// key range stops at LIMIT, so every page costs only its own rows. (With ORDER BY the engine
// sorts the whole rest of the range for each page, so it is left out on purpose: the range
// search already yields key order.) Key order is SQL's order only while each key column holds
// one kind of value — storage order puts integers, reals, text and blobs apart, where SQL
// compares integers with reals — so a key column holding several kinds (possible in a column
// without a declared type, or with a BLOB in a TEXT column) is paged as a table without a key:
// with LIMIT/OFFSET, as is a table keyed by a hidden rowid, which SQL cannot name. That is still
// constant memory, but each page re-skips the rows before it.
import { DatabaseError } from '@sochdb/core';
import type { Database, DatabaseTransaction } from '@sochdb/sdk';
import { csvLine } from './csv-line.js';
import type { LineSink } from './output.js';
import { primaryKey, quoteIdent, tableColumns, type ColumnInfo } from './sql-tables.js';
import { toJson } from './json.js';
import { sqlToCsv, sqlToJson } from './values.js';

export type TableFormat = 'jsonl' | 'csv';

/** Rows per page of a keyset read. */
const PAGE = 1_000;
/** Rows per page of an OFFSET read: larger, since each page re-reads the rows it skips. */
const OFFSET_PAGE = 10_000;

type Row = Record<string, unknown>;

/** Writes every row of `table` to `sink`; resolves with the row count. */
export async function exportTable(db: Database, table: string, format: TableFormat, sink: LineSink, onRow: (rows: number) => void): Promise<number> {
  const columns = await tableColumns(db, table);
  const names = columns.map((c) => c.name);
  if (format === 'csv') await sink.write(csvLine(names));
  let rows = 0;
  // Every page is read through one transaction: the export is one snapshot, even if another
  // process (concurrent mode, PostgreSQL) writes meanwhile.
  const txn = db.beginTransaction();
  try {
    const key = primaryKey(columns);
    const keyset = key.length > 0 && (await keyOrderIsSqlOrder(txn, table, columns, key));
    for await (const page of pages(txn, table, keyset ? key : [])) {
      await sink.write(format === 'csv' ? csvLines(page, names) : jsonLines(page, names));
      rows += page.length;
      onRow(rows);
    }
  } finally {
    // Read-only: nothing to commit.
    await txn.abort();
  }
  return rows;
}

function jsonLines(page: readonly Row[], names: readonly string[]): string {
  let out = '';
  for (const row of page) {
    const obj: Record<string, unknown> = {};
    for (const name of names) obj[name] = sqlToJson(row[name]);
    out += `${toJson(obj)}\n`;
  }
  return out;
}

function csvLines(page: readonly Row[], names: readonly string[]): string {
  let out = '';
  for (const row of page) out += csvLine(names.map((name) => sqlToCsv(row[name])));
  return out;
}

/** The table's rows, a page at a time, read as exact values (64-bit integers as bigints). */
async function* pages(txn: DatabaseTransaction, table: string, key: readonly string[]): AsyncGenerator<readonly Row[]> {
  const from = `SELECT * FROM ${quoteIdent(table)}`;
  const read = async (sql: string, params: unknown[]) => (await txn.execute(sql, params, { safeIntegers: true })).rows;
  if (key.length === 0) {
    for (let offset = 0; ; offset += OFFSET_PAGE) {
      const page = await read(`${from} LIMIT ? OFFSET ?`, [OFFSET_PAGE, offset]);
      if (page.length > 0) yield page;
      if (page.length < OFFSET_PAGE) return;
    }
  }
  // After the last row (v1…vk), the rows that follow it in key order are, in order: those with
  // c1…c(k-1) = v1…v(k-1) and ck > vk, then c1…c(k-2) equal and c(k-1) greater, … then c1 > v1.
  // Each is an equality prefix plus a range on the next key column: a key-range search.
  let page: readonly Row[] = await read(`${from} LIMIT ?`, [PAGE]);
  while (page.length > 0) {
    yield page;
    const last = page[page.length - 1]!;
    page = [];
    for (let level = key.length; level >= 1 && page.length === 0; level--) {
      const equal = key.slice(0, level - 1).map((c) => `${quoteIdent(c)} = ?`);
      const where = [...equal, `${quoteIdent(key[level - 1]!)} > ?`].join(' AND ');
      page = await read(`${from} WHERE ${where} LIMIT ?`, [...key.slice(0, level).map((c) => last[c]), PAGE]);
      if (page.length > 0 && sameKey(page[page.length - 1]!, last, key)) {
        // Cannot happen when the engine yields key order; refusing beats looping forever.
        throw new DatabaseError(`paging ${table} by its primary key did not advance`, { remediation: 'Report this as a bug.' });
      }
    }
  }
}

const sameKey = (a: Row, b: Row, key: readonly string[]) => key.every((c) => a[c] === b[c]);

/**
 * Whether every key column holds one kind of value (see the file comment). An INTEGER PRIMARY
 * KEY always does (it is the rowid); other keys are checked with one streaming pass per column.
 */
async function keyOrderIsSqlOrder(txn: DatabaseTransaction, table: string, columns: readonly ColumnInfo[], key: readonly string[]): Promise<boolean> {
  const only = key.length === 1 ? columns.find((c) => c.name === key[0]) : undefined;
  if (only && /^integer$/i.test(only.type.trim())) return true;
  for (const column of key) {
    const kinds = await txn.execute(`SELECT typeof(${quoteIdent(column)}) AS kind FROM ${quoteIdent(table)} GROUP BY 1`);
    if (kinds.rows.length > 1) return false;
  }
  return true;
}
