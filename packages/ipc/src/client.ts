import { createConnection, type Socket } from 'node:net';
import {
  ConnectionError,
  prefixUpperBound,
  toBytes,
  ValidationError,
  type BytesLike,
  type ChangeBatch,
  type ChangeFeedOptions,
  type CommitChange,
  type Entry,
  type Range,
  type WatchRange,
} from '@sochdb/core';
import { requireChangeFeedArguments, requireWatch } from '@sochdb/core/internal';
import { fromWireError, type WireError } from './errors-wire.js';
import { isArray } from '@sochdb/core/internal';
import { DEFAULT_MAX_FRAME_BYTES, encodeFrame, FrameReader, HEADER_BYTES, Op, OP_NAMES, PayloadReader, PayloadWriter, Status, type Frame } from './protocol.js';
import { readEntries, writeRange } from './scan-codec.js';

/** Options of {@link IpcClient.connect}. */
export interface IpcClientOptions {
  /** Fail `connect` after this long (default 5,000 ms). */
  readonly connectTimeoutMs?: number;
  /**
   * Largest frame sent or accepted, header included (default 16 MiB, as the server's). A larger
   * request fails alone with a ValidationError instead of being sent: the server would close the
   * connection, failing every other call and transaction on it.
   */
  readonly maxFrameBytes?: number;
}

/** Options of {@link IpcClient.waitForCommit}. */
export interface WaitForCommitOptions {
  /** Wait for a commit after this LSN (default: the server's LSN when the request reaches it). */
  readonly afterLsn?: bigint;
  /** Only commits that wrote a key at or above this bound count. */
  readonly gte?: BytesLike;
  /** Only commits that wrote a key below this bound count. */
  readonly lt?: BytesLike;
  /** Give up after this long, in ms (default 30,000; the server caps it at 60,000). */
  readonly timeoutMs?: number;
  /** Aborting it ends the wait at once, with `changed` false. */
  readonly signal?: AbortSignal;
}

/** What {@link IpcClient.waitForCommit} resolves with. */
export interface CommitWait {
  /** The server's LSN when the wait ended: wait again after it. */
  readonly lsn: bigint;
  /** True when a commit in the range ended the wait; false on timeout, abort or server close. */
  readonly changed: boolean;
}

/** Default of WaitForCommitOptions.timeoutMs. */
const DEFAULT_WAIT_MS = 30_000;

function requireWaitOptions(options: WaitForCommitOptions) {
  if (typeof options !== 'object' || options === null) throw new ValidationError('waitForCommit takes an options object', { field: 'options' });
  const { afterLsn, timeoutMs = DEFAULT_WAIT_MS, signal } = options;
  if (afterLsn !== undefined && (typeof afterLsn !== 'bigint' || afterLsn < 0n || afterLsn > 0xffffffffffffffffn)) {
    throw new ValidationError('afterLsn must be a non-negative bigint', { field: 'afterLsn' });
  }
  if (!Number.isInteger(timeoutMs) || timeoutMs < 0 || timeoutMs > 0xffffffff) {
    throw new ValidationError('timeoutMs must be an integer number of milliseconds ≥ 0', { field: 'timeoutMs' });
  }
  if (signal !== undefined && !(signal instanceof AbortSignal)) throw new ValidationError('signal must be an AbortSignal', { field: 'signal' });
  const { gte, lt } = requireWatch(
    { ...(options.gte !== undefined && { gte: options.gte }), ...(options.lt !== undefined && { lt: options.lt }) },
    () => undefined,
  );
  return { afterLsn, gte, lt, timeoutMs, signal };
}

interface Pending {
  readonly resolve: (frame: Frame) => void;
  readonly reject: (error: Error) => void;
}

