import {
  AbstractEntryIterator,
  DatabaseError,
  normalizeRange,
  ProtocolError,
  runTransaction,
  ValidationError,
  type BytesLike,
  type ChangeBatch,
  type ChangeFeedOptions,
  type Entry,
  type EntryIterator,
  type Range,
  type Storage,
  type StorageSnapshot,
  type StorageStats,
  type StorageStatus,
  type SyncMode,
  type Transaction,
  type TransactionOptions,
  type TransactionRunOptions,
  type TransactionState,
  type WatchRange,
  type WriteOp,
} from '@sochdb/core';
import { clearInChunks, TransactionLifecycle } from '@sochdb/core/internal';
import type { IpcClient, IpcTransaction } from '../client.js';
import { isArray } from '@sochdb/core/internal';

/**
 * The Storage of a non-owner process in concurrent mode: every read, write and transaction goes
 * over the owner's Unix socket, so conflict detection and LSN order are the owner's and hold
 * across processes. No synchronous reads.
 */
export class RemoteStorage implements Storage {
  readonly supports = { getSync: false, snapshots: true } as const;
  readonly syncMode: SyncMode = 'normal';
  #status: StorageStatus = 'open';
  #lsn = 0n;
  /** Open transactions (snapshots and iterators hold one too): closing the storage aborts them. */
  readonly #open = new Set<RemoteTransaction>();

  constructor(
    private readonly client: IpcClient,
    readonly location: string,
  ) {}

  get status(): StorageStatus {
    return this.#status;
  }
  get lsn(): bigint {
    return this.#lsn;
  }
  /** False once the owner's connection is gone (the owner closed or died). */
  get connected(): boolean {
    return this.client.connected;
  }

  async get(key: BytesLike): Promise<Buffer | undefined> {
    this.#assertOpen();
    return (await this.client.get(key)) ?? undefined;
  }
  getSync(): Buffer | undefined {
    throw new DatabaseError('synchronous reads are not available in concurrent mode', { remediation: 'Use await get(key).' });
  }
  async getMany(keys: readonly BytesLike[]): Promise<(Buffer | undefined)[]> {
    this.#assertOpen();
    return Promise.all(keys.map(async (k) => (await this.client.get(k)) ?? undefined));
  }
  /**
   * Reads pages through a read-only transaction of the owner, so the whole scan sees the state at
   * the moment the iterator was made (plain SCAN pages would each see a later state).
   */
  iterator(range: Range = {}): EntryIterator {
    this.#assertOpen();
    normalizeRange(range);
    const txn = this.beginTransaction({ readOnly: true });
    const pages = (async function* () {
      try {
        yield* txn.iterator(range);
      } finally {
        await txn.abort();
      }
    })();
    return new GeneratorIterator(pages);
  }
  async put(key: BytesLike, value: BytesLike): Promise<bigint> {
    this.#assertOpen();
    return this.#seen(await this.client.put(key, value));
  }
  async del(key: BytesLike): Promise<bigint> {
    this.#assertOpen();
    return this.#seen(await this.client.delete(key));
  }
  async batch(ops: readonly WriteOp[]): Promise<bigint> {
    this.#assertOpen();
    return this.#seen(await this.client.batch(ops));
  }
  async clear(range: Omit<Range, 'reverse' | 'limit'> = {}): Promise<bigint> {
    // As every Storage's clear: commits of CLEAR_CHUNK_KEYS keys from one snapshot (core's clearInChunks).
    return clearInChunks(this.iterator(range), (keys) => this.batch(keys.map((key): WriteOp => ({ type: 'del', key }))));
  }
  snapshot(): StorageSnapshot {
    const txn = this.beginTransaction({ readOnly: true });
    let open = true;
    const check = (): void => {
      this.#assertOpen();
      if (!open) throw new DatabaseError('snapshot is closed', { remediation: 'Take a new snapshot.' });
    };
    const close = async (): Promise<void> => {
      open = false;
      await txn.abort();
    };
    return {
      get lsn() {
        return txn.snapshotLsn;
      },
      // The owner process may be writing a commit right now: this side cannot tell.
      exact: false,
      get: async (key) => {
        check();
        return txn.get(key);
      },
      getMany: async (keys) => {
        check();
        return txn.getMany(keys);
      },
      iterator: (range) => {
        check();
        return txn.iterator(range);
      },
      close,
      [Symbol.asyncDispose]: close,
    };
  }
  beginTransaction(options: TransactionOptions = {}): Transaction {
    this.#assertOpen();
    const attempt = options?.attempt ?? 1;
    if (!Number.isSafeInteger(attempt) || attempt < 1 || attempt > 0xffffffff) {
      throw new ValidationError(`attempt must be a positive integer, got ${String(attempt)}`, { field: 'attempt' });
    }
    const txn = new RemoteTransaction(
      this.client.beginTransaction(attempt),
      options,
      (lsn) => this.#seen(lsn),
      () => this.#open.delete(txn),
    );
    this.#open.add(txn);
    return txn;
  }
  transaction<T>(fn: (txn: Transaction) => Promise<T>, options: TransactionRunOptions = {}): Promise<T> {
    return runTransaction((o) => this.beginTransaction(o), fn, options);
  }
  /** OwnerServices: the owner runs the service. */
  async callOwner(name: string, request: Buffer): Promise<Buffer> {
    this.#assertOpen();
    return this.client.call(name, request);
  }

