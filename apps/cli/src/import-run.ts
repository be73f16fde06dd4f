// The transaction loop of `sochdb import`. By default the import lands whole or not at all: a bad
// line leaves the database exactly as it was. A transaction holds its writes in memory until it
// commits, so rather than one transaction the import commits every JOURNAL_PIECE records under
// the storage's rollback journal (Storage.withRollbackJournal, SQLite's idea): memory stays
// constant however large the file, and a failure — or a kill — undoes every piece. A storage
// without a journal (PostgreSQL) takes the import in one transaction, as it can.
// With `--batch N` it commits every N records and keeps them: a failure then keeps the batches
// committed before it (the error says how many records that is) and nothing of the batch that
// failed.
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
  /** Commits made: 1 for an atomic import (whose pieces land as one, under the rollback journal). */
  readonly commits: number;
}

/** Records per commit of an atomic import under the rollback journal: memory is bounded by one piece. */
export const JOURNAL_PIECE = 2_000;

/** What runImport is told: `batch` commits and keeps every N records; progress callbacks. */
export interface ImportOptions {
  readonly batch?: number;
  readonly onRecord?: (rows: number) => void;
  readonly onCommit?: (rows: number) => void;
}

/**
 * Feeds `records` to `target`: with `batch`, one kept commit per `batch` records; without, all or
 * nothing (in pieces under the rollback journal where the storage keeps one, else in one
 * transaction). `onRecord` is told the count so far (for progress), `onCommit` the records kept.
 */
export async function runImport<T>(
  db: Database,
  records: AsyncIterable<InputRecord<T>>,
  target: ImportTarget<T>,
  options: ImportOptions,
): Promise<ImportResult> {
  if (options.batch !== undefined) return commitInPieces(db, records, target, { ...options, piece: options.batch, keep: true });
  const journal = db.storage.withRollbackJournal?.bind(db.storage);
  if (journal === undefined) return commitInPieces(db, records, target, { ...options, piece: undefined, keep: true });
  const { rows } = await journal(() => commitInPieces(db, records, target, { onRecord: options.onRecord, piece: JOURNAL_PIECE, keep: false }));
  options.onCommit?.(rows);
  return { rows, commits: 1 };
}

/**
 * The loop: one transaction per `piece` records (all in one when undefined). `keep`: each commit
 * is final, so a failure says how many records stay; otherwise the journal decides, and the
 * pieces are not reported.
 */
async function commitInPieces<T>(
  db: Database,
  records: AsyncIterable<InputRecord<T>>,
  target: ImportTarget<T>,
  options: {
    readonly piece: number | undefined;
    readonly keep: boolean;
    readonly onRecord?: ((rows: number) => void) | undefined;
    readonly onCommit?: ((rows: number) => void) | undefined;
  },
): Promise<ImportResult> {
  const onCommit = options.keep ? options.onCommit : undefined;
  let txn = db.beginTransaction();
  let rows = 0;
  let committedRows = 0;
  let commits = 0;
  let inPiece = 0;
  try {
    for await (const record of records) {
      try {
        await target.write(record, txn);
      } catch (error) {
        throw asImportError(error, record.line);
      }
      rows++;
      inPiece++;
      options.onRecord?.(rows);
      if (options.piece !== undefined && inPiece >= options.piece) {
        await target.flush?.(txn);
        await txn.commit();
        commits++;
        committedRows = rows;
        onCommit?.(rows);
        inPiece = 0;
        txn = db.beginTransaction();
      }
    }
    await target.flush?.(txn);
    await target.finish?.();
    await txn.commit();
    commits++;
    onCommit?.(rows);
    return { rows, commits };
  } catch (error) {
    await txn.abort().catch(() => undefined);
    if (options.keep && committedRows > 0 && error instanceof SochDBError) {
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
