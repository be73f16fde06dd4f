import type { ConnectionCounters, ScalarFunction } from './scalar-function.js';

/**
 * changes(), total_changes() and last_insert_rowid(): SQLite answers them from the connection,
 * so they read the engine's counters (Runtime.connection) instead of their arguments. `fn` is
 * what a call outside any engine sees: nothing changed, no row inserted.
 */
const counter = (read: (c: ConnectionCounters) => bigint): ScalarFunction => ({ min: 0, max: 0, fn: () => 0n, withConnection: read });

export const CONNECTION_FUNCTIONS: readonly (readonly [string, ScalarFunction])[] = [
  ['changes', counter((c) => BigInt(c.changes))],
  ['total_changes', counter((c) => BigInt(c.totalChanges))],
  ['last_insert_rowid', counter((c) => c.lastInsertRowid)],
];
