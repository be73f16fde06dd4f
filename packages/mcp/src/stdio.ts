// serveStdio: the server on this process's stdin and stdout (how Claude Desktop and most MCP
// clients start a local server). stdout then carries only the protocol: log to stderr.
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { Database } from '@sochdb/sdk';
import type { McpServerOptions } from './options.js';
import { createMcpServer } from './server.js';

/** A running stdio server: `closed` resolves when the client hangs up (stdin ends) or `close()` is called. */
export interface StdioServer {
  /** Resolves once the connection has ended. */
  readonly closed: Promise<void>;
  /** Ends the connection (the database stays open: it is the caller's). */
  close(): Promise<void>;
}

/**
 * Serves `db` over stdin/stdout until the client disconnects.
 *
 * @example
 * ```ts
 * const db = await Database.open('./data/app');
 * const { closed } = await serveStdio(db, { namespace: 'default' });
 * await closed;
 * await db.close();
 * ```
 */
export async function serveStdio(db: Database, options: McpServerOptions): Promise<StdioServer> {
  const server = createMcpServer(db, options);
  const transport = new StdioServerTransport();
  const closed = new Promise<void>((resolve) => {
    transport.onclose = () => resolve();
    // The transport does not notice a closed stdin on its own; the client going away ends the server.
    process.stdin.once('end', () => void server.close());
  });
  await server.connect(transport);
  return { closed, close: () => server.close() };
}