  async checkpoint(): Promise<bigint> {
    this.#assertOpen();
    return this.#seen(await this.client.checkpoint());
  }
  /** The owner's commit feed: commits from every process. */
  async changesAfter(afterLsn: bigint, options?: ChangeFeedOptions): Promise<ChangeBatch> {
    this.#assertOpen();
    const batch = await this.client.changesAfter(afterLsn, options);
    this.#seen(batch.lsn);
    return batch;
  }
  async latestLsn(): Promise<bigint> {
    this.#assertOpen();
    return this.#seen(await this.client.lsn());
  }
  /**
   * Storage.watch through the owner (IpcClient.watch): commits of every process, a round trip
   * late. Closing the storage closes the connection, which ends the watch.
   */
  watch(range: WatchRange, listener: () => void): () => void {
    this.#assertOpen();
    return this.client.watch(range, listener);
  }
  /** The counters are the owner's, in another process: they cannot be read synchronously. */
  stats(): StorageStats {
    throw new DatabaseError('stats() of a concurrent-mode client cannot be read synchronously: the counters are kept by the owner process', {
      remediation: 'Use await storage.currentStats() (or await db.stats()).',
    });
  }
  /** The owner's storage counters. */
  async currentStats(): Promise<StorageStats> {
    const raw = await this.client.stats();
    // LSNs cross the wire as decimal strings (JSON has no bigint).
    const lsnOf = (field: 'lsn' | 'keysCountLsn'): bigint => {
      const value = raw[field] ?? 0;
      if (typeof value !== 'string' && typeof value !== 'number') throw new ProtocolError(`the owner's stats carry a ${field} of type ${typeof value}`);
      return BigInt(value);
    };
    return { ...(raw as unknown as StorageStats), lsn: lsnOf('lsn'), keysCountLsn: lsnOf('keysCountLsn') };
  }
  async close(): Promise<void> {
    if (this.#status === 'closed') return;
    this.#status = 'closed';
    // The owner aborts them when the connection closes; here they say so at once.
    for (const txn of this.#open) txn.markAborted();
    await this.client.close();
  }
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  #seen(lsn: bigint): bigint {
    if (lsn > this.#lsn) this.#lsn = lsn;
    return lsn;
  }
  #assertOpen(): void {
    if (this.#status !== 'open') throw new DatabaseError('database is closed', { remediation: 'Open the database again before using it.' });
  }
}

/**
 * A transaction held by the owner for this process. `beginTransaction` is synchronous by
 * contract, so BEGIN is sent at once and every later request on the same pipelined connection
 * waits for its reply.
 */
class RemoteTransaction implements Transaction {
  static #nextLocalId = 1;
  readonly id = RemoteTransaction.#nextLocalId++;
  readonly #life: TransactionLifecycle;
  #snapshotLsn = 0n;
  readonly #remote: Promise<IpcTransaction>;
  /**
   * Writes and dependOn requests in flight: sent without waiting for their replies, the commit
   * waits for them (a failed one fails the commit). Requests on one connection are served in
   * order, so a later read of this transaction still sees them.
   */
  readonly #inFlight: Promise<void>[] = [];

  constructor(
    remote: Promise<IpcTransaction>,
    options: TransactionOptions,
    private readonly onCommitted: (lsn: bigint) => void,
    private readonly onEnded: () => void,
  ) {
    this.#life = new TransactionLifecycle(this.id, options.readOnly === true);
    this.#remote = remote.then((t) => {
      this.#snapshotLsn = t.snapshotLsn;
      return t;
    });
    this.#remote.catch(() => undefined);
  }

