import type { OutputValue } from '../values/values.js';

/** When a trigger runs, relative to a row change. */
export type TriggerEvent = 'BEFORE INSERT' | 'AFTER INSERT' | 'BEFORE UPDATE' | 'AFTER UPDATE' | 'BEFORE DELETE' | 'AFTER DELETE';

/** A row as triggers see it: column name → value (integers as numbers, blobs as Buffers). */
export type TriggerRow = Record<string, OutputValue>;

/** What `SqlTriggers.fire` gets beside the row. */
export interface TriggerContext {
  /** For UPDATE: the row before the change (the `row` argument is the new row). */
  readonly oldRow?: TriggerRow;
}

/**
 * The hook through which plugins observe and veto row changes (the SDK wires its
 * PluginRegistry here). INSERT, UPDATE and DELETE call `fire` once per row. A BEFORE hook may
 * return a replacement row (INSERT/UPDATE); a throw from any hook aborts the whole statement
 * with nothing written, and the error reaches the caller unchanged. How these hooks and SQL
 * triggers (CREATE TRIGGER) interleave for a row is spelled out in row-triggers.ts.
 *
 * @example
 * ```ts
 * const sql = new SqlEngine(storage, {
 *   triggers: {
 *     has: (table, event) => table === 'users' && event === 'BEFORE INSERT',
 *     fire: (_table, _event, row) => ({ ...row, name: String(row['name']).trim() }), // the row to insert instead
 *   },
 * });
 * ```
 */
export interface SqlTriggers {
  /** Lets the engine skip building row objects when nothing listens (optional). */
  has?(table: string, event: TriggerEvent): boolean;
  /**
   * Called once per row with the new row (INSERT, UPDATE) or the deleted one (DELETE). From a
   * BEFORE INSERT/UPDATE hook, a returned row replaces the columns it names; other return values
   * are ignored. AFTER hooks run once the statement's rows are done, before its writes are applied.
   */
  fire(table: string, event: TriggerEvent, row: TriggerRow, context: TriggerContext): TriggerRow | void | Promise<TriggerRow | void>;
}
