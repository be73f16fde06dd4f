import { validateNamespaceName } from '@sochdb/sdk';

/** What `createMcpServer` (and `serveStdio`, `serveHttp`) take. */
export interface McpServerOptions {
  /**
   * The one namespace this server reaches (its KV, collections, graph, temporal edges, queues and
   * SQL tables); a server started for namespace A can never touch B. Letters, digits, '_', '-'
   * and '.', as for `db.createNamespace`.
   */
  readonly namespace: string;
  /**
   * Registers the write tools (sql_execute, kv_put, kv_delete, collection_insert, queue_enqueue,
   * queue_dequeue, queue_ack, queue_nack). Default false: a read-only server lists none of them, and
   * `sql_query` runs every statement in a read-only transaction.
   */
  readonly allowWrites?: boolean;
  /** The server name announced to clients (default `'sochdb'`). */
  readonly name?: string;
  /** The server version announced to clients (default: this package's version). */
  readonly version?: string;
}

/** The options after defaults, as the tools read them. */
export interface ResolvedOptions {
  /** See McpServerOptions.namespace. */
  readonly namespace: string;
  /** See McpServerOptions.allowWrites. */
  readonly allowWrites: boolean;
  /** See McpServerOptions.name. */
  readonly name: string;
  /** See McpServerOptions.version. */
  readonly version: string;
}

/** This package's version, announced when `version` is not given (kept in step with package.json by a test). */
export const PACKAGE_VERSION = '0.1.0';

/** Checks the options (InvalidNamespaceNameError for a bad namespace) and fills in defaults. */
export function resolveOptions(options: McpServerOptions): ResolvedOptions {
  // Checked here, not at the first tool call: a typo in --namespace should stop the server at start.
  const namespace = validateNamespaceName(options?.namespace);
  return {
    namespace,
    allowWrites: options.allowWrites === true,
    name: options.name ?? 'sochdb',
    version: options.version ?? PACKAGE_VERSION,
  };
}
