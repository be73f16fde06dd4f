import type { StatementClock } from '../scalar-function.js';

/** Julian day number of the Unix epoch, in milliseconds (1970-01-01 00:00:00 is JD 2440587.5). */
export const UNIX_EPOCH_JD_MS = 210866760000000;

/**
 * The statement's current time in ms since the Unix epoch. The first reading fixes it: every
 * 'now', CURRENT_TIMESTAMP, CURRENT_DATE and CURRENT_TIME of one statement is the same instant,
 * as SQLite guarantees, however long the statement runs.
 */
export function statementNow(clock: StatementClock): number {
  return (clock.nowMs ??= Date.now());
}
