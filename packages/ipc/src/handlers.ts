import { ProtocolError, type KeyValueStore, type Storage, type Transaction, type WriteOp } from '@sochdb/core';
import { TRANSACTION_SESSION, type SessionTransactionOptions } from '@sochdb/core/internal';
import { encodeFrame, Op, PayloadReader, PayloadWriter, Status, type Frame } from './protocol.js';
import { readRange, writeEntries } from './scan-codec.js';
import type { RequestTransactions } from './transactions.js';
import { cancelWait, confineRange, waitForCommit, type ConnectionWaits } from './waits.js';

/**
 * Higher-level requests the server forwards to the Database that owns it.
 *
 * @example
 * ```ts
 * const handlers: IpcHandlers = {
 *   // txn: the client's transaction when the SQL runs inside one (IpcTransaction.execute).
 *   sql: async (sql, params, txn) => db.executeSql(sql, params as SqlParams, txn ? { txn } : {}),
 *   stats: async () => ({ role: 'primary' }), // merged with the server's metrics in each STATS reply
 * };
 * const server = new IpcServer(storage, { socketPath: '/tmp/sochdb.sock', handlers });
 * ```
 */
export interface IpcHandlers {
  /**
   * Answers an SQL request. `params` is whatever JSON the client sent (unchecked); `txn` is the
   * client's open transaction when it ran IpcTransaction.execute, not confined to the server's
   * keyspace. The result is sent back as JSON (bigints as strings); a thrown SochDBError reaches
   * the client as the same error class.
   */
  sql?(sql: string, params: unknown, txn: Transaction | undefined): Promise<unknown>;
  /** Answers a QUERY request (IpcClient.query); `request` is the client's JSON, unchecked. */
  query?(request: unknown): Promise<unknown>;
  /**
   * Replaces the storage's stats in STATS replies; the result should be a plain object, since the
   * server spreads its {@link ServerMetrics} over it (same-named keys are overwritten).
   */
  stats?(): Promise<unknown>;
  /** Runs the owner's service `name` (see Op.CALL). */
  call?(name: string, request: Buffer): Promise<Buffer>;
}

/** What one request's handler works with: its payload, the server's storage and this connection's transactions. */
export interface RequestContext {
  readonly r: PayloadReader;
  readonly storage: Storage;
  /** The storage as the client sees it (confined to the keyspace, if the server has one). */
  readonly kv: KeyValueStore;
  readonly keyspace: Uint8Array | undefined;
  /** Confines a store (a transaction) to the keyspace, as `kv` is. */
  readonly view: (store: KeyValueStore) => KeyValueStore;
  readonly txns: RequestTransactions;
  /** This connection's WAIT requests (see Op.WAIT). */
  readonly waits: ConnectionWaits;
  /** The id of the request being handled. */
  readonly requestId: number;
  readonly handlers: IpcHandlers | undefined;
  readonly maxFrameBytes: number;
  readonly nextTransactionId: () => number;
  /** The server's own counters, merged into STATS. */
  readonly metrics: () => object;
}

/** A reply payload, `NOT_FOUND` for a missing key, or nothing (an empty OK). */
type Reply = Buffer | typeof NOT_FOUND | undefined;
const NOT_FOUND = Symbol('not found');
type Handler = (c: RequestContext) => Promise<Reply> | Reply;

const MAX_SCAN_PAGE = 1000;

/** Runs one request through the handler of its opcode and frames the reply. */
export async function handleRequest(frame: Frame, context: Omit<RequestContext, 'r' | 'requestId'>): Promise<Buffer> {
  const handler = HANDLERS.get(frame.tag);
  if (!handler) throw new ProtocolError(`unknown opcode 0x${frame.tag.toString(16)}`, { remediation: 'Use an opcode of protocol version 1.' });
  const reply = await handler({ ...context, requestId: frame.requestId, r: new PayloadReader(frame.payload) });
  return reply === NOT_FOUND ? encodeFrame(frame.requestId, Status.NOT_FOUND) : encodeFrame(frame.requestId, Status.OK, reply);
}

const keyspaced = (c: RequestContext, key: Buffer): Buffer => (c.keyspace ? Buffer.concat([c.keyspace, key]) : key);
/** A transaction as the client sees it (confined to the keyspace). */
const txnView = (c: RequestContext, id: number): KeyValueStore => c.view(c.txns.get(id));
/** The LSN a write resolved with (prefixed views return the underlying commit's result). */
const lsnOf = (c: RequestContext, result: void | bigint): Buffer => new PayloadWriter().u64(typeof result === 'bigint' ? result : c.storage.lsn).finish();
const u64 = (value: bigint): Buffer => new PayloadWriter().u64(value).finish();
const json = (value: unknown): Buffer => new PayloadWriter().json(value).finish();