/**
 * A client of `sochdb-server` over its Unix socket. Requests are pipelined on one connection.
 * A missing key is `null`, an empty value an empty Buffer. A lost connection rejects everything in
 * flight, and every later call, with `ConnectionError`.
 *
 * @example
 * ```ts
 * await using client = await IpcClient.connect('./my_database/sochdb.sock');
 * await client.put('user:1', 'Alice');
 * console.log((await client.get('user:1'))?.toString()); // Alice
 * console.log(await client.get('user:2')); // null
 * ```
 */
export class IpcClient implements AsyncDisposable {
  readonly #socket: Socket;
  readonly #reader: FrameReader;
  readonly #maxFrameBytes: number;
  readonly #pending = new Map<number, Pending>();
  #nextId = 1;
  #closedError: ConnectionError | undefined;

  private constructor(socket: Socket, maxFrameBytes: number) {
    this.#socket = socket;
    this.#reader = new FrameReader(maxFrameBytes);
    this.#maxFrameBytes = maxFrameBytes;
    socket.on('data', (chunk: Buffer) => this.#onData(chunk));
    socket.on('error', (error) => this.#fail(new ConnectionError(`connection to SochDB server lost: ${error.message}`, { cause: error })));
    socket.on('close', () => this.#fail(new ConnectionError('connection to SochDB server closed')));
  }

  /**
   * Resolves once the socket is connected. Nothing listening there, or no connection within
   * `connectTimeoutMs`, is a ConnectionError.
   *
   * @example
   * ```ts
   * // Both ends must agree on the frame limit: the server's is --max-frame-bytes.
   * const client = await IpcClient.connect('/var/run/sochdb.sock', { connectTimeoutMs: 1000, maxFrameBytes: 64 * 1024 * 1024 });
   * ```
   */
  static connect(path: string, options: IpcClientOptions = {}): Promise<IpcClient> {
    if (typeof path !== 'string' || path === '') return Promise.reject(new ValidationError('socket path is required', { field: 'path' }));
    return new Promise((resolve, reject) => {
      const socket = createConnection(path);
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new ConnectionError(`timed out connecting to ${path}`));
      }, options.connectTimeoutMs ?? 5000);
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        resolve(new IpcClient(socket, options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES));
      });
      socket.once('error', (error) => {
        clearTimeout(timer);
        reject(
          new ConnectionError(`cannot connect to SochDB server at ${path}: ${error.message}`, {
            cause: error,
            remediation: 'Start it with `sochdb-server --db <folder>`, or check the socket path.',
          }),
        );
      });
    });
  }

  /** False once the connection is lost or closed; it never becomes true again (connect a new client). */
  get connected(): boolean {
    return this.#closedError === undefined;
  }

  /** Round-trip time in milliseconds. */
  async ping(): Promise<number> {
    const start = process.hrtime.bigint();
    await this.request(Op.PING);
    return Number(process.hrtime.bigint() - start) / 1e6;
  }

  /** The value of `key`, or `null` when it is missing (an empty value is an empty Buffer). */
  async get(key: BytesLike): Promise<Buffer | null> {
    const frame = await this.request(Op.GET, new PayloadWriter().bytes(toBytes(key, 'key')).finish());
    return frame.tag === Status.NOT_FOUND ? null : Buffer.from(frame.payload);
  }

  /**
   * Writes one key as its own commit; resolves with that commit's LSN. Consecutive writes on one
   * client are pipelined and may be acknowledged out of order, but take their LSNs in call order.
   */
  async put(key: BytesLike, value: BytesLike): Promise<bigint> {
    return readLsn(await this.request(Op.PUT, new PayloadWriter().bytes(toBytes(key, 'key')).bytes(toBytes(value)).finish()));
  }

  /** Deletes one key as its own commit (a commit even when the key is missing); resolves with its LSN. */
  async delete(key: BytesLike): Promise<bigint> {
    return readLsn(await this.request(Op.DELETE, new PayloadWriter().bytes(toBytes(key, 'key')).finish()));
  }

  /**
   * Writes several keys as one commit (all or none); resolves with its LSN.
   *
   * @example
   * ```ts
   * const lsn = await client.batch([
   *   { type: 'put', key: 'user:1', value: 'Alice' },
   *   { type: 'del', key: 'user:2' },
   * ]);
   * ```
   */
  async batch(ops: readonly BatchOp[]): Promise<bigint> {
    return readLsn(await this.request(Op.BATCH, writeBatchOps(new PayloadWriter(), ops).finish()));
  }

  /**
   * Entries under a prefix (a string or bytes), or in a range object, in key order.
   *
   * @example
   * ```ts
   * for await (const [key, value] of client.scan('user:')) console.log(key.toString(), value.toString());
   * // A range: the 10 greatest keys from 'log:' (inclusive) to 'log;' (exclusive), last first.
   * for await (const [key] of client.scan({ gte: 'log:', lt: 'log;', reverse: true, limit: 10 })) console.log(key.toString());
   * ```
   */
  scan(prefixOrRange: BytesLike | Range = {}): AsyncIterable<Entry> {
    const range = typeof prefixOrRange === 'string' || prefixOrRange instanceof Uint8Array ? prefixRange(prefixOrRange) : prefixOrRange;
    return this.pagedScan(range, (page) => this.request(Op.SCAN, page));
  }

  /**
   * Runs SQL through the server's `sql` handler and resolves with its JSON result (bigints arrive
   * as strings). A server without SQL (a bare IpcServer) rejects with ProtocolError; SQL errors
   * arrive as the server's error class.
   */
  async executeSql(sql: string, params?: unknown): Promise<unknown> {
    return readJson(await this.request(Op.SQL, new PayloadWriter().json({ sql, params }).finish()));
  }

  /** Runs the server's service `name` (concurrent mode's owner services) and resolves with its reply. */
  async call(name: string, request: Uint8Array): Promise<Buffer> {
    const frame = await this.request(Op.CALL, new PayloadWriter().bytes(Buffer.from(name, 'utf8')).bytes(request).finish());
    return Buffer.from(frame.payload);
  }

  /** Query builder request: `{ prefix, select?, limit?, offset?, format?: 'toon' | 'rows' }`. */
  async query(request: { prefix: string; select?: readonly string[]; limit?: number; offset?: number; format?: 'toon' | 'rows' }): Promise<unknown> {
    return readJson(await this.request(Op.QUERY, new PayloadWriter().json(request).finish()));
  }

  /** Resolves with the server's LSN once every earlier commit is durable on its disk. */
  async checkpoint(): Promise<bigint> {
    return readLsn(await this.request(Op.CHECKPOINT));
  }

  /**
   * The server's stats (its `stats` handler's, or its storage's StorageStats) merged with its
   * {@link ServerMetrics}, as parsed JSON: bigints such as `lsn` arrive as strings.
   */
  async stats(): Promise<Record<string, unknown>> {
    return readJson(await this.request(Op.STATS)) as Record<string, unknown>;
  }

  /** The LSN of the last commit the server applied (any client's, not only this one's). */
  async lsn(): Promise<bigint> {
    return readLsn(await this.request(Op.LSN));
  }

  /**
   * The server's commit feed: commits after `afterLsn` (see Storage.changesAfter).
   *
   * @example
   * ```ts
   * let after = 0n;
   * const batch = await client.changesAfter(after, { gte: 'user:', lt: 'user;', limit: 100 });
   * for (const commit of batch.commits) console.log(commit.lsn, commit.keys.map((key) => key.toString()));
   * after = batch.lsn; // ask again from here (at once when batch.more)
   * ```
   */
  async changesAfter(afterLsn: bigint, options: ChangeFeedOptions = {}): Promise<ChangeBatch> {
    const { after, gte, lt, limit } = requireChangeFeedArguments(afterLsn, options);
    const w = new PayloadWriter().u64(after).u32(Math.min(limit, 0xffffffff));
    w.u8((gte === undefined ? 0 : 1) | (lt === undefined ? 0 : 2));
    if (gte !== undefined) w.bytes(gte);
    if (lt !== undefined) w.bytes(lt);
    const r = new PayloadReader((await this.request(Op.CHANGES, w.finish())).payload);
    const lsn = r.u64();
    const more = r.u8() === 1;
    const commits: CommitChange[] = [];
    for (let n = r.u32(); n > 0; n--) {
      const commitLsn = r.u64();
      const keys: Buffer[] = [];
      for (let k = r.u32(); k > 0; k--) keys.push(r.bytes());
      commits.push({ lsn: commitLsn, keys });
    }
    r.end();
    return { commits, lsn, more };
  }

  /**
   * A server-side transaction: snapshot isolation, conflicts detected at commit.
   * `attempt`: which try of work retried after conflicts this is (see TransactionOptions.attempt).
   *
   * @example
   * ```ts
   * // `await using` aborts it on the server if the block exits before commit.
   * await using txn = await client.beginTransaction();
   * const stock = Number((await txn.get('stock:42'))?.toString() ?? '0');
   * await txn.put('stock:42', String(stock - 1));
   * await txn.commit(); // TransactionConflictError if another client wrote stock:42 since the snapshot
   * ```
   */
  async beginTransaction(attempt = 1): Promise<IpcTransaction> {
    const payload = attempt > 1 ? new PayloadWriter().u32(attempt).finish() : undefined;
    const r = new PayloadReader((await this.request(Op.BEGIN, payload)).payload);
    return new IpcTransaction(this, r.u32(), r.u64());
  }

  /**
   * Rejects every request still in flight with ConnectionError, ends the connection and resolves
   * once the socket is closed. The server aborts this client's open transactions.
   */
  async close(): Promise<void> {
    this.#fail(new ConnectionError('client closed'));
    await new Promise<void>((resolve) => {
      if (this.#socket.destroyed) return resolve();
      this.#socket.once('close', () => resolve());
      this.#socket.end();
    });
  }

  /** Closes the client (`await using`): see {@link IpcClient.close}. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /**
   * Resolves as soon as a commit after `afterLsn` (default: the server's LSN when the request
   * reaches it) wrote a key in `gte`…`lt` (within the server's keyspace), or after `timeoutMs`
   * (default 30,000; the server caps it at 60,000) or when `signal` aborts, with `changed` false.
   * `lsn` is the server's LSN at that moment: wait again after it and no commit is missed. The
   * request does not hold up this client's other requests. A server without the WAIT request (an
   * older one) rejects with ProtocolError.
   *
   * @example
   * ```ts
   * let afterLsn: bigint | undefined;
   * for (;;) {
   *   const { lsn, changed } = await client.waitForCommit({ afterLsn, gte: 'job:', lt: 'job;' });
   *   afterLsn = lsn;
   *   if (changed) await runJobs();
   * }
   * ```
   */
  waitForCommit(options: WaitForCommitOptions = {}): Promise<CommitWait> {
    const { afterLsn, gte, lt, timeoutMs, signal } = requireWaitOptions(options);
    const w = new PayloadWriter().u8(afterLsn === undefined ? 0 : 1);
    if (afterLsn !== undefined) w.u64(afterLsn);
    w.u32(timeoutMs).u8((gte === undefined ? 0 : 1) | (lt === undefined ? 0 : 2));
    if (gte !== undefined) w.bytes(gte);
    if (lt !== undefined) w.bytes(lt);
    // Sent before this method returns (no await before it): a request made after this call
    // reaches the server after the WAIT, which reads its base LSN when it starts.
    const { id, reply } = this.#send(Op.WAIT, w.finish());
    const cancel = (): void => void this.request(Op.CANCEL, new PayloadWriter().u32(id).finish()).catch(() => undefined);
    signal?.addEventListener('abort', cancel, { once: true });
    if (signal?.aborted === true) cancel();
    return reply.then(
      (frame) => {
        signal?.removeEventListener('abort', cancel);
        const r = new PayloadReader(frame.payload);
        const lsn = r.u64();
        const changed = r.u8() === 1;
        r.end();
        return { lsn, changed };
      },
      (error: unknown) => {
        signal?.removeEventListener('abort', cancel);
        throw error;
      },
    );
  }

  /**
   * Storage.watch over this connection: calls `listener` after each commit (any client's) that
   * wrote a key in `range`, a round trip late and possibly coalesced; none is missed while the
   * connection lasts. It counts from when its first request reaches the server, which is before
   * any request this client sends after calling `watch`. If the connection is lost, or the server cannot watch, the listener is
   * called once more and the watch ends (the caller's next request meets the error). Returns
   * the function that stops it.
   *
   * @example
   * ```ts
   * const stop = client.watch({ gte: 'job:', lt: 'job;' }, () => void runJobs());
   * // ... later
   * stop();
   * ```
   */
  watch(range: WatchRange, listener: () => void): () => void {
    const { gte, lt } = requireWatch(range, listener);
    const controller = new AbortController();
    const { signal } = controller;
    const call = (): void => {
      try {
        listener();
      } catch {
        // The listener's failure is its own, as with Storage.onCommit.
      }
    };
    const loop = async (): Promise<void> => {
      let afterLsn: bigint | undefined;
      while (!signal.aborted) {
        let result: CommitWait;
        try {
          result = await this.waitForCommit({ ...(afterLsn !== undefined && { afterLsn }), ...(gte && { gte }), ...(lt && { lt }), signal });
        } catch {
          if (!signal.aborted) call();
          return;
        }
        afterLsn = result.lsn;
        if (result.changed && !signal.aborted) call();
      }
    };
    void loop();
    return () => controller.abort();
  }

  /** Sends one request and resolves with its reply (OK or NOT_FOUND); ERROR replies reject. */
  request(op: number, payload?: Buffer): Promise<Frame> {
    return this.#send(op, payload).reply;
  }

  /** Sends one request now; `id` names it (for CANCEL). */
  #send(op: number, payload?: Buffer): { readonly id: number; readonly reply: Promise<Frame> } {
    if (this.#closedError) return { id: 0, reply: Promise.reject(this.#closedError) };
    const size = HEADER_BYTES + (payload?.byteLength ?? 0);
    if (size > this.#maxFrameBytes) {
      const reply = Promise.reject(
        new ValidationError(`${OP_NAMES[op] ?? op} request of ${size} bytes exceeds the frame limit of ${this.#maxFrameBytes} bytes`, {
          remediation: 'Split the value or batch into smaller requests, or raise maxFrameBytes on both the client and the server (--max-frame-bytes).',
        }),
      );
      return { id: 0, reply };
    }
    const id = this.#nextId;
    this.#nextId = this.#nextId >= 0xffffffff ? 1 : this.#nextId + 1;
    const reply = new Promise<Frame>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#socket.write(encodeFrame(id, op, payload));
    });
    return { id, reply };
  }

  /** Pages through a range with repeated requests, resuming after the last key seen. */
  async *pagedScan(range: Range, send: (page: Buffer) => Promise<Frame>): AsyncGenerator<Entry> {
    let current = range;
    let remaining = range.limit ?? Infinity;
    while (remaining > 0) {
      const page = writeRange(new PayloadWriter(), { ...current, limit: undefined }, Math.min(1000, remaining)).finish();
      const { entries, more } = readEntries(new PayloadReader((await send(page)).payload));
      for (const entry of entries) {
        if (remaining-- <= 0) return;
        yield entry;
      }
      const last = entries[entries.length - 1];
      if (!more || last === undefined) return;
      current = current.reverse ? { ...current, lt: last[0], lte: undefined } : { ...current, gt: last[0], gte: undefined };
    }
  }

  #onData(chunk: Buffer): void {
    let frames: Frame[];
    try {
      frames = this.#reader.push(chunk);
    } catch (error) {
      this.#fail(new ConnectionError(`server sent a malformed frame: ${(error as Error).message}`, { cause: error }));
      this.#socket.destroy();
      return;
    }
    for (const frame of frames) {
      if (frame.requestId === 0 && frame.tag === Status.ERROR) {
        // A connection-level refusal (too many clients, broken stream): everything in flight fails.
        this.#fail(fromWireError(JSON.parse(frame.payload.toString('utf8')) as WireError));
        continue;
      }
      const pending = this.#pending.get(frame.requestId);
      if (!pending) continue;
      this.#pending.delete(frame.requestId);
      if (frame.tag === Status.ERROR) pending.reject(fromWireError(JSON.parse(frame.payload.toString('utf8')) as WireError));
      else pending.resolve(frame);
    }
  }

  #fail(error: Error): void {
    this.#closedError ??= error instanceof ConnectionError ? error : new ConnectionError(error.message, { cause: error });
    for (const pending of this.#pending.values()) pending.reject(error);
    this.#pending.clear();
  }
}

