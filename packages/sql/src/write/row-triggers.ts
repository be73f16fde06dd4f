import type { TableDef } from '../schema/schema.js';
import type { SqlValue } from '../values/values.js';

export type RowEvent = 'INSERT' | 'UPDATE' | 'DELETE';

/** RAISE(FAIL) and RAISE(ROLLBACK) errors, by what they do beyond ABORT's undoing of the statement. */
const raised = new WeakMap<object, 'FAIL' | 'ROLLBACK'>();

export function markRaised(error: Error, action: 'FAIL' | 'ROLLBACK'): void {
  raised.set(error, action);
}

/** RAISE(FAIL): the statement keeps the rows it changed before the failure, then fails. */
export function keepsEarlierRows(error: unknown): error is Error {
  // Only errors are marked (markRaised takes an Error).
  return error instanceof Error && raised.get(error) === 'FAIL';
}

/** RAISE(ROLLBACK): the transaction the statement ran in is rolled back. */
export function rollsBackTransaction(error: unknown): boolean {
  return typeof error === 'object' && error !== null && raised.get(error) === 'ROLLBACK';
}

/**
 * SQL triggers (CREATE TRIGGER) as the row writers see them (implemented by statements/trigger-run.ts,
 * which this folder does not import). For each row the writers call, in this order:
 *   1. the plugin BEFORE hook (SqlTriggers; it may replace the row),
 *   2. the SQL BEFORE triggers, which see that row as NEW (RAISE(IGNORE) there skips the row),
 *   3. constraints, and the row's write,
 *   4. the SQL AFTER triggers, at once for this row (as SQLite fires them);
 * and once the whole statement, trigger programs included, has run: the foreign-key checks, then
 * the plugin AFTER hooks (for every row written, by the statement or by its triggers), then the
 * hand-over of the writes to the transaction.
 */
export interface RowTriggers {
  /** Whether any SQL trigger on `table` fires for `event` (a cheap test for the hot paths). */
  has(table: TableDef, event: RowEvent): boolean;
  /** Runs the BEFORE triggers for one row; false when RAISE(IGNORE) skipped the row. */
  before(
    table: TableDef,
    event: RowEvent,
    oldRow: readonly SqlValue[] | undefined,
    newRow: readonly SqlValue[] | undefined,
    setColumns: ReadonlySet<number> | undefined,
  ): Promise<boolean>;
  /** Runs the AFTER triggers for one row once it is written. */
  after(
    table: TableDef,
    event: RowEvent,
    oldRow: readonly SqlValue[] | undefined,
    newRow: readonly SqlValue[] | undefined,
    setColumns: ReadonlySet<number> | undefined,
  ): Promise<void>;
}
