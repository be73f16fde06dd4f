import { resolve } from 'node:path';
import { IpcServer } from '@sochdb/ipc';
import type { HttpServer } from '@sochdb/mcp';
import type { RunningStudio } from '@sochdb/studio';
import {
  checkMetricsAccess,
  createLogger,
  createServerMetrics,
  logFunction,
  serveMetrics,
  type Logger,
  type LogLevel,
  type MetricsServer,
} from '@sochdb/observability';
import { Database, ROOT_KV_PREFIX } from '@sochdb/sdk';
import { removePidFile, writePidFile } from './pidfile.js';
import { StoredGauges } from './stored-gauges.js';

export interface ServeOptions {
  readonly db: string;
  readonly socket?: string;
  readonly maxClients?: number;
  readonly timeoutMs?: number;
  readonly frameTimeoutMs?: number;
  readonly maxFrameBytes?: number;
  readonly maxTxnsPerConnection?: number;
  readonly txnIdleTimeoutMs?: number;
  /** Verbosity of the JSON log lines on stderr (default `info`); ignored when `logger` is given. */
  readonly logLevel?: LogLevel;
  /** Where the log lines go instead (a pino logger from @sochdb/observability's createLogger). */
  readonly logger?: Logger;
  /** Serve Prometheus metrics on this port (0 = any free one); off when undefined. */
  readonly metricsPort?: number;
  /** Interface of the metrics port (default 127.0.0.1); beyond loopback it needs `metricsAllowRemote`. */
  readonly metricsHost?: string;
  /** Serve metrics beyond loopback on purpose (they have no authentication). */
  readonly metricsAllowRemote?: boolean;
  /** Serve the database to AI agents over MCP (streamable HTTP, `/mcp`) on this port (0 = any free one); off when undefined. */
  readonly mcpPort?: number;
  /**
   * Serve SochDB Studio (the web UI, @sochdb/studio) on 127.0.0.1 at this port (0 = any free one),
   * behind a random token; off when undefined. A studio started on its own cannot open a folder
   * this server holds (its socket serves only the root KV keyspace): this one shows the server's
   * own Database, everything in it.
   */
  readonly studioPort?: number;
  /** Let the studio change data (KV edits, SQL writes, dead-letter retry and purge); read-only otherwise. */
  readonly studioWrite?: boolean;
  /** Interface of the MCP port (default 127.0.0.1); beyond 127.0.0.1, ::1 and localhost it needs `mcpAllowRemote`. */
  readonly mcpHost?: string;
  /** Serve MCP beyond loopback on purpose (the endpoint has no authentication). */
  readonly mcpAllowRemote?: boolean;
  /** The one namespace the MCP endpoint reaches (default 'default'). */
  readonly mcpNamespace?: string;
  /** Register the MCP write tools (sql_execute, kv_put, …); read-only otherwise. */
  readonly mcpWrite?: boolean;
}

export interface RunningServer {
  readonly socketPath: string;
  readonly db: Database;
  /** `http://host:port/metrics` when metrics are served. */
  readonly metricsUrl?: string;
  /** `http://host:port/mcp` when MCP is served. */
  readonly mcpUrl?: string;
  /** The studio's address with its access token (`http://127.0.0.1:port/?token=…`) when it is served. */
  readonly studioUrl?: string;
  readonly logger: Logger;
  /** Graceful stop: finishes in-flight requests, checkpoints, removes socket and pid file. */
  stop(): Promise<void>;
}

