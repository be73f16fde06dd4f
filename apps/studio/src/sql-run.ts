// Running the studio's SQL: as given in write mode, inside a read-only transaction otherwise, so
// a write statement fails (403) and leaves nothing behind whatever it is.
import { Database, TransactionError, type OutputValue, type SqlResult } from '@sochdb/sdk';
import { jsonSafe, type JsonSafe } from './json.js';
import { readOnlyError } from './errors.js';

/** SQL parameters as the API takes them. */
export type ApiSqlParams = readonly (string | number | boolean | null)[] | Readonly<Record<string, string | number | boolean | null>>;

/** Runs `sql` (rows as arrays, so repeated column names are kept); read-only unless the studio may write. */
export async function runSql(db: Database, sql: string, params: ApiSqlParams | undefined, readOnly: boolean): Promise<SqlResult<OutputValue[]>> {
  if (!readOnly) return db.execute(sql, params, { rowMode: 'array' });
  const txn = db.storage.beginTransaction({ readOnly: true });
  try {
    return await db.execute(sql, params, { rowMode: 'array', txn });
  } catch (error) {
    if (error instanceof TransactionError && /read-only/.test(error.message)) throw readOnlyError('this SQL statement');
    throw error;
  } finally {
    await txn.abort();
  }
}

/** A result cell as JSON carries it: a bigint as its decimal text, a BLOB as `{ hex }`. */
export function cellOf(value: OutputValue): JsonSafe {
  return jsonSafe(value);
}

/** `rows` as records (column → value), for TOON and JSON; a later repeated column name wins. */
export function recordsOf(columns: readonly string[], rows: readonly (readonly OutputValue[])[]): Record<string, OutputValue>[] {
  return rows.map((row) => Object.fromEntries(columns.map((column, i) => [column, row[i] ?? null])));
}

/** `rows` as TOON text (see Database.toToon: bigints exact, BLOBs as base64). */
export function toonOf(columns: readonly string[], rows: readonly (readonly OutputValue[])[]): string {
  return Database.toToon('result', recordsOf(columns, rows), [...new Set(columns)]);
}

/** `rows` as JSON text: an array of records, as an application would put them in a prompt. */
export function jsonOf(columns: readonly string[], rows: readonly (readonly OutputValue[])[]): string {
  return JSON.stringify(jsonSafe(recordsOf(columns, rows)));
}
