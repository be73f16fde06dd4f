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
    readonly rows: readonly Row[],
    readonly columns: readonly string[],
    readonly rowsAffected: number,
    readonly lastInsertRowid: number | bigint,
  ) {}

  [Symbol.iterator](): Iterator<Row> {
    return this.rows[Symbol.iterator]();
  }

  get length(): number {
    return this.rows.length;
  }
}