/** A transaction held by the server for this client. */
export class IpcTransaction implements AsyncDisposable {
  #done = false;
  constructor(
    private readonly client: IpcClient,
    /** The server's id of the transaction, unique per server (what the TXN_* requests carry). */
    readonly id: number,
    /** The LSN of the last commit this transaction's reads include. */
    readonly snapshotLsn: bigint,
  ) {}

  /** The value at the snapshot, with this transaction's own writes applied; `null` when missing. */
  async get(key: BytesLike): Promise<Buffer | null> {
    const frame = await this.client.request(Op.TXN_GET, new PayloadWriter().u32(this.id).bytes(toBytes(key, 'key')).finish());
    return frame.tag === Status.NOT_FOUND ? null : Buffer.from(frame.payload);
  }

  /** Buffers a write on the server until commit; other clients do not see it before then. */
  async put(key: BytesLike, value: BytesLike): Promise<void> {
    await this.client.request(Op.TXN_PUT, new PayloadWriter().u32(this.id).bytes(toBytes(key, 'key')).bytes(toBytes(value)).finish());
  }

  /** Buffers a delete on the server until commit. */
  async delete(key: BytesLike): Promise<void> {
    await this.client.request(Op.TXN_DELETE, new PayloadWriter().u32(this.id).bytes(toBytes(key, 'key')).finish());
  }

