import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  ConnectionError,
  DatabaseLockedError,
  LevelStorage,
  LockTimeoutError,
  type BytesLike,
  type ChangeBatch,
  type ChangeFeedOptions,
  type DatabaseConfigInput,
  type EntryIterator,
  type Range,
  type Storage,
  type StorageSnapshot,
  type StorageStats,
  type StorageStatus,
  type Transaction,
  type TransactionOptions,
  type WatchRange,
  type WriteOp,
  type OwnerServices,
  ProtocolError,
  ValidationError,
} from '@sochdb/core';
import { IpcClient } from '../client.js';
import { IpcServer, type IpcHandlers } from '../server.js';
import { DeferredIterator, DeferredTransaction, deferredSnapshot } from './deferred.js';
import { RemoteStorage } from './remote-storage.js';
import { requireWatch } from '@sochdb/core/internal';

/**
 * Options of {@link ConcurrentStorage.open}: the database config the owner opens LevelDB with
 * (ignored while this process is a client: the owner's own config applies), plus the election's timeout.
 */
export interface ConcurrentOptions extends DatabaseConfigInput {
  /** How long to keep trying to become owner or reach the owner (default 10,000 ms). */
  readonly lockTimeoutMs?: number;
}

/** The socket every process of one database folder meets at. */
export function concurrentSocketPath(path: string): string {
  return join(resolve(path), 'sochdb.sock');
}

/** A Storage.watch subscription of ConcurrentStorage, and its subscription on the current storage. */
interface Watcher {
  readonly range: WatchRange;
  readonly listener: () => void;
  off: (() => void) | undefined;
}

/**
 * Storage for concurrent mode. The first process to open the folder becomes its owner: it holds
 * LevelDB's lock and serves the folder's socket. Every other process works through that socket
 * (`RemoteStorage`), so transactions, conflict detection and LSNs are the owner's and hold across
 * processes. When the owner goes away (closed or killed), the next request of each other process
 * fails once with `ConnectionError` and triggers an election: one process takes the lock and
 * serves, the rest reconnect to it. Requests after that go to the new owner.
 */
export class ConcurrentStorage implements Storage, OwnerServices {
  #current!: Storage;
  /** The services this process runs for all whenever it is the owner (OwnerServices). */
  readonly #services = new Map<string, (request: Buffer) => Promise<Buffer>>();
  /** Storage.watch subscriptions, moved to each new owner. */
  readonly #watchers = new Set<Watcher>();
  #server: IpcServer | undefined;
  #electing: Promise<void> | undefined;
  #closed = false;

  private constructor(
    /** The folder's absolute path (`path` given to `open`, resolved). */
    readonly location: string,
    private readonly options: ConcurrentOptions,
    private readonly handlers: () => IpcHandlers,
  ) {}

  /**
   * Opens the folder as its owner, or as a client of the process that owns it. `handlers` builds
   * what this process serves whenever it becomes the owner (called at each election won); the
   * handlers run only on other processes' requests.
   *
   * @example
   * ```ts
   * // The same call in every process that shares ./data.
   * const storage = await ConcurrentStorage.open('./data', { lockTimeoutMs: 5000 });
   * await storage.transaction(async (txn) => {
   *   const count = Number((await txn.get('counter'))?.toString() ?? '0');
   *   await txn.put('counter', String(count + 1));
   * }, { retries: 10 }); // a conflict with another process re-runs the function
   * await storage.close();
   * ```
   */
  static async open(path: string, options: ConcurrentOptions = {}, handlers: () => IpcHandlers = () => ({})): Promise<ConcurrentStorage> {
    const storage = new ConcurrentStorage(resolve(path), options, handlers);
    await storage.#elect();
    return storage;
  }

  /** Whether this process currently owns the folder (holds the lock and serves the socket). */
  get isOwner(): boolean {
    return this.#server !== undefined;
  }

  /** `'closed'` once `close` was called, whatever the owner does; otherwise the current storage's status. */
  get status(): StorageStatus {
    return this.#closed ? 'closed' : this.#current.status;
  }
  /** The owner's sync mode while this process owns the folder; a client always reports `'normal'` (its writes are synced by the owner, per the owner's config). */
  get syncMode() {
    return this.#current.syncMode;
  }
  /** Changes with ownership: `getSync` is true only while this process is the owner (a client's `getSync` throws). */
  get supports() {
    return this.#current.supports;
  }
  get lsn(): bigint {
    return this.#current.lsn;
  }