  get state(): TransactionState {
    return this.#life.state;
  }
  get snapshotLsn(): bigint {
    return this.#snapshotLsn;
  }
  async get(key: BytesLike): Promise<Buffer | undefined> {
    this.#assertActive('get');
    return (await (await this.#remote).get(key)) ?? undefined;
  }
  async getMany(keys: readonly BytesLike[]): Promise<(Buffer | undefined)[]> {
    this.#assertActive('getMany');
    if (keys.length === 0) return [];
    return (await (await this.#remote).getMany(keys)).map((value) => value ?? undefined);
  }
  iterator(range: Range = {}): EntryIterator {
    this.#assertActive('iterator');
    const source = (async function* (remote: Promise<IpcTransaction>) {
      yield* (await remote).scan(range);
    })(this.#remote);
    return new GeneratorIterator(source);
  }
  // A write is buffered by the owner's transaction and only takes effect at the commit, so there
  // is nothing to wait for before the next request: a transaction of N writes costs one round
  // trip for them all (the commit's), not N.
  async put(key: BytesLike, value: BytesLike): Promise<void> {
    this.#assertWritable('put');
    // Copied: the caller may reuse its buffers once this returns, before the request is sent.
    const [k, v] = [ownBytes(key), ownBytes(value)];
    this.#send((t) => t.put(k, v));
  }
  async del(key: BytesLike): Promise<void> {
    this.#assertWritable('del');
    const k = ownBytes(key);
    this.#send((t) => t.delete(k));
  }
  async batch(ops: readonly WriteOp[]): Promise<void> {
    this.#assertWritable('batch');
    if (!isArray(ops)) throw new ValidationError('batch takes an array of operations', { field: 'ops' });
    ops.forEach((op, i) => {
      if (op?.type !== 'put' && op?.type !== 'del') {
        throw new ValidationError(`ops[${i}].type must be 'put' or 'del'`, { field: `ops[${i}].type` });
      }
    });
    const copies = ops.map((op) =>
      op.type === 'put' ? { type: 'put' as const, key: ownBytes(op.key), value: ownBytes(op.value) } : { type: 'del' as const, key: ownBytes(op.key) },
    );
    this.#send((t) => t.batch(copies));
  }
  #send(request: (t: IpcTransaction) => Promise<unknown>): void {
    const sent = this.#remote.then(async (t) => void (await request(t)));
    sent.catch(() => undefined);
    this.#inFlight.push(sent);
  }
  afterCommit(callback: (lsn: bigint) => void): void {
    this.#life.afterCommit(callback);
  }
  /**
   * Sent without waiting (requests on the connection are answered in order, so it reaches the
   * owner before any later request of this transaction); the commit waits for it.
   */
  readonly dependOn = (key: BytesLike): void => {
    this.#assertActive('dependOn');
    const copy = ownBytes(key);
    this.#send((t) => t.dependOn(copy));
  };
  async commit(): Promise<bigint> {
    return this.#life.commit(
      async () => {
        await Promise.all(this.#inFlight);
        const lsn = await (await this.#remote).commit();
        this.onCommitted(lsn);
        return lsn;
      },
      async (outcome) => {
        this.onEnded();
        // A failed dependency never reached COMMIT: end the owner's transaction too (a no-op when
        // the owner already ended it).
        if (outcome === 'aborted') await this.#abortRemote();
      },
    );
  }
  async abort(): Promise<void> {
    if (!this.#life.beginAbort()) return;
    this.onEnded();
    await this.#abortRemote();
  }
  /** The storage closed: the owner has dropped this transaction with the connection. */
  markAborted(): void {
    this.#life.markAborted();
  }
  async [Symbol.asyncDispose](): Promise<void> {
    if (this.#life.state === 'active') await this.abort();
  }
  async #abortRemote(): Promise<void> {
    await (await this.#remote.catch(() => undefined))?.abort().catch(() => undefined);
  }
  #assertActive(op: string): void {
    this.#life.assertActive(op);
  }
  #assertWritable(op: string): void {
    this.#life.assertWritable(op);
  }
}

/** An EntryIterator over an async generator of entries. */
class GeneratorIterator extends AbstractEntryIterator {
  constructor(private readonly source: AsyncIterator<Entry>) {
    super();
  }
  protected async _nextv(size: number): Promise<Entry[]> {
    const out: Entry[] = [];
    while (out.length < size) {
      const next = await this.source.next();
      if (next.done) break;
      out.push(next.value);
    }
    return out;
  }
  protected async _close(): Promise<void> {
    await this.source.return?.(undefined);
  }
}

function ownBytes(bytes: BytesLike): BytesLike {
  return typeof bytes === 'string' ? bytes : Buffer.from(bytes);
}
