import type { SqlValue } from './values.js';

/**
 * A scalar SQL function: arity bounds and an implementation over already-evaluated arguments.
 * Its own module so that the function tables (functions.ts, functions-math.ts) share it without
 * importing each other.
 */
export interface ScalarFunction {
  readonly min: number;
  readonly max: number;
  readonly fn: (args: readonly SqlValue[], json?: readonly boolean[]) => SqlValue;
  /**
   * JSON functions (values/json/): the call tells `fn` which arguments carry SQLite's JSON
   * subtype (`json[i]`: text made by a JSON function, embedded as JSON rather than quoted).
   */
  readonly readsSubtype?: boolean;
  /** For functions that read the time ('now'): called instead of `fn`, with the statement's clock. */
  readonly withClock?: (args: readonly SqlValue[], clock: StatementClock) => SqlValue;
  /** For changes(), total_changes() and last_insert_rowid(): called instead of `fn`, with the engine's counters. */
  readonly withConnection?: (counters: ConnectionCounters) => SqlValue;
}

/**
 * What SQLite keeps per connection and reports through changes(), total_changes() and
 * last_insert_rowid(): here per SqlEngine (the engine updates it after each statement, so a
 * statement reads the values as they were before it ran, as in SQLite).
 */
export interface ConnectionCounters {
  /** Rows changed by the most recent INSERT, UPDATE or DELETE. */
  readonly changes: number;
  /** Rows changed by every INSERT, UPDATE and DELETE since the engine was created. */
  readonly totalChanges: number;
  /** The rowid of the last row inserted (0n before any). */
  readonly lastInsertRowid: bigint;
}

/**
 * The statement's clock (the Runtime of the running statement): 'now', CURRENT_TIMESTAMP and
 * friends read the time once per statement and keep it, as SQLite does (statementNow in
 * datetime/clock.ts reads and fixes it).
 */
export interface StatementClock {
  /** Milliseconds since the Unix epoch, set by the statement's first reading of the time. */
  nowMs?: number;
}
