import { QueryError } from '@sochdb/core';
import type { PragmaStatement } from '../parse/index.js';
import type { Catalog } from '../schema/catalog.js';
import type { StatementResult } from '../statements/statement.js';
import type { Transaction } from '@sochdb/core';

const TABLE_INFO_COLUMNS = ['cid', 'name', 'type', 'notnull', 'dflt_value', 'pk'] as const;

/**
 * The PRAGMAs this engine answers, as SQLite does. `table_info(t)`: one row per column (cid, name,
 * declared type, notnull, default expression, position in the primary key or 0); no rows for a
 * table that does not exist, as in SQLite. Any other PRAGMA is refused with a QueryError, never
 * silently accepted (a setting this engine would then ignore is a wrong answer waiting to happen).
 */
export function runPragma(statement: PragmaStatement, catalog: Catalog, txn: Transaction | undefined): StatementResult {
  if (statement.schema !== undefined && !['main', 'temp'].includes(statement.schema.toLowerCase())) {
    throw new QueryError(`unknown database ${statement.schema}`);
  }
  switch (statement.name) {
    case 'table_info': {
      if (statement.value === undefined) return { rows: [], columns: TABLE_INFO_COLUMNS, rowsAffected: 0, lastInsertRowid: undefined };
      const name = String(statement.value);
      const table = catalog.table(name, txn);
      if (!table) {
        if (catalog.view(name, txn)) {
          throw new QueryError(`PRAGMA table_info of a view is not supported yet: ${name}`, { remediation: 'Run SELECT * FROM the view LIMIT 0 to see its column names.' });
        }
        return { rows: [], columns: TABLE_INFO_COLUMNS, rowsAffected: 0, lastInsertRowid: undefined };
      }
      const rows = table.columns.map((column, cid) => [
        BigInt(cid),
        column.name,
        declaredType(column.declaredType),
        column.notNull ? 1n : 0n,
        column.defaultText ?? defaultText(column.defaultSql),
        BigInt(table.primaryKey.indexOf(cid) + 1),
      ]);
      return { rows, columns: TABLE_INFO_COLUMNS, rowsAffected: 0, lastInsertRowid: undefined };
    }
    default:
      throw new QueryError(`PRAGMA ${statement.name} is not supported yet`, { remediation: 'PRAGMA table_info(name) is; engine.tables() lists the schema.' });
  }
}

/** SQLite (3.37+) stores a declared type that is exactly one of its standard names in capitals, any other as written. */
function declaredType(type: string): string {
  const upper = type.toUpperCase();
  return STANDARD_TYPES.has(upper) ? upper : type;
}
const STANDARD_TYPES = new Set(['ANY', 'BLOB', 'INT', 'INTEGER', 'REAL', 'TEXT']);

/**
 * The DEFAULT of a column stored before its text was kept, as near as SQLite shows it: the
 * expression re-printed, which reads the same for literals, NULL and CURRENT_TIME/DATE/
 * TIMESTAMP. A negative number is printed as a parenthesized negation; SQLite shows `-1`.
 */
function defaultText(sql: string | undefined): string | null {
  if (sql === undefined) return null;
  const negative = /^\((-[0-9][0-9.eE+-]*)\)$/.exec(sql);
  return negative ? negative[1]! : sql;
}
