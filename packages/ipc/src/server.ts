import { chmodSync, existsSync, unlinkSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { ConnectionError, prefixed, prefixUpperBound, ProtocolError, ValidationError, type KeyValueStore, type Storage, type Transaction } from '@sochdb/core';
import { fromWireError, toWireError } from './errors-wire.js';
import { Connection, type ConnectionHost, type ConnectionLimits } from './connection.js';
import type { LogLevel } from './log.js';

export type { LogLevel } from './log.js';
import { DEFAULT_MAX_FRAME_BYTES, encodeFrame, Op, PayloadReader, PayloadWriter, Status, type Frame } from './protocol.js';
import { readRange, writeEntries } from './scan-codec.js';
import type { RequestTransactions } from './transactions.js';

/** Higher-level requests the server forwards to the Database that owns it. */
export interface IpcHandlers {
  sql?(sql: string, params: unknown, txn: Transaction | undefined): Promise<unknown>;
  query?(request: unknown): Promise<unknown>;
  stats?(): Promise<unknown>;
}


/** The server's runtime counters, merged into every STATS reply. */
export interface ServerMetrics {
  readonly connectionsActive: number;
  readonly connectionsTotal: number;
  readonly requestsSuccess: number;
  readonly requestsError: number;
  readonly bytesReceived: number;
  readonly bytesSent: number;
  readonly uptimeSecs: number;
}

export interface IpcServerOptions {
  readonly socketPath: string;
  /** Connections beyond this are told so and closed (default 100). */
  readonly maxClients?: number;
  /**
   * A connection with no request running and no frame in progress is closed after this long; 0
   * disables (default 30,000 ms).
   */
  readonly idleTimeoutMs?: number;
  /**
   * A request frame must arrive whole within this long of its first byte, else the connection is
   * closed (so a client dripping bytes cannot hold a slot); 0 disables (default 10,000 ms).
   */
  readonly frameTimeoutMs?: number;
  /** Largest frame accepted, header included (default 16 MiB). */
  readonly maxFrameBytes?: number;
  /** Open transactions one connection may hold; BEGIN beyond it is a TransactionError; 0 = no limit (default 64). */
  readonly maxTransactionsPerConnection?: number;
  /**
   * A transaction with no request for this long is aborted, and later use of it is a
   * TransactionError saying so; 0 disables (default 60,000 ms). An open transaction holds a
   * storage snapshot and makes conflict tracking keep every key written after it began.
   */
  readonly transactionIdleTimeoutMs?: number;
  readonly handlers?: IpcHandlers;
  /**
   * Confine key operations (GET/PUT/DELETE/BATCH/SCAN and their transactional forms) to the keys
   * under this prefix, given and returned without it. `sochdb-server` serves the Database's own
   * KV this way; concurrent mode serves the whole Storage (no keyspace).
   */
  readonly keyspace?: Uint8Array;
  readonly log?: (level: LogLevel, message: string) => void;
}

const MAX_SCAN_PAGE = 1000;

const DEFAULTS = {
  maxClients: 100,
  idleTimeoutMs: 30_000,
  frameTimeoutMs: 10_000,
  maxFrameBytes: DEFAULT_MAX_FRAME_BYTES,
  maxTransactionsPerConnection: 64,
  transactionIdleTimeoutMs: 60_000,
} as const;
type Limit = keyof typeof DEFAULTS;
// Node turns a timer delay above 2^31 − 1 ms into 1 ms: a huge timeout must not mean "at once".
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * The Unix-socket server behind `sochdb-server` and concurrent mode. Each connection has its own
 * transactions (capped, aborted when idle too long, and never outliving the connection: see
 * TransactionTable); requests on a connection are answered in order, so
 * clients can pipeline. Malformed input gets an ERROR reply — or, when the frame stream itself is
 * broken, the connection is closed — and the server keeps serving everyone else.
 */
export class IpcServer implements ConnectionHost {
  readonly #server: Server;
  readonly #connections = new Set<Connection>();
  readonly #options: Required<Omit<IpcServerOptions, 'handlers' | 'log' | 'keyspace'>> & Pick<IpcServerOptions, 'handlers' | 'log' | 'keyspace'>;
  readonly #limits: ConnectionLimits;
  readonly #kv: KeyValueStore;
  #nextTxnId = 1;
  #listening = false;
  readonly #startedAt = Date.now();
  readonly #metrics = { connectionsTotal: 0, requestsSuccess: 0, requestsError: 0, bytesReceived: 0, bytesSent: 0 };

  constructor(
    private readonly storage: Storage,
    options: IpcServerOptions,
  ) {
    if (!options?.socketPath) throw new ValidationError('socketPath is required', { field: 'socketPath' });
    for (const name of Object.keys(DEFAULTS) as Limit[]) {
      const value = options[name];
      const max = name.endsWith('Ms') ? MAX_TIMER_MS : Number.MAX_SAFE_INTEGER;
      if (value !== undefined && !(Number.isInteger(value) && value >= 0 && value <= max)) {
        throw new ValidationError(`${name} must be an integer from 0 to ${max}, got ${String(value)}`, { field: name });
      }
    }
    const defined = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as IpcServerOptions;
    this.#options = { ...DEFAULTS, ...defined };
    const o = this.#options;
    this.#limits = {
      maxFrameBytes: o.maxFrameBytes,
      idleTimeoutMs: o.idleTimeoutMs,
      frameTimeoutMs: o.frameTimeoutMs,
      transactions: { maxOpen: o.maxTransactionsPerConnection, idleTimeoutMs: o.transactionIdleTimeoutMs },
    };
    this.#server = createServer((socket) => this.#accept(socket));
    this.#kv = this.#view(storage);
  }

  #view(store: KeyValueStore): KeyValueStore {
    return this.#options.keyspace ? prefixed(store, this.#options.keyspace) : store;
  }

  #keyspaced(key: Buffer): Buffer {
    return this.#options.keyspace ? Buffer.concat([this.#options.keyspace, key]) : key;
  }

  /** The LSN a write resolved with (prefixed views return the underlying commit's result). */
  #lsnOf(result: void | bigint): Buffer {
    return new PayloadWriter().u64(typeof result === 'bigint' ? result : this.storage.lsn).finish();
  }

  get socketPath(): string {
    return this.#options.socketPath;
  }

  get connectionCount(): number {
    return this.#connections.size;
  }

  /** The server's own counters, as STATS reports them beside the database's. */
  metrics(): ServerMetrics {
    return {
      connectionsActive: this.#connections.size,
      ...this.#metrics,
      uptimeSecs: Math.floor((Date.now() - this.#startedAt) / 1000),
    };
  }

  /** Counts one request's outcome and traffic. Exposed to Connection only. */
  record(ok: boolean, bytesIn: number, bytesOut: number): void {
    if (ok) this.#metrics.requestsSuccess++;
    else this.#metrics.requestsError++;
    this.#metrics.bytesReceived += bytesIn;
    this.#metrics.bytesSent += bytesOut;
  }

  /** Listens on the socket, created with mode 0600. A stale socket file (no server behind it) is replaced. */
  async listen(): Promise<void> {
    const path = this.#options.socketPath;
    if (existsSync(path)) {
      if (await isLive(path)) throw new ConnectionError(`a server is already listening on ${path}`);
      unlinkSync(path);
    }
    // The umask makes the socket private from the moment it exists, not after a chmod.
    const previous = process.umask(0o177);
    try {
      await new Promise<void>((resolve, reject) => {
        this.#server.once('error', reject);
        this.#server.listen(path, () => {
          this.#server.off('error', reject);
          resolve();
        });
      });
    } finally {
      process.umask(previous);
    }
    chmodSync(path, 0o600);
    this.#listening = true;
    this.#log('info', `listening on ${path}`);
  }

  /** Stops accepting, lets in-flight requests finish, closes every connection, removes the socket. */
  async close(): Promise<void> {
    if (!this.#listening) return;
    this.#listening = false;
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    await Promise.all([...this.#connections].map((c) => c.drainAndClose()));
    await closed;
    if (existsSync(this.#options.socketPath)) unlinkSync(this.#options.socketPath);
    this.#log('info', 'stopped');
  }

  #accept(socket: Socket): void {
    if (this.#connections.size >= this.#options.maxClients) {
      socket.end(encodeFrame(0, Status.ERROR, Buffer.from(JSON.stringify(toWireError(new ConnectionError(`too many clients (limit ${this.#options.maxClients})`))))));
      socket.destroySoon();
      return;
    }
    const connection = new Connection(socket, this, this.#limits);
    this.#connections.add(connection);
    this.#metrics.connectionsTotal++;
    socket.once('close', () => this.#connections.delete(connection));
  }

  /** Executes one request. Exposed to Connection only. */
  async handle(frame: Frame, txns: RequestTransactions): Promise<Buffer> {
    const r = new PayloadReader(frame.payload);
    const ok = (payload?: Buffer) => encodeFrame(frame.requestId, Status.OK, payload);
    const s = this.storage;
    const kv = this.#kv;
    const txnOf = (id: number): Transaction => txns.get(id);
    const txnView = (id: number) => this.#view(txnOf(id));
    switch (frame.tag) {
      case Op.PING:
        r.end();
        return ok();
      case Op.GET: {
        const key = r.bytes();
        r.end();
        // A synchronous read skips a thread-pool round trip: the hottest request gets the fastest path.
        const value = s.supports.getSync ? s.getSync(this.#keyspaced(key)) : await kv.get(key);
        return value === undefined ? encodeFrame(frame.requestId, Status.NOT_FOUND) : ok(value);
      }
      case Op.PUT: {
        const key = r.bytes();
        const value = r.bytes();
        r.end();
        return ok(this.#lsnOf(await kv.put(key, value)));
      }
      case Op.DELETE: {
        const key = r.bytes();
        r.end();
        return ok(this.#lsnOf(await kv.del(key)));
      }
      case Op.BATCH: {
        const n = r.u32();
        const ops = [];
        for (let i = 0; i < n; i++) {
          const type = r.u8();
          const key = r.bytes();
          if (type === 1) ops.push({ type: 'put' as const, key, value: r.bytes() });
          else if (type === 2) ops.push({ type: 'del' as const, key });
          else throw new ProtocolError(`unknown batch operation type ${type}`);
        }
        r.end();
        return ok(this.#lsnOf(await kv.batch(ops)));
      }
      case Op.SCAN:
        return ok(await scanPage(kv, r));
      case Op.BEGIN: {
        // An optional u32: the attempt of work retried after conflicts (fairness, see AbstractStorage).
        const attempt = r.remaining > 0 ? r.u32() : 1;
        r.end();
        const id = this.#nextTxnId++;
        const txn = txns.begin(id, () => s.beginTransaction(attempt > 1 ? { attempt } : {}));
        return ok(new PayloadWriter().u32(id).u64(txn.snapshotLsn).finish());
      }
      case Op.TXN_GET: {
        const txn = txnView(r.u32());
        const key = r.bytes();
        r.end();
        const value = await txn.get(key);
        return value === undefined ? encodeFrame(frame.requestId, Status.NOT_FOUND) : ok(value);
      }
      case Op.TXN_PUT: {
        const txn = txnView(r.u32());
        const key = r.bytes();
        const value = r.bytes();
        r.end();
        await txn.put(key, value);
        return ok();
      }
      case Op.TXN_DELETE: {
        const txn = txnView(r.u32());
        const key = r.bytes();
        r.end();
        await txn.del(key);
        return ok();
      }
      case Op.TXN_SCAN:
        return ok(await scanPage(txnView(r.u32()), r));
      case Op.TXN_DEPEND: {
        const txn = txnOf(r.u32());
        const key = r.bytes();
        r.end();
        if (!txn.dependOn) throw new ProtocolError('this server\'s storage cannot track read dependencies');
        txn.dependOn(this.#keyspaced(key));
        return ok();
      }
      case Op.COMMIT: {
        const id = r.u32();
        r.end();
        return ok(new PayloadWriter().u64(await txns.take(id).commit()).finish());
      }
      case Op.ABORT: {
        const id = r.u32();
        r.end();
        await txns.discard(id)?.abort();
        return ok();
      }
      case Op.SQL: {
        const request = r.json<{ sql: string; params?: unknown; txn?: number }>();
        r.end();
        const handler = this.#options.handlers?.sql;
        if (!handler) throw new ProtocolError('this server does not execute SQL');
        const txn = request.txn === undefined ? undefined : txnOf(request.txn);
        return ok(new PayloadWriter().json(await handler(request.sql, request.params, txn)).finish());
      }
      case Op.QUERY: {
        const request = r.json<unknown>();
        r.end();
        const handler = this.#options.handlers?.query;
        if (!handler) throw new ProtocolError('this server does not run queries');
        return ok(new PayloadWriter().json(await handler(request)).finish());
      }
      case Op.CHECKPOINT:
        r.end();
        return ok(new PayloadWriter().u64(await s.checkpoint()).finish());
      case Op.STATS: {
        r.end();
        const stats = this.#options.handlers?.stats ? await this.#options.handlers.stats() : s.stats();
        return ok(new PayloadWriter().json({ ...(stats as object), ...this.metrics() }).finish());
      }
      case Op.LSN:
        r.end();
        return ok(new PayloadWriter().u64(s.lsn).finish());
      case Op.CHANGES:
        return ok(await this.#changes(r));
      default:
        throw new ProtocolError(`unknown opcode 0x${frame.tag.toString(16)}`, { remediation: 'Use an opcode of protocol version 1.' });
    }
  }

  /**
   * A page of the commit feed. Under a keyspace, only keys inside it are reported (without it),
   * so a client confined to one keyspace learns nothing of the others.
   */
  async #changes(r: PayloadReader): Promise<Buffer> {
    const after = r.u64();
    const limit = r.u32();
    const bounds = r.u8();
    const gte = bounds & 1 ? r.bytes() : undefined;
    const lt = bounds & 2 ? r.bytes() : undefined;
    r.end();
    const space = this.#options.keyspace;
    const lower = space ? (gte ? this.#keyspaced(gte) : Buffer.from(space)) : gte;
    const upper = space ? (lt ? this.#keyspaced(lt) : prefixUpperBound(space)) : lt;
    // Half a frame of keys: the reply must fit in one frame whatever the framing costs.
    const batch = await this.storage.changesAfter(after, {
      ...(lower && { gte: lower }),
      ...(upper && { lt: upper }),
      limit: Math.max(1, Math.min(limit || 10_000, 10_000)),
      maxBytes: Math.floor(this.#options.maxFrameBytes / 2),
    });
    const w = new PayloadWriter().u64(batch.lsn).u8(batch.more ? 1 : 0).u32(batch.commits.length);
    const cut = space?.byteLength ?? 0;
    for (const commit of batch.commits) {
      w.u64(commit.lsn).u32(commit.keys.length);
      for (const key of commit.keys) w.bytes(key.subarray(cut));
    }
    return w.finish();
  }

  #log(level: LogLevel, message: string): void {
    this.#options.log?.(level, message);
  }

  /** Logs through the server's logger. Exposed to Connection only. */
  log(level: LogLevel, message: string): void {
    this.#log(level, message);
  }
}

async function scanPage(store: Pick<KeyValueStore, 'iterator'>, r: PayloadReader): Promise<Buffer> {
  const { range, pageSize } = readRange(r);
  r.end();
  const size = Math.max(1, Math.min(pageSize || MAX_SCAN_PAGE, MAX_SCAN_PAGE));
  await using it = store.iterator({ ...range, limit: size + 1 });
  const entries = await it.nextv(size + 1);
  const more = entries.length > size;
  return writeEntries(more ? entries.slice(0, size) : entries, more);
}

/** Whether something answers on a Unix socket path. */
export function isLive(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection(path);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export { fromWireError };
