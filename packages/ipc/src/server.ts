import { chmodSync, existsSync, unlinkSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { ConnectionError, prefixed, ValidationError, type KeyValueStore, type Storage } from '@sochdb/core';
import { fromWireError, toWireError } from './errors-wire.js';
import { Connection, type ConnectionHost, type ConnectionLimits } from './connection.js';
import { handleRequest, type IpcHandlers } from './handlers.js';
import type { ConnectionWaits } from './waits.js';
import type { LogLevel } from './log.js';
import { DEFAULT_MAX_FRAME_BYTES, encodeFrame, OP_NAMES, Status, type Frame } from './protocol.js';
import type { RequestTransactions } from './transactions.js';

export type { IpcHandlers } from './handlers.js';
export type { LogLevel } from './log.js';

/** The server's runtime counters, merged into every STATS reply. */
export interface ServerMetrics {
  /** Connections open now (the same as `connectionCount`). */
  readonly connectionsActive: number;
  /** Connections accepted since the server was created; refused ones (over `maxClients`) are not counted. */
  readonly connectionsTotal: number;
  /** Requests answered OK or NOT_FOUND since the server was created. */
  readonly requestsSuccess: number;
  /** Requests answered with an ERROR reply since the server was created. */
  readonly requestsError: number;
  /** Bytes of request frames, headers included, since the server was created. */
  readonly bytesReceived: number;
  /** Bytes of reply frames, headers included, since the server was created. */
  readonly bytesSent: number;
  /** Whole seconds since the server was constructed (not since `listen`). */
  readonly uptimeSecs: number;
}

/** One answered request, as `IpcServerOptions.onRequest` receives it. */
export interface IpcRequestEvent {
  /** The opcode's name, e.g. `GET`, `BATCH`, `SQL`, `COMMIT`. */
  readonly method: string;
  /** From the request frame's arrival to its reply being ready. */
  readonly seconds: number;
  /** What the request failed with (the error its ERROR reply reports); absent on success. */
  readonly error?: unknown;
}

/**
 * Options of {@link IpcServer}. Every limit must be an integer ≥ 0 (timeouts at most 2^31 − 1 ms),
 * else the constructor throws a ValidationError.
 */
export interface IpcServerOptions {
  /** Path of the Unix socket to create; required (a ValidationError without it). */
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
  /** SQL, QUERY, STATS and CALL support; without a handler, that request gets a ProtocolError (STATS falls back to the storage's stats). */
  readonly handlers?: IpcHandlers;
  /**
   * Confine key operations (GET/PUT/DELETE/BATCH/SCAN and their transactional forms) to the keys
   * under this prefix, given and returned without it. `sochdb-server` serves the Database's own
   * KV this way; concurrent mode serves the whole Storage (no keyspace).
   *
   * @example
   * ```ts
   * // A client's put('user:1', …) writes the storage key 'kv/user:1'; its scans see only kv/.
   * new IpcServer(storage, { socketPath: '/tmp/sochdb.sock', keyspace: Buffer.from('kv/') });
   * ```
   */
  readonly keyspace?: Uint8Array;
  /**
   * Called once per answered request, after its reply is ready: `method` is the opcode's name
   * (`GET`, `PUT`, `SQL`, `TXN_GET`, …), `seconds` the time from the request's arrival to its
   * reply, and `error` what it failed with (absent when it succeeded — NOT_FOUND is a success).
   * This is how a server feeds its metrics without this package depending on any metrics
   * library; a throw from it is ignored.
   *
   * @example
   * ```ts
   * new IpcServer(storage, { socketPath, onRequest: ({ method, seconds, error }) => metrics.observe({ method, seconds, error }) });
   * ```
   */
  readonly onRequest?: (event: IpcRequestEvent) => void;
  /** Receives the server's log lines (listening, stopped, closed connections, expired transactions; failed requests at `debug`); nothing is logged without it. */
  readonly log?: (level: LogLevel, message: string) => void;
}

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
 *
 * @example
 * ```ts
 * const storage = await MemoryStorage.open();
 * const server = new IpcServer(storage, { socketPath: '/tmp/sochdb.sock', maxClients: 10, transactionIdleTimeoutMs: 10_000 });
 * await server.listen();
 * // … clients connect with IpcClient.connect('/tmp/sochdb.sock') …
 * await server.close(); // lets in-flight requests finish, then removes the socket
 * await storage.close();
 * ```
 */
export class IpcServer implements ConnectionHost {
  readonly #server: Server;
  readonly #connections = new Set<Connection>();
  readonly #options: Required<Omit<IpcServerOptions, 'handlers' | 'log' | 'keyspace' | 'onRequest'>> &
    Pick<IpcServerOptions, 'handlers' | 'log' | 'keyspace' | 'onRequest'>;
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

  /** The path the server listens on (or will, before `listen`). */
  get socketPath(): string {
    return this.#options.socketPath;
  }

  /** Connections open now; refused connections never count. */
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

  /** Reports one request to `onRequest`. Exposed to Connection only. */
  observe(op: number, seconds: number, error: unknown): void {
    const onRequest = this.#options.onRequest;
    if (!onRequest) return;
    const method = OP_NAMES[op] ?? `OP_${op}`;
    try {
      onRequest(error === undefined ? { method, seconds } : { method, seconds, error });
    } catch (failure) {
      this.#log('debug', `onRequest failed: ${failure instanceof Error ? failure.message : String(failure)}`);
    }
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
      socket.end(
        encodeFrame(0, Status.ERROR, Buffer.from(JSON.stringify(toWireError(new ConnectionError(`too many clients (limit ${this.#options.maxClients})`))))),
      );
      socket.destroySoon();
      return;
    }
    const connection = new Connection(socket, this, this.#limits);
    this.#connections.add(connection);
    this.#metrics.connectionsTotal++;
    socket.once('close', () => this.#connections.delete(connection));
  }

  /** Executes one request (see handlers.ts: one handler per opcode). ConnectionHost. */
  handle(frame: Frame, txns: RequestTransactions, waits: ConnectionWaits): Promise<Buffer> {
    return handleRequest(frame, {
      waits,
      storage: this.storage,
      kv: this.#kv,
      keyspace: this.#options.keyspace,
      view: (store) => this.#view(store),
      txns,
      handlers: this.#options.handlers,
      maxFrameBytes: this.#options.maxFrameBytes,
      nextTransactionId: () => this.#nextTxnId++,
      metrics: () => this.metrics(),
    });
  }

  #log(level: LogLevel, message: string): void {
    this.#options.log?.(level, message);
  }

  /** Logs through the server's logger. Exposed to Connection only. */
  log(level: LogLevel, message: string): void {
    this.#log(level, message);
  }
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