const HANDLERS: ReadonlyMap<number, Handler> = new Map<number, Handler>([
  [
    Op.PING,
    ({ r }) => {
      r.end();
      return undefined;
    },
  ],
  [
    Op.GET,
    async (c) => {
      const key = c.r.bytes();
      c.r.end();
      // A synchronous read skips a thread-pool round trip: the hottest request gets the fastest path.
      const value = c.storage.supports.getSync ? c.storage.getSync(keyspaced(c, key)) : await c.kv.get(key);
      return value ?? NOT_FOUND;
    },
  ],
  [
    Op.PUT,
    async (c) => {
      const key = c.r.bytes();
      const value = c.r.bytes();
      c.r.end();
      return lsnOf(c, await c.kv.put(key, value));
    },
  ],
  [
    Op.DELETE,
    async (c) => {
      const key = c.r.bytes();
      c.r.end();
      return lsnOf(c, await c.kv.del(key));
    },
  ],
  [
    Op.BATCH,
    async (c) => {
      const ops = readBatchOps(c.r);
      return lsnOf(c, await c.kv.batch(ops));
    },
  ],
  [Op.SCAN, (c) => scanPage(c.kv, c.r)],
  [
    Op.BEGIN,
    (c) => {
      // An optional u32: the attempt of work retried after conflicts (fairness, see AbstractStorage).
      const attempt = c.r.remaining > 0 ? c.r.u32() : 1;
      c.r.end();
      const id = c.nextTransactionId();
      // The connection is the session: its transactions must not wait for each other (see TRANSACTION_SESSION).
      const options: SessionTransactionOptions = attempt > 1 ? { attempt, [TRANSACTION_SESSION]: c.txns.session } : { [TRANSACTION_SESSION]: c.txns.session };
      const txn = c.txns.begin(id, () => c.storage.beginTransaction(options));
      return new PayloadWriter().u32(id).u64(txn.snapshotLsn).finish();
    },
  ],
  [
    Op.TXN_GET,
    async (c) => {
      const txn = txnView(c, c.r.u32());
      const key = c.r.bytes();
      c.r.end();
      return (await txn.get(key)) ?? NOT_FOUND;
    },
  ],
  [
    Op.TXN_PUT,
    async (c) => {
      const txn = txnView(c, c.r.u32());
      const key = c.r.bytes();
      const value = c.r.bytes();
      c.r.end();
      await txn.put(key, value);
      return undefined;
    },
  ],
  [
    Op.TXN_DELETE,
    async (c) => {
      const txn = txnView(c, c.r.u32());
      const key = c.r.bytes();
      c.r.end();
      await txn.del(key);
      return undefined;
    },
  ],
  [Op.TXN_SCAN, (c) => scanPage(txnView(c, c.r.u32()), c.r)],
  [
    Op.TXN_BATCH,
    async (c) => {
      const txn = txnView(c, c.r.u32());
      await txn.batch(readBatchOps(c.r));
      return undefined;
    },
  ],
  [
    Op.TXN_GET_MANY,
    async (c) => {
      const txn = txnView(c, c.r.u32());
      const keys: Buffer[] = [];
      for (let n = c.r.u32(); n > 0; n--) keys.push(c.r.bytes());
      c.r.end();
      const values = await txn.getMany(keys);
      const w = new PayloadWriter().u32(values.length);
      for (const value of values) {
        if (value === undefined) w.u8(0);
        else w.u8(1).bytes(value);
      }
      return w.finish();
    },
  ],
  [
    Op.TXN_DEPEND,
    (c) => {
      const txn = c.txns.get(c.r.u32());
      const key = c.r.bytes();
      c.r.end();
      if (!txn.dependOn) throw new ProtocolError("this server's storage cannot track read dependencies");
      txn.dependOn(keyspaced(c, key));
      return undefined;
    },
  ],
  [
    Op.COMMIT,
    async (c) => {
      const id = c.r.u32();
      c.r.end();
      return u64(await c.txns.take(id).commit());
    },
  ],
  [
    Op.ABORT,
    async (c) => {
      const id = c.r.u32();
      c.r.end();
      await c.txns.discard(id)?.abort();
      return undefined;
    },
  ],
  [
    Op.SQL,
    async (c) => {
      const request = c.r.json<{ sql: string; params?: unknown; txn?: number }>();
      c.r.end();
      // Called on the handlers object, not detached from it: a class instance keeps its `this`.
      const handlers = c.handlers;
      if (!handlers?.sql) throw new ProtocolError('this server does not execute SQL');
      const txn = request.txn === undefined ? undefined : c.txns.get(request.txn);
      return json(await handlers.sql(request.sql, request.params, txn));
    },
  ],
  [
    Op.QUERY,
    async (c) => {
      const request = c.r.json<unknown>();
      c.r.end();
      const handlers = c.handlers;
      if (!handlers?.query) throw new ProtocolError('this server does not run queries');
      return json(await handlers.query(request));
    },
  ],
  [
    Op.CALL,
    async (c) => {
      const name = c.r.bytes().toString('utf8');
      const request = c.r.bytes();
      c.r.end();
      if (c.keyspace !== undefined) throw new ProtocolError('services are not available on a keyspace-confined server');
      const handlers = c.handlers;
      if (!handlers?.call) throw new ProtocolError(`this server provides no service '${name}'`);
      return handlers.call(name, Buffer.from(request));
    },
  ],
  [
    Op.CHECKPOINT,
    async (c) => {
      c.r.end();
      return u64(await c.storage.checkpoint());
    },
  ],
  [
    Op.STATS,
    async (c) => {
      c.r.end();
      const stats = c.handlers?.stats ? await c.handlers.stats() : await c.storage.currentStats();
      return json({ ...(stats as object), ...c.metrics() });
    },
  ],
  [
    Op.LSN,
    (c) => {
      c.r.end();
      return u64(c.storage.lsn);
    },
  ],
  [Op.CHANGES, changesPage],
  [Op.WAIT, waitForCommit],
  [Op.CANCEL, cancelWait],
]);

