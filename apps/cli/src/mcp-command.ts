// `sochdb mcp <db> [--namespace NAME] [--write]`: the database as a Model Context Protocol server
// on stdin/stdout, for Claude Desktop and other MCP clients that start a local server. stdout
// carries only the protocol, so everything this command says goes to stderr. The server runs
// until the client closes stdin (or a signal), then closes the database.
import { serveStdio } from '@sochdb/mcp';
import { openDatabase } from './open-database.js';

/** The flags of `sochdb mcp`. */
export interface McpFlags {
  /** The one namespace the server reaches (default 'default'). */
  readonly namespace?: string;
  /** Register the write tools (SQL writes, KV put/delete, inserts, queue claims). */
  readonly write?: boolean;
}

/** Serves `location` over stdio until the client disconnects. */
export async function mcpCommand(location: string, flags: McpFlags): Promise<void> {
  const namespace = flags.namespace ?? 'default';
  const allowWrites = flags.write === true;
  // A read-only server never creates the database it was pointed at (a typo would make a new,
  // empty one); with --write, as with `import`, the folder is created when missing.
  const db = await openDatabase(location, { create: allowWrites });
  let closing: Promise<void> | undefined;
  const shutdown = (): Promise<void> => (closing ??= server.close().finally(() => db.close()));
  const server = await serveStdio(db, { namespace, allowWrites }).catch(async (error: unknown) => {
    await db.close();
    throw error;
  });
  process.stderr.write(`sochdb mcp: serving ${location} (namespace '${namespace}', ${allowWrites ? 'read-write' : 'read-only'}) on stdio\n`);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void shutdown().finally(() => process.exit(0)));
  await server.closed;
  await shutdown();
  process.stderr.write('sochdb mcp: client disconnected, database closed\n');
}