  /** Several writes in one request (buffered by the transaction like put and delete). */
  async batch(ops: readonly BatchOp[]): Promise<void> {
    await this.client.request(Op.TXN_BATCH, writeBatchOps(new PayloadWriter().u32(this.id), ops).finish());
  }

  /** Several reads in one request; null where a key is absent. */
  async getMany(keys: readonly BytesLike[]): Promise<(Buffer | null)[]> {
    if (!isArray(keys)) throw new ValidationError('getMany takes an array of keys', { field: 'keys' });
    const w = new PayloadWriter().u32(this.id).u32(keys.length);
    keys.forEach((key, i) => w.bytes(toBytes(key, `keys[${i}]`)));
    const r = new PayloadReader((await this.client.request(Op.TXN_GET_MANY, w.finish())).payload);
    const values: (Buffer | null)[] = [];
    for (let n = r.u32(); n > 0; n--) values.push(r.u8() === 1 ? Buffer.from(r.bytes()) : null);
    return values;
  }

  /**
   * The commit fails with a conflict if another transaction commits `key` first (core's dependOn).
   *
   * @example
   * ```ts
   * // Only read, never written here: without dependOn a concurrent change of the limit would not conflict.
   * const limit = Number((await txn.get('limit'))?.toString());
   * await txn.dependOn('limit');
   * await txn.put('order:7', JSON.stringify({ amount: Math.min(120, limit) }));
   * await txn.commit();
   * ```
   */
  async dependOn(key: BytesLike): Promise<void> {
    await this.client.request(Op.TXN_DEPEND, new PayloadWriter().u32(this.id).bytes(toBytes(key, 'key')).finish());
  }

