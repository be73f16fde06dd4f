import { setMaxListeners } from 'node:events';
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { Server, ServerCredentials } from '@grpc/grpc-js';
import { ConnectionError, ValidationError } from '@sochdb/core';
import { DEFAULT_MAX_MESSAGE_BYTES, loadProtos } from '@sochdb/grpc-client';
import type { HttpServer } from '@sochdb/mcp';
import { Database, type QueueConfigInput } from '@sochdb/sdk';
import { checkMetricsAccess, createServerMetrics, serveMetrics, type MetricsServer } from '@sochdb/observability';
import { bearerAuth, checkAccess, isLoopback, unbracket } from './auth.js';
import { createLogger, type Logger, type LogLevel } from './logger.js';
import { implement, type CallContext } from './rpc.js';
import { collectionService, servedCollectionSizes, vectorIndexService } from './services/collections.js';
import { graphService } from './services/graph.js';
import { healthService } from './services/health.js';
import { kvService } from './services/kv.js';
import { namespaceService } from './services/namespaces.js';
import { queueService, ServedQueues } from './services/queue.js';
import { sqlService } from './services/sql.js';

export interface ServerOptions {
  /**
   * Interface to listen on (default 127.0.0.1: loopback only). Beyond loopback (anything but
   * 127.0.0.0/8, ::1 or localhost) it needs `apiKey`, or `insecure: true`.
   */
  readonly host?: string;
  /** Port (default 50051); 0 picks a free one, reported as `port`. */
  readonly port?: number;
  /** A database folder (opened, and closed on `close()`), ':memory:', or an open Database (left open). */
  readonly db: string | Database;
  /**
   * When set, every call but the health check needs `authorization: Bearer <apiKey>`. Leave it
   * undefined for no key; an empty or whitespace-only key is a ValidationError, never "no auth".
   */
  readonly apiKey?: string;
  /** Serve beyond loopback without an API key, on purpose (logged as a warning). Default false. */
  readonly insecure?: boolean;
  /** PEM certificate chain and private key (paths or contents); TLS when given. */
  readonly tls?: { readonly cert: string | Buffer; readonly key: string | Buffer };
  readonly logLevel?: LogLevel;
  readonly logger?: Logger;
  /** Config of each durable queue by name (default: the queue defaults). */
  readonly queueConfig?: (queue: string) => QueueConfigInput | undefined;
  /** Largest request or reply message, in bytes (default 64 MiB). */
  readonly maxMessageBytes?: number;
  /** How long `close()` waits for in-flight calls before cancelling them (default 10 s). */
  readonly shutdownTimeoutMs?: number;
  /**
   * Serve Prometheus metrics on `http://host:port/metrics` (off when undefined). `host` defaults
   * to 127.0.0.1; beyond loopback it needs `allowRemote: true` (the metrics have no authentication).
   */
  readonly metrics?: { readonly port: number; readonly host?: string; readonly allowRemote?: boolean };
  /**
   * Serve the database to AI agents over MCP (@sochdb/mcp: streamable HTTP on
   * `http://host:port/mcp`; off when undefined). `host` defaults to 127.0.0.1; anything beyond
   * loopback needs `allowRemote: true` (the endpoint has no authentication: the API key and TLS do
   * not cover it). One `namespace` (default 'default'); the write tools only
   * with `allowWrites: true`.
   */
  readonly mcp?: {
    readonly port: number;
    readonly host?: string;
    readonly allowRemote?: boolean;
    readonly namespace?: string;
    readonly allowWrites?: boolean;
  };
}

export interface RunningServer extends AsyncDisposable {
  readonly host: string;
  /** The bound port (the chosen one when started with port 0). */
  readonly port: number;
  /** `host:port`, ready for `new SochDBClient(address)`. */
  readonly address: string;
  readonly db: Database;
  /** `http://host:port/metrics` when `metrics` was given. */
  readonly metricsUrl?: string;
  /** `http://host:port/mcp` when `mcp` was given. */
  readonly mcpUrl?: string;
  /** Stops taking calls, lets in-flight ones finish, then closes the database (if it opened it). */
  close(): Promise<void>;
}

const SERVICES = ['KvService', 'NamespaceService', 'CollectionService', 'VectorIndexService', 'GraphService', 'SqlService', 'QueueService'] as const;

