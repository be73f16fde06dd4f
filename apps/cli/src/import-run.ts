// The transaction loop of `sochdb import`. By default every record goes into ONE transaction:
// the import lands whole or not at all, and a bad line leaves the database exactly as it was.
// With `--batch N` it commits every N records instead, so a huge import does not hold all its
// writes in one transaction; a failure then keeps the batches committed before it (the error
// says how many records that is) and nothing of the batch that failed.
import { SochDBError, ValidationError } from '@sochdb/core';
import type { Database, DatabaseTransaction } from '@sochdb/sdk';
import { atLine } from './failure.js';
import type { InputRecord } from './input.js';

/** Where records go; one per import kind (table, kv, collection). */
export interface ImportTarget<T> {
  /** Writes one record inside `txn` (or buffers it); throws for a record it cannot take. */
  write(record: InputRecord<T>, txn: DatabaseTransaction): Promise<void>;
  /** Writes what `write` buffered, before `txn` commits; its errors name their record's line. */
  flush?(txn: DatabaseTransaction): Promise<void>;
  /** Checks, before the last commit, that the input was whole (e.g. no vectors left over). */
  finish?(): Promise<void>;
}

/** How an import ended. */
export interface ImportResult {
  /** Records written (all of them: a failed import throws instead). */
  readonly rows: number;
  /** Commits made: 1 for an atomic import. */
  readonly commits: number;
}

/**
 * Feeds `records` to `target` in one transaction, or one per `batch` records, committing as it
 * goes; `onRecord` is told the count so far (for progress).
 */
export async function runImport<T>(
  db: Database,
  records: AsyncIterable<InputRecord<T>>,
  target: ImportTarget<T>,
  options: { readonly batch?: number; readonly onRecord?: (rows: number) => void; readonly onCommit?: (rows: number) => void },
): Promise<ImportResult> {
  let txn = db.beginTransaction();
  let rows = 0;
  let committedRows = 0;
  let commits = 0;
  let inBatch = 0;
  try {
    for await (const record of records) {
      try {
        await target.write(record, txn);
      } catch (error) {
        throw asImportError(error, record.line);
      }
      rows++;
      inBatch++;
      options.onRecord?.(rows);
      if (options.batch !== undefined && inBatch >= options.batch) {
        await target.flush?.(txn);
        await txn.commit();
        commits++;
        committedRows = rows;
        options.onCommit?.(rows);
        inBatch = 0;
        txn = db.beginTransaction();
      }
    }
    await target.flush?.(txn);
    await target.finish?.();
    await txn.commit();
    commits++;
    options.onCommit?.(rows);
    return { rows, commits };
  } catch (error) {
    await txn.abort().catch(() => undefined);
    if (committedRows > 0 && error instanceof SochDBError) {
      // With --batch, say what stayed: the user must know where to resume.
      error.message += ` (${committedRows} records in ${commits} earlier batch${commits === 1 ? '' : 'es'} were committed and stay)`;
    }
    throw error;
  }
}

/** A failure on one record as a SochDB error naming its line (a plain Error becomes a ValidationError). */
export function asImportError(error: unknown, line: number): unknown {
  if (error instanceof SochDBError) return atLine(error, line);
  return new ValidationError(`line ${line}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
}
