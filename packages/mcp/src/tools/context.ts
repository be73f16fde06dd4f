// What every group of tools is registered with.
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { ResolvedOptions } from '../options.js';
import type { NamespaceScope } from '../scope.js';

/** The server to register on, the namespace-fixed view of the database, and the options. */
export interface ToolContext {
  /** The MCP server the tools are registered on. */
  readonly server: McpServer;
  /** Everything the tools reach, fixed to one namespace. */
  readonly scope: NamespaceScope;
  /** The server's options, defaults filled in. */
  readonly options: ResolvedOptions;
}

/** MCP annotations of a tool that only reads. */
export const READ_ONLY = { readOnlyHint: true, openWorldHint: false } as const;
/** MCP annotations of a tool that writes (nothing it does is destructive unless said). */
export const WRITES = { readOnlyHint: false, destructiveHint: false, openWorldHint: false } as const;