  /**
   * Entries under a prefix or in a range, in key order, as {@link IpcClient.scan} but read at the
   * transaction's snapshot with its own writes, so every page is consistent with the others.
   */
  scan(prefixOrRange: BytesLike | Range = {}): AsyncIterable<Entry> {
    const range = typeof prefixOrRange === 'string' || prefixOrRange instanceof Uint8Array ? prefixRange(prefixOrRange) : prefixOrRange;
    const head = new PayloadWriter().u32(this.id).finish();
    return this.client.pagedScan(range, (page) => this.client.request(Op.TXN_SCAN, Buffer.concat([head, page])));
  }

  /**
   * Runs SQL inside this transaction (the server's `sql` handler gets it): as
   * {@link IpcClient.executeSql}, but its writes commit or abort with the transaction.
   */
  async execute(sql: string, params?: unknown): Promise<unknown> {
    return readJson(await this.client.request(Op.SQL, new PayloadWriter().json({ sql, params, txn: this.id }).finish()));
  }

  /**
   * Applies the buffered writes atomically; resolves with the commit's LSN. Rejects with
   * TransactionConflictError (writing nothing) if another commit wrote one of its keys first, and
   * with TransactionError if the server already aborted it (idle timeout). Either way it has ended.
   */
  async commit(): Promise<bigint> {
    this.#done = true;
    return readLsn(await this.client.request(Op.COMMIT, new PayloadWriter().u32(this.id).finish()));
  }

