// The `sql` option of `Database.open`: settings of the SQL engine the Database creates on first
// use. Checked when the database is opened — not when the first SQL statement runs — so a typo
// fails where it was made. zod is not a dependency of this package, so the check is written out;
// it follows DatabaseConfigSchema's rules: strict (an unknown field is an error), and each error
// is a ValidationError naming the field.
import { ValidationError } from '@sochdb/core';

/**
 * SQL engine settings, as `Database.open(path, { sql: { … } })` takes them.
 *
 * @example
 * ```ts
 * // A bulk job that reads each table once: no whole-table row cache, so memory stays flat.
 * const db = await Database.open('./data/app', { sql: { rowCacheRows: 0 } });
 * ```
 */
export interface DatabaseSqlOptions {
  /**
   * Decoded rows of whole tables the SQL engine keeps between queries, at most this many rows
   * over all tables (default 250,000; 0 turns the cache off). The cache makes repeated scans,
   * joins and searches of a table read memory instead of storage; a process that reads each
   * table once (an export, a batch job) gains nothing from it and holds up to this many rows.
   */
  readonly rowCacheRows?: number;
}

const FIELDS = new Set(['rowCacheRows']);

/** `input` as DatabaseSqlOptions; ValidationError (field `sql.…`) for anything else. */
export function parseSqlOptions(input: unknown): DatabaseSqlOptions {
  if (input === undefined) return {};
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new ValidationError("invalid database config field 'sql': expected an object such as { rowCacheRows: 0 }", {
      field: 'sql',
      remediation: "Check the database config you passed (field 'sql').",
    });
  }
  const fields = input as Record<string, unknown>;
  for (const key of Object.keys(fields)) {
    if (!FIELDS.has(key)) {
      throw new ValidationError(`invalid database config field 'sql.${key}': unknown option (the sql options are ${[...FIELDS].join(', ')})`, {
        field: `sql.${key}`,
        remediation: `Check the database config you passed (field 'sql.${key}').`,
      });
    }
  }
  const rows = fields['rowCacheRows'];
  if (rows === undefined) return {};
  if (typeof rows !== 'number' || !Number.isSafeInteger(rows) || rows < 0) {
    throw new ValidationError(`invalid database config field 'sql.rowCacheRows': expected a non-negative integer, got ${JSON.stringify(rows) ?? typeof rows}`, {
      field: 'sql.rowCacheRows',
      remediation: "Check the database config you passed (field 'sql.rowCacheRows'); 0 turns the row cache off.",
    });
  }
  return { rowCacheRows: rows };
}
