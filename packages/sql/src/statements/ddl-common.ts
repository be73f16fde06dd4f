import { QueryError } from '@sochdb/core';
import type { ExecContext, Executable, StatementResult } from './statement.js';

// What the DDL compilers (ddl.ts, ddl-trigger.ts, alter.ts) share.

const DONE: StatementResult = { rows: [], columns: [], rowsAffected: 0, lastInsertRowid: undefined };

export function ddl(describe: string, run: (ec: ExecContext) => Promise<void>): Executable {
  return {
    kind: 'ddl',
    subqueries: [],
    explain: () => [describe],
    async run(ec) {
      await run(ec);
      await ec.writes.flush();
      return DONE;
    },
  };
}

export function checkSchema(schema: string | undefined): void {
  if (schema !== undefined && !['main', 'temp'].includes(schema.toLowerCase())) {
    throw new QueryError(`unknown database ${schema}`, { remediation: 'Only the main database exists; drop the schema prefix.' });
  }
}

/** SQLite keeps names beginning with `sqlite_` for itself (sqlite3CheckObjectName). */
export function reservedName(name: string): void {
  if (name.toLowerCase().startsWith('sqlite_')) {
    throw new QueryError(`object name reserved for internal use: ${name}`, { remediation: 'Pick a name that does not begin with sqlite_.' });
  }
}