  get(key: BytesLike): Promise<Buffer | undefined> {
    return this.#read((s) => s.get(key));
  }
  getSync(key: BytesLike): Buffer | undefined {
    return this.#current.getSync(key);
  }
  /** Values in the order of `keys`, `undefined` where missing; a read, so retried on the new owner after an owner change. */
  getMany(keys: readonly BytesLike[]): Promise<(Buffer | undefined)[]> {
    return this.#read((s) => s.getMany(keys));
  }
  /**
   * An ordered cursor over `range`. On a client every page comes from one read-only transaction
   * of the owner, so the whole scan sees one consistent state; during an election it starts once
   * the new owner is known.
   */
  iterator(range?: Range): EntryIterator {
    const wait = this.#ready();
    return wait ? new DeferredIterator(wait.then(() => this.#current.iterator(range))) : this.#current.iterator(range);
  }
  /**
   * One commit; resolves with its LSN, in the owner's order across all processes. If the owner dies
   * meanwhile it rejects once with ConnectionError (the write may or may not be applied) and the
   * next call goes to the new owner. `del` and `batch` behave the same.
   */
  put(key: BytesLike, value: BytesLike): Promise<bigint> {
    return this.#call((s) => s.put(key, value));
  }
  /** Deletes `key` in one commit; resolves with its LSN (see `put` for an owner change). */
  del(key: BytesLike): Promise<bigint> {
    return this.#call((s) => s.del(key));
  }
  /** Applies `ops` as one atomic commit; resolves with its LSN (see `put` for an owner change). */
  batch(ops: readonly WriteOp[]): Promise<bigint> {
    return this.#call((s) => s.batch(ops));
  }
  clear(range?: Omit<Range, 'reverse' | 'limit'>): Promise<bigint> {
    return this.#call((s) => s.clear(range));
  }
  /**
   * A consistent read-only view; close it when done. A client's snapshot is a read-only
   * transaction held by the owner, and its `exact` is always false (caches must not trust its LSN alone).
   */
  snapshot(): StorageSnapshot {
    const wait = this.#ready();
    return wait ? deferredSnapshot(wait.then(() => this.#current.snapshot())) : this.#current.snapshot();
  }
  /**
   * A snapshot-isolated transaction; on a client it is held by the owner, so conflicts are
   * detected against every process's commits. If the owner goes away, its later requests (commit
   * included) fail with ConnectionError: begin a new one, which goes to the new owner.
   */
  beginTransaction(options?: TransactionOptions): Transaction {
    const wait = this.#ready();
    return wait ? new DeferredTransaction(wait.then(() => this.#current.beginTransaction(options))) : this.#current.beginTransaction(options);
  }
  transaction<T>(fn: (txn: Transaction) => Promise<T>, options?: TransactionOptions & { readonly retries?: number }): Promise<T> {
    return this.#call((s) => s.transaction(fn, options));
  }
  checkpoint(): Promise<bigint> {
    return this.#call((s) => s.checkpoint());
  }
  /**
   * The owner's commit feed, commits of every process included. After an owner change the new
   * owner's feed starts at the LSN it opened at: a reader that had not read that far gets
   * ChangeFeedGapError and reloads (nothing is missed silently).
   */
  changesAfter(afterLsn: bigint, options?: ChangeFeedOptions): Promise<ChangeBatch> {
    return this.#read((s) => s.changesAfter(afterLsn, options));
  }
  latestLsn(): Promise<bigint> {
    return this.#read((s) => s.latestLsn());
  }
  /**
   * Storage.watch on whichever process owns the folder: pushed at once in the owner, a round
   * trip late in a client. After an owner change the watch moves to the new owner and the
   * listener is called once, since commits made during the change are not reported.
   */
  watch(range: WatchRange, listener: () => void): () => void {
    requireWatch(range, listener);
    const entry: Watcher = { range, listener, off: undefined };
    this.#watchers.add(entry);
    this.#attach(entry);
    return () => {
      this.#watchers.delete(entry);
      entry.off?.();
      entry.off = undefined;
    };
  }

  #attach(entry: Watcher): void {
    const current = this.#current;
    // A client whose owner has gone: the next request's election re-attaches it.
    if (current instanceof RemoteStorage && !current.connected) return;
    entry.off = current.watch?.(entry.range, entry.listener);
  }
  /** The counters, in the owner process only (a client's throws: use currentStats). */
  stats(): StorageStats {
    return this.#current.stats();
  }
  /** The owner's counters, wherever they are. */
  currentStats(): Promise<StorageStats> {
    return this.#read((s) => s.currentStats());
  }

  provide(name: string, handler: (request: Buffer) => Promise<Buffer>): void {
    if (typeof name !== 'string' || name.length === 0 || typeof handler !== 'function') {
      throw new ValidationError('provide takes a service name and a handler function', { field: 'name' });
    }
    this.#services.set(name, handler);
  }

  /**
   * Runs service `name` in the owner: here when this process owns the folder, else over the
   * socket. Like a write, a call that met the owner's death fails once with ConnectionError (it
   * may or may not have run) and the next one goes to the new owner.
   */
  callOwner(name: string, request: Buffer): Promise<Buffer> {
    return this.#call(async (s) => {
      if (s instanceof RemoteStorage) return s.callOwner(name, request);
      // The owner's own calls wait for the I/O already received: the other processes' calls, which
      // took a round trip to get here, join the same turn instead of always coming second.
      await new Promise<void>((resolve) => setImmediate(resolve));
      return this.#serve(name, request);
    });
  }

  #serve(name: string, request: Buffer): Promise<Buffer> {
    const handler = this.#services.get(name);
    if (handler === undefined) return Promise.reject(new ProtocolError(`this process provides no service '${name}'`));
    return handler(request);
  }

  /**
   * Closes this process's side: an owner stops serving the socket (after in-flight requests) and
   * closes LevelDB, so the other processes elect a new owner; a client aborts its transactions
   * and disconnects. Calling it again is a no-op.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#electing?.catch(() => undefined);
    await this.#server?.close();
    await this.#current.close();
  }
  /** Closes the storage (`await using`): see {@link ConcurrentStorage.close}. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /**
   * An election to wait for before using the current storage: the one running, or one started
   * now because the owner's connection is gone. Synchronous methods (iterator, snapshot,
   * beginTransaction) call it too, so a process that only reads, or only uses explicit
   * transactions, recovers like one that calls get/put (it used to keep calling the dead owner).
   */
  #ready(): Promise<void> | undefined {
    if (this.#electing) return this.#electing;
    const current = this.#current;
    if (!this.#closed && current instanceof RemoteStorage && !current.connected) {
      this.#electing = this.#reelect().finally(() => (this.#electing = undefined));
      return this.#electing;
    }
    return undefined;
  }

  async #call<T>(op: (s: Storage) => Promise<T>): Promise<T> {
    const wait = this.#ready();
    if (wait) await wait;
    try {
      return await op(this.#current);
    } catch (error) {
      if (error instanceof ConnectionError && !this.#closed) {
        this.#electing ??= this.#reelect().finally(() => (this.#electing = undefined));
      }
      throw error;
    }
  }

  /** A read changes nothing, so one that met the owner's death is asked again of the new owner. */
  async #read<T>(op: (s: Storage) => Promise<T>): Promise<T> {
    try {
      return await this.#call(op);
    } catch (error) {
      if (!(error instanceof ConnectionError) || this.#closed) throw error;
      return this.#call(op);
    }
  }

  async #reelect(): Promise<void> {
    for (const entry of this.#watchers) entry.off?.();
    await this.#current.close().catch(() => undefined);
    await this.#elect();
    for (const entry of this.#watchers) {
      this.#attach(entry);
      try {
        entry.listener();
      } catch {
        // As with Storage.onCommit: the listener's failure is its own.
      }
    }
  }

  /** Become the owner, or connect to the one there is; retry until the lock timeout. */
  async #elect(): Promise<void> {
    const socketPath = concurrentSocketPath(this.location);
    const deadline = Date.now() + (this.options.lockTimeoutMs ?? 10_000);
    const { lockTimeoutMs: _ignored, ...config } = this.options;
    for (;;) {
      try {
        const storage = await LevelStorage.open(this.location, config);
        // The clients are this application's own processes, one connection each: a process may hold
        // many transactions at once, for as long as it likes. Its transactions still end with it
        // (a process that dies closes its connection).
        const server = new IpcServer(storage, {
          socketPath,
          idleTimeoutMs: 0,
          maxTransactionsPerConnection: 0,
          transactionIdleTimeoutMs: 0,
          handlers: { ...this.handlers(), call: (name, request) => this.#serve(name, request) },
        });
        try {
          await server.listen();
        } catch (error) {
          await storage.close();
          throw error;
        }
        this.#current = storage;
        this.#server = server;
        return;
      } catch (error) {
        if (!(error instanceof DatabaseLockedError) && !(error instanceof ConnectionError)) throw error;
      }
      try {
        const remote = new RemoteStorage(await IpcClient.connect(socketPath, { connectTimeoutMs: 1000 }), this.location);
        // `lsn` starts at the owner's, as a newly opened storage's does.
        await remote.latestLsn().catch(async (error: unknown) => {
          await remote.close();
          throw error;
        });
        this.#current = remote;
        this.#server = undefined;
        return;
      } catch (error) {
        if (!(error instanceof ConnectionError)) throw error;
      }
      // The owner is starting up or has just died; its lock and socket will settle shortly.
      if (Date.now() > deadline) {
        throw new LockTimeoutError(`could neither open ${this.location} nor reach its owner within ${this.options.lockTimeoutMs ?? 10_000} ms`, {
          remediation: 'Check which process holds the folder, or raise lockTimeoutMs.',
        });
      }
      await sleep(20 + Math.random() * 30);
    }
  }
}