async function scanPage(store: Pick<KeyValueStore, 'iterator'>, r: PayloadReader): Promise<Buffer> {
  const { range, pageSize } = readRange(r);
  r.end();
  const size = Math.max(1, Math.min(pageSize || MAX_SCAN_PAGE, MAX_SCAN_PAGE));
  await using it = store.iterator({ ...range, limit: size + 1 });
  const entries = await it.nextv(size + 1);
  const more = entries.length > size;
  return writeEntries(more ? entries.slice(0, size) : entries, more);
}

/**
 * A page of the commit feed. Under a keyspace, only keys inside it are reported (without it),
 * so a client confined to one keyspace learns nothing of the others.
 */
async function changesPage(c: RequestContext): Promise<Buffer> {
  const { r } = c;
  const after = r.u64();
  const limit = r.u32();
  const bounds = r.u8();
  const gte = bounds & 1 ? r.bytes() : undefined;
  const lt = bounds & 2 ? r.bytes() : undefined;
  r.end();
  const space = c.keyspace;
  const { lower, upper } = confineRange(space, gte, lt);
  // Half a frame of keys: the reply must fit in one frame whatever the framing costs.
  const batch = await c.storage.changesAfter(after, {
    ...(lower && { gte: lower }),
    ...(upper && { lt: upper }),
    limit: Math.max(1, Math.min(limit || 10_000, 10_000)),
    maxBytes: Math.floor(c.maxFrameBytes / 2),
  });
  const w = new PayloadWriter()
    .u64(batch.lsn)
    .u8(batch.more ? 1 : 0)
    .u32(batch.commits.length);
  const cut = space?.byteLength ?? 0;
  for (const commit of batch.commits) {
    w.u64(commit.lsn).u32(commit.keys.length);
    for (const key of commit.keys) w.bytes(key.subarray(cut));
  }
  return w.finish();
}

/** The writes of a BATCH or TXN_BATCH payload: u32 n | per op: u8 type (1 put, 2 del) | bytes key | [bytes value]. */
function readBatchOps(r: PayloadReader): WriteOp[] {
  const ops: WriteOp[] = [];
  for (let n = r.u32(); n > 0; n--) {
    const type = r.u8();
    const key = r.bytes();
    if (type === 1) ops.push({ type: 'put', key, value: r.bytes() });
    else if (type === 2) ops.push({ type: 'del', key });
    else throw new ProtocolError(`unknown batch operation type ${type}`);
  }
  r.end();
  return ops;
}
