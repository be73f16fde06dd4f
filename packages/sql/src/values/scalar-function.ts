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