/** Opens the database and serves it on its Unix socket (default `<db>/sochdb.sock`). */
export async function serve(options: ServeOptions): Promise<RunningServer> {
  const dbPath = resolve(options.db);
  const socketPath = resolve(options.socket ?? `${dbPath}/sochdb.sock`);
  const metricsAccess = { port: options.metricsPort!, host: options.metricsHost ?? '127.0.0.1', allowRemote: options.metricsAllowRemote === true };
  // Before the database is opened: a refused metrics host leaves nothing behind.
  if (options.metricsPort !== undefined) checkMetricsAccess(metricsAccess);
  // @sochdb/mcp (and the MCP SDK) load only when asked for: ~0.5 s of start-up otherwise.
  const mcpModule = options.mcpPort === undefined ? undefined : await import('@sochdb/mcp');
  const mcpAccess = mcpModule?.checkMcpEndpoint({
    port: options.mcpPort,
    host: options.mcpHost ?? '127.0.0.1',
    allowRemote: options.mcpAllowRemote === true,
    namespace: options.mcpNamespace ?? 'default',
    allowWrites: options.mcpWrite === true,
  });
  // Like MCP, @sochdb/studio loads only when asked for.
  const studioModule = options.studioPort === undefined ? undefined : await import('@sochdb/studio');
  const logger = options.logger ?? createLogger({ level: options.logLevel ?? 'info', name: 'sochdb-server' });
  const db = await Database.open(dbPath);
  // Counters from the storage itself: cheap (no scan), so a scrape never slows the server. Queue
  // depths and collection sizes are read from the stored records, and again only after writes.
  const stored = options.metricsPort === undefined ? undefined : new StoredGauges(db.storage, logger);
  const metrics =
    stored === undefined
      ? undefined
      : createServerMetrics({ server: 'ipc', dbStats: () => db.storage.stats(), queues: () => stored.queues(), collections: () => stored.collections() });
  const server = new IpcServer(db.storage, {
    socketPath,
    keyspace: ROOT_KV_PREFIX,
    log: logFunction(logger),
    ...(metrics ? { onRequest: (event) => metrics.observe(event) } : {}),
    // The server ignores undefined options: it applies its own defaults.
    maxClients: options.maxClients,
    idleTimeoutMs: options.timeoutMs,
    frameTimeoutMs: options.frameTimeoutMs,
    maxFrameBytes: options.maxFrameBytes,
    maxTransactionsPerConnection: options.maxTxnsPerConnection,
    transactionIdleTimeoutMs: options.txnIdleTimeoutMs,
    handlers: {
      sql: async (sql, params, txn) => toWire(await db.executeSql(sql, params as never, txn ? { txn } : {})),
      query: async (request) => runQuery(db, request),
      stats: async () => db.stats(),
    },
  });
  let http: MetricsServer | undefined;
  let mcp: HttpServer | undefined;
  let studio: RunningStudio | undefined;
  try {
    // The metrics and MCP ports first: a refused host or a taken port leaves no socket behind.
    if (metrics) {
      http = await serveMetrics({ registry: metrics.registry, ...metricsAccess });
      logger.info(`metrics on ${http.url}`);
    }
    if (mcpAccess) {
      // The same Database the socket serves: agents see what clients write, and the reverse.
      mcp = await mcpModule!.serveHttp(db, { ...mcpAccess, allowRemote: mcpAccess.remote });
      logger.info(mcpModule!.describeMcpEndpoint(mcp.url, mcpAccess));
      if (mcpAccess.remote) logger.warn(`serving MCP on ${mcp.url} without authentication (--mcp-allow-remote)`);
    }
    if (studioModule) {
      studio = await studioModule.startStudio({ db, port: options.studioPort, write: options.studioWrite === true });
      logger.info(`studio on ${studio.url} (${options.studioWrite === true ? 'write' : 'read-only'})`);
    }
    await server.listen();
  } catch (error) {
    await studio?.close();
    await mcp?.close();
    await http?.close();
    await db.close();
    throw error;
  }
  writePidFile({ pid: process.pid, socket: socketPath, db: dbPath, startedAt: new Date().toISOString() });
  let stopping: Promise<void> | undefined;
  return {
    socketPath,
    db,
    logger,
    ...(http ? { metricsUrl: http.url } : {}),
    ...(mcp ? { mcpUrl: mcp.url } : {}),
    ...(studio ? { studioUrl: `${studio.url}/?token=${studio.token}` } : {}),
    stop: () =>
      (stopping ??= (async () => {
        // MCP sessions and the studio end before the database closes under them.
        await studio?.close();
        await mcp?.close();
        await http?.close();
        await server.close();
        await db.checkpoint();
        await db.close();
        removePidFile(dbPath);
      })()),
  };
}

interface QueryRequest {
  readonly prefix: string;
  readonly select?: readonly string[];
  readonly limit?: number;
  readonly offset?: number;
  readonly format?: 'toon' | 'rows';
}

async function runQuery(db: Database, raw: unknown): Promise<unknown> {
  const request = raw as QueryRequest;
  let query = db.query(request.prefix);
  if (request.select) query = query.select(request.select);
  if (request.offset !== undefined) query = query.offset(request.offset);
  if (request.limit !== undefined) query = query.limit(request.limit);
  return request.format === 'toon' ? query.toToon() : query.toRecords();
}

/** SQL results as JSON: BLOBs as `{ $base64 }`, 64-bit integers as strings. */
function toWire(result: { rows: readonly unknown[]; columns: readonly string[]; rowsAffected: number; lastInsertRowid: unknown }): unknown {
  const fix = (v: unknown): unknown =>
    Buffer.isBuffer(v) || v instanceof Uint8Array ? { $base64: Buffer.from(v).toString('base64') } : typeof v === 'bigint' ? v.toString() : v;
  return {
    columns: result.columns,
    rows: result.rows.map((row) => (Array.isArray(row) ? row.map(fix) : Object.fromEntries(Object.entries(row as object).map(([k, v]) => [k, fix(v)])))),
    rowsAffected: result.rowsAffected,
    lastInsertRowid: fix(result.lastInsertRowid),
  };
}
