// Resources: what a client can read (and show) without a tool call — the namespace's SQL schema,
// each table's columns, and its collections. URIs name the namespace:
//   sochdb://<ns>/schema               every table's CREATE statement
//   sochdb://<ns>/tables/<table>       one table's columns (PRAGMA table_info)
//   sochdb://<ns>/collections          every collection's settings
import { ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { ReadResourceResult } from '@modelcontextprotocol/sdk/types.js';
import { NamespaceNotFoundError, NoSuchTableError } from '@sochdb/sdk';
import { plainRows, toonTable } from './values.js';
import type { ToolContext } from './tools/context.js';

const JSON_TYPE = 'application/json';

/** Registers the schema, table and collection resources. */
export function registerResources({ server, scope, options }: ToolContext): void {
  const base = `sochdb://${options.namespace}`;
  const read = async (sql: string): Promise<readonly Readonly<Record<string, unknown>>[]> => {
    // The same read-only transaction sql_query uses: reading a resource never writes.
    const txn = scope.db.storage.beginTransaction({ readOnly: true });
    try {
      return (await scope.sql.execute(sql, [], { txn })).rows;
    } finally {
      await txn.abort();
    }
  };
  const tables = () => read("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name");
  const json = (uri: URL, value: unknown): ReadResourceResult => ({ contents: [{ uri: uri.href, mimeType: JSON_TYPE, text: JSON.stringify(value, null, 2) }] });

  server.registerResource(
    'schema',
    `${base}/schema`,
    { title: 'SQL schema', description: `The CREATE statement of every SQL table in namespace '${options.namespace}'.`, mimeType: 'text/plain' },
    async (uri) => {
      const rows = await tables();
      const text = rows.length === 0 ? '-- no tables' : rows.map((r) => `${String(r['sql'])};`).join('\n');
      return { contents: [{ uri: uri.href, mimeType: 'text/plain', text }] };
    },
  );
  server.registerResource(
    'table',
    new ResourceTemplate(`${base}/tables/{table}`, {
      // Listed so a client can show every table without knowing its name first.
      list: async () => ({
        resources: (await tables()).map((r) => ({
          uri: `${base}/tables/${encodeURIComponent(String(r['name']))}`,
          name: `table ${String(r['name'])}`,
          mimeType: JSON_TYPE,
        })),
      }),
    }),
    { title: 'SQL table', description: `One SQL table of namespace '${options.namespace}': its columns and CREATE statement.`, mimeType: JSON_TYPE },
    async (uri, variables) => {
      const table = decodeURIComponent(String(variables['table']));
      const quoted = `"${table.replace(/"/g, '""')}"`;
      const created = (await tables()).find((r) => r['name'] === table);
      if (created === undefined) {
        throw new NoSuchTableError(`no such table: ${table}`, { remediation: `Read ${base}/schema for the tables of this namespace.` });
      }
      const columns = await read(`PRAGMA table_info(${quoted})`);
      return json(uri, { table, sql: created['sql'], columns: plainRows(columns) });
    },
  );
  server.registerResource(
    'collections',
    `${base}/collections`,
    { title: 'Collections', description: `The vector collections of namespace '${options.namespace}' with their settings.`, mimeType: 'text/plain' },
    async (uri) => {
      // A namespace not created yet simply has no collections: a resource read is not an error.
      const list = await scope.reader().then(
        (ns) => ns.listCollections(),
        (error: unknown) => {
          if (error instanceof NamespaceNotFoundError) return [];
          throw error;
        },
      );
      return { contents: [{ uri: uri.href, mimeType: 'text/plain', text: toonTable('collections', plainRows(list)) }] };
    },
  );
}
