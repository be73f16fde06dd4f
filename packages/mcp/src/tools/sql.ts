// sql_query (always) and sql_execute (with writes): SQL on the namespace's own engine (see scope.ts).
import { TransactionError, type SqlResult } from '@sochdb/sdk';
import { z } from 'zod';
import { sqlParams } from '../schemas.js';
import { guarded, ok } from '../tool-result.js';
import { plainRows, toonTable } from '../values.js';
import { READ_ONLY, WRITES, type ToolContext } from './context.js';

const sql = z.string().min(1, 'sql must not be empty').max(100_000).describe('SQL text (SQLite dialect); several statements may be separated by ;');

/** Registers sql_query, and sql_execute when writes are allowed. */
export function registerSqlTools({ server, scope, options }: ToolContext): void {
  server.registerTool(
    'sql_query',
    {
      title: 'SQL query (read-only)',
      description:
        `Run a read-only SQL query (SQLite dialect) on the tables of namespace '${options.namespace}'. ` +
        'Rows come back as compact TOON: name[count]{columns}:row;row. Statements that write are refused.' +
        " List tables with: SELECT name, sql FROM sqlite_master WHERE type = 'table'.",
      inputSchema: { sql, params: sqlParams },
      annotations: READ_ONLY,
    },
    guarded(async (args) => {
      // A read-only transaction, not a parse of the text: whatever the statement is (a CTE that
      // writes, a PRAGMA with a side effect), storage itself refuses the first write.
      const txn = scope.db.storage.beginTransaction({ readOnly: true });
      try {
        return sqlResult(await scope.sql.execute(args.sql, args.params, { txn }));
      } catch (error) {
        throw readOnlyRefusal(error, options.allowWrites);
      } finally {
        await txn.abort();
      }
    }),
  );
  if (!options.allowWrites) return;
  server.registerTool(
    'sql_execute',
    {
      title: 'SQL execute (writes)',
      description:
        `Run SQL that writes (CREATE, INSERT, UPDATE, DELETE, ...) on namespace '${options.namespace}'. ` +
        'All statements of one call commit together or not at all; BEGIN/COMMIT are not needed (and refused).',
      inputSchema: { sql, params: sqlParams },
      annotations: { ...WRITES, destructiveHint: true },
    },
    guarded(async (args) => {
      // One transaction per call: a script's statements land together, and no BEGIN can leave a
      // transaction open on the shared engine between calls.
      const result = await scope.db.storage.transaction((txn) => scope.sql.execute(args.sql, args.params, { txn }), { retries: 3 });
      return sqlResult(result);
    }),
  );
}

/**
 * Rows a result shows at most. A model that runs `SELECT *` on a large table would otherwise get
 * all of it into its context; it is told how many rows were left out, and to add a LIMIT.
 */
export const MAX_RESULT_ROWS = 500;

/** The result as TOON rows (or the count of rows written), and as structured content. */
function sqlResult(result: SqlResult): ReturnType<typeof ok> {
  const total = result.rows.length;
  const rows = plainRows(total > MAX_RESULT_ROWS ? result.rows.slice(0, MAX_RESULT_ROWS) : result.rows);
  const lastInsertRowid = Number(result.lastInsertRowid);
  const structured = { columns: result.columns, rows, totalRows: total, rowsAffected: result.rowsAffected, lastInsertRowid };
  if (result.columns.length === 0) return ok(`ok: ${result.rowsAffected} row(s) affected, lastInsertRowid ${lastInsertRowid}`, structured);
  const more = total > rows.length ? `\n(${total - rows.length} more rows not shown: add a LIMIT, or aggregate)` : '';
  return ok(toonTable('rows', rows, result.columns) + more, structured);
}

/** Storage's "transaction is read-only" said in terms of the tool. */
function readOnlyRefusal(error: unknown, writesAllowed: boolean): unknown {
  if (!(error instanceof TransactionError) || !error.message.includes('read-only')) return error;
  return new TransactionError('sql_query is read-only: the statement tried to write, and nothing was written', {
    cause: error,
    remediation: writesAllowed
      ? 'Use the sql_execute tool for statements that write.'
      : 'This server is read-only; writes need a server started with writes enabled (sochdb mcp --write).',
  });
}