/** Starts sochdb-grpc-server's services on a database and resolves once it is listening. */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const requestedHost = options.host ?? '127.0.0.1';
  const port = options.port ?? 50051;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ValidationError(`port must be an integer 0–65535, got ${String(port)}`, { field: 'port' });
  if (options.maxMessageBytes !== undefined && !(Number.isSafeInteger(options.maxMessageBytes) && options.maxMessageBytes > 0)) {
    throw new ValidationError('maxMessageBytes must be a positive integer', { field: 'maxMessageBytes' });
  }
  // Before the database is opened or a port bound: a refused configuration leaves nothing behind.
  checkAccess({ host: requestedHost, apiKey: options.apiKey, insecure: options.insecure });
  if (options.metrics) checkMetricsAccess(options.metrics);
  // @sochdb/mcp (and the MCP SDK) load only when asked for: ~0.5 s of start-up otherwise.
  const mcpModule = options.mcp ? await import('@sochdb/mcp') : undefined;
  const mcpAccess = options.mcp ? mcpModule!.checkMcpEndpoint(options.mcp) : undefined;
  const host = unbracket(requestedHost);
  // IPv6 needs brackets before the port ("::1:50051" does not parse as host and port).
  const hostPort = (p: number) => (isIP(host) === 6 ? `[${host}]:${p}` : `${host}:${p}`);
  const log = options.logger ?? createLogger(options.logLevel ?? 'info');
  const credentials = options.tls
    ? ServerCredentials.createSsl(null, [{ cert_chain: pem(options.tls.cert, 'tls.cert'), private_key: pem(options.tls.key, 'tls.key') }])
    : ServerCredentials.createInsecure();

  const ownsDb = typeof options.db === 'string';
  const db = typeof options.db === 'string' ? await Database.open(options.db) : options.db;
  let serving = true;
  const { sochdb, health } = loadProtos();
  const servedQueues = new ServedQueues();
  // Counters from the storage itself: cheap (no scan), so a scrape never slows the server.
  const metrics = options.metrics
    ? createServerMetrics({
        server: 'grpc',
        dbStats: () => db.storage.stats(),
        queues: () => servedQueues.depths(),
        collections: () => servedCollectionSizes(db),
      })
    : undefined;
  // Aborted as close() begins: waiting calls (long-poll dequeues) answer at once, so they never hold up the shutdown.
  const stopping = new AbortController();
  setMaxListeners(0, stopping.signal);
  const ctx: CallContext = {
    authorize: bearerAuth(options.apiKey),
    log,
    stopping: stopping.signal,
    ...(metrics ? { observe: (event) => metrics.observe(event) } : {}),
  };
  const maxMessageBytes = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  const server = new Server({ 'grpc.max_receive_message_length': maxMessageBytes, 'grpc.max_send_message_length': maxMessageBytes });
  server.addService(sochdb.KvService.service, implement(sochdb.KvService.service, kvService(db), ctx));
  server.addService(sochdb.NamespaceService.service, implement(sochdb.NamespaceService.service, namespaceService(db), ctx));
  server.addService(sochdb.CollectionService.service, implement(sochdb.CollectionService.service, collectionService(db), ctx));
  server.addService(sochdb.VectorIndexService.service, implement(sochdb.VectorIndexService.service, vectorIndexService(db), ctx));
  server.addService(sochdb.GraphService.service, implement(sochdb.GraphService.service, graphService(db), ctx));
  server.addService(sochdb.SqlService.service, implement(sochdb.SqlService.service, sqlService(db), ctx));
  server.addService(
    sochdb.QueueService.service,
    implement(sochdb.QueueService.service, queueService(db, options.queueConfig ?? (() => undefined), servedQueues), ctx),
  );
  const healthImpl = healthService(
    SERVICES.map((s) => `sochdb.v1.${s}`),
    () => serving,
  );
  server.addService(health.Health.service, implement(health.Health.service, healthImpl, ctx, { public: true }));

  let http: MetricsServer | undefined;
  let mcp: HttpServer | undefined;
  try {
    if (metrics && options.metrics) {
      http = await serveMetrics({
        registry: metrics.registry,
        port: options.metrics.port,
        host: options.metrics.host ?? '127.0.0.1',
        allowRemote: options.metrics.allowRemote === true,
      });
    }
    // The same Database the services use: agents see what gRPC clients write, and the reverse.
    if (mcpAccess) mcp = await mcpModule!.serveHttp(db, { ...mcpAccess, allowRemote: mcpAccess.remote });
  } catch (error) {
    await http?.close();
    if (ownsDb) await db.close();
    throw error;
  }

  let boundPort: number;
  try {
    boundPort = await new Promise<number>((resolve, reject) =>
      server.bindAsync(hostPort(port), credentials, (error, bound) => (error ? reject(error) : resolve(bound))),
    );
  } catch (error) {
    await mcp?.close();
    await http?.close();
    if (ownsDb) await db.close();
    throw new ConnectionError(`cannot listen on ${hostPort(port)}: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
      remediation: 'Pick another --port (0 = any free one), or stop the process that uses it.',
    });
  }
  const address = hostPort(boundPort);
  log.info(`serving ${db.path} on ${address}${options.tls ? ' (TLS)' : ''}${options.apiKey !== undefined ? ' (API key required)' : ''}`);
  if (http) log.info(`metrics on ${http.url}`);
  if (mcp && mcpAccess) {
    log.info(mcpModule!.describeMcpEndpoint(mcp.url, mcpAccess));
    if (mcpAccess.remote) log.warn(`serving MCP on ${mcp.url} without authentication (the API key does not cover it)`);
  }
  // checkAccess let an open server past loopback only because `insecure: true` asked for it.
  if (!isLoopback(host) && options.apiKey === undefined) {
    log.warn(`serving ${address} without an API key (insecure): anyone who can reach this port can read and write the database`);
  }

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      serving = false;
      stopping.abort();
      // MCP sessions end before the database closes under them.
      await mcp?.close();
      await http?.close();
      await new Promise<void>((resolve) => {
        const force = setTimeout(() => {
          log.warn('in-flight calls did not finish in time; cancelling them');
          server.forceShutdown();
          resolve();
        }, options.shutdownTimeoutMs ?? 10_000);
        server.tryShutdown(() => {
          clearTimeout(force);
          resolve();
        });
      });
      if (ownsDb) await db.close();
      log.info('stopped');
    })());
  return {
    host,
    port: boundPort,
    address,
    db,
    ...(http ? { metricsUrl: http.url } : {}),
    ...(mcp ? { mcpUrl: mcp.url } : {}),
    close,
    [Symbol.asyncDispose]: close,
  };
}

function pem(value: string | Buffer, field: string): Buffer {
  if (Buffer.isBuffer(value)) return value;
  if (value.includes('-----BEGIN')) return Buffer.from(value);
  try {
    return readFileSync(value);
  } catch (error) {
    throw new ValidationError(`cannot read ${field} ${value}: ${(error as Error).message}`, {
      field,
      cause: error,
      remediation: 'Pass the path of a PEM file (or its contents).',
    });
  }
}
