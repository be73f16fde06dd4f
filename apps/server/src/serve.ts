import { resolve } from 'node:path';
import { IpcServer, type LogLevel } from '@sochdb/ipc';
import { Database, ROOT_KV_PREFIX } from '@sochdb/sdk';
import { removePidFile, writePidFile } from './pidfile.js';

export interface ServeOptions {
  readonly db: string;
  readonly socket?: string;
  readonly maxClients?: number;
  readonly timeoutMs?: number;
  readonly frameTimeoutMs?: number;
  readonly maxFrameBytes?: number;
  readonly maxTxnsPerConnection?: number;
  readonly txnIdleTimeoutMs?: number;
  readonly logLevel?: LogLevel;
}

export interface RunningServer {
  readonly socketPath: string;
  readonly db: Database;
  /** Graceful stop: finishes in-flight requests, checkpoints, removes socket and pid file. */
  stop(): Promise<void>;
}

const LEVELS: readonly LogLevel[] = ['error', 'warn', 'info', 'debug'];

/** Opens the database and serves it on its Unix socket (default `<db>/sochdb.sock`). */
export async function serve(options: ServeOptions): Promise<RunningServer> {
  const dbPath = resolve(options.db);
  const socketPath = resolve(options.socket ?? `${dbPath}/sochdb.sock`);
  const threshold = LEVELS.indexOf(options.logLevel ?? 'info');
  const log = (level: LogLevel, message: string) => {
    if (LEVELS.indexOf(level) <= threshold) process.stderr.write(`${new Date().toISOString()} ${level} ${message}\n`);
  };
  const db = await Database.open(dbPath);
  const server = new IpcServer(db.storage, {
    socketPath,
    keyspace: ROOT_KV_PREFIX,
    log,
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
  try {
    await server.listen();
  } catch (error) {
    await db.close();
    throw error;
  }
  writePidFile({ pid: process.pid, socket: socketPath, db: dbPath, startedAt: new Date().toISOString() });
  let stopping: Promise<void> | undefined;
  return {
    socketPath,
    db,
    stop: () =>
      (stopping ??= (async () => {
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