  /** Discards the buffered writes. A no-op after commit or abort, and harmless if the server already ended it. */
  async abort(): Promise<void> {
    if (this.#done) return;
    this.#done = true;
    await this.client.request(Op.ABORT, new PayloadWriter().u32(this.id).finish());
  }

  /** Aborts unless committed or aborted (`await using`); does nothing once the connection is gone, since the server aborted it then. */
  async [Symbol.asyncDispose](): Promise<void> {
    if (!this.#done && this.client.connected) await this.abort();
  }
}

function prefixRange(prefix: BytesLike): Range {
  const gte = toBytes(prefix, 'prefix');
  if (gte.byteLength === 0) return {};
  const lt = prefixUpperBound(gte);
  return lt ? { gte, lt } : { gte };
}

function readLsn(frame: Frame): bigint {
  return new PayloadReader(frame.payload).u64();
}

function readJson(frame: Frame): unknown {
  return new PayloadReader(frame.payload).json();
}

type BatchOp = { readonly type: 'put'; readonly key: BytesLike; readonly value: BytesLike } | { readonly type: 'del'; readonly key: BytesLike };

/** Appends the BATCH payload of `ops` (see protocol.ts) to `w`. */
function writeBatchOps(w: PayloadWriter, ops: readonly BatchOp[]): PayloadWriter {
  if (!isArray(ops)) throw new ValidationError('batch takes an array of operations', { field: 'ops' });
  w.u32(ops.length);
  ops.forEach((op, i) => {
    // Anything but 'put' and 'del' is refused, never sent as some other operation.
    if (op?.type === 'put')
      w.u8(1)
        .bytes(toBytes(op.key, `ops[${i}].key`))
        .bytes(toBytes(op.value, `ops[${i}].value`));
    else if (op?.type === 'del') w.u8(2).bytes(toBytes(op.key, `ops[${i}].key`));
    else throw new ValidationError(`ops[${i}].type must be 'put' or 'del'`, { field: `ops[${i}].type` });
  });
  return w;
}
