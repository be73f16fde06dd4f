// createMcpServer: one McpServer whose tools and resources all go through one NamespaceScope.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Database } from '@sochdb/sdk';
import { resolveOptions, type McpServerOptions } from './options.js';
import { registerResources } from './resources.js';
import { NamespaceScope } from './scope.js';
import { registerCollectionTools } from './tools/collections.js';
import { registerContextTool } from './tools/context-build.js';
import type { ToolContext } from './tools/context.js';
import { registerGraphTools } from './tools/graph.js';
import { registerKvTools } from './tools/kv.js';
import { registerQueueTools } from './tools/queues.js';
import { registerSqlTools } from './tools/sql.js';

/**
 * An MCP server exposing one namespace of `db` to a model: tools for SQL, KV, collections,
 * queues, the graph and temporal graph and `context_build` (@sochdb/context's builder), and
 * resources for the SQL schema and the collections. Read-only unless
 * `allowWrites`. Connect it to a transport yourself, or use `serveStdio` / `serveHttp`.
 * One McpServer serves one connection; make one per client.
 *
 * @example
 * ```ts
 * import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
 * const db = await Database.open('./data/app');
 * const server = createMcpServer(db, { namespace: 'tenant_a' });
 * await server.connect(new StdioServerTransport());
 * ```
 */
export function createMcpServer(db: Database, options: McpServerOptions): McpServer {
  const resolved = resolveOptions(options);
  const server = new McpServer(
    { name: resolved.name, version: resolved.version },
    {
      instructions:
        `SochDB database, namespace '${resolved.namespace}'` +
        (resolved.allowWrites ? ' (reads and writes).' : ' (read-only).') +
        ' Tabular results are compact TOON: name[count]{col,col}:v,v;v,v — rows separated by ;.',
    },
  );
  const context: ToolContext = { server, scope: new NamespaceScope(db, resolved.namespace), options: resolved };
  registerSqlTools(context);
  registerKvTools(context);
  registerCollectionTools(context);
  registerQueueTools(context);
  registerGraphTools(context);
  registerContextTool(context);
  registerResources(context);
  return server;
}
