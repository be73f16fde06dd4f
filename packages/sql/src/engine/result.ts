import type { OutputValue } from '../values/values.js';

/** A result row in the default `rowMode: 'object'`: column name → value (a later duplicate name wins). */
export type SqlRow = Record<string, OutputValue>;

/**
 * What `execute` returns. Iterating it yields its rows. `rowsAffected` counts rows written by
 * INSERT/UPDATE/DELETE (summed over the statements of one call); `lastInsertRowid` is the rowid
 * of the last row inserted by the call (0 when none).
 */
export class SqlResult<Row = SqlRow> implements Iterable<Row> {
  constructor(
    /**
     * The rows of the call's last statement that returns columns (else of its last statement), in
     * result order; objects or arrays as `rowMode` says. Empty for a write without RETURNING.
     */
    readonly rows: readonly Row[],
    /** The column names of the statement `rows` come from, in order; empty when no statement returns columns. */
    readonly columns: readonly string[],
    /** Rows written by INSERT/UPDATE/DELETE, summed over the call's statements (trigger writes not counted, as in SQLite). */
    readonly rowsAffected: number,
    /** The rowid of the last row the call inserted, 0 when none; a bigint under `safeIntegers`. */
    readonly lastInsertRowid: number | bigint,
  ) {}

  /** Iterates `rows`, so `for (const row of result)` and `[...result]` work. */
  [Symbol.iterator](): Iterator<Row> {
    return this.rows[Symbol.iterator]();
  }

  /** `rows.length`. */
  get length(): number {
    return this.rows.length;
  }
}
