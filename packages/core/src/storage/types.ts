import type { BytesLike } from '../bytes.js';
import type { SyncMode } from '../config.js';

/** A key/value pair as every SochDB reader yields it. Buffers are Uint8Arrays. */
export type Entry = readonly [key: Buffer, value: Buffer];

/**
 * A key range in byte order. Give at most one lower bound (`gt`/`gte`) and one upper bound
 * (`lt`/`lte`); no bound means "from the start" / "to the end". `limit` caps the entries yielded.
 *
 * @example
 * ```ts
 * // The ten last keys under 'log:', newest first (';' is the byte after ':').
 * for await (const [key, value] of storage.iterator({ gte: 'log:', lt: 'log;', reverse: true, limit: 10 })) {
 *   console.log(key.toString(), value.toString());
 * }
 * ```
 */
export interface Range {
  readonly gt?: BytesLike;
  readonly gte?: BytesLike;
  readonly lt?: BytesLike;
  readonly lte?: BytesLike;
  readonly reverse?: boolean;
  readonly limit?: number;
}

export type WriteOp = { readonly type: 'put'; readonly key: BytesLike; readonly value: BytesLike } | { readonly type: 'del'; readonly key: BytesLike };

/**
 * An ordered cursor over a range. `for await` reads it in batches and closes it on `break`;
 * `nextv(n)` gives explicit batched reads (an empty array means the end). Always close an
 * iterator you do not exhaust (`await using` does it for you).
 */
export interface EntryIterator extends AsyncIterable<Entry>, AsyncDisposable {
  next(): Promise<Entry | undefined>;
  nextv(size: number): Promise<Entry[]>;
  close(): Promise<void>;
}

/** What can be read: Storage, a snapshot, a transaction, or a prefixed view of any of them. */
export interface KeyValueReader {
  /** The value, or `undefined` when the key is missing (an empty value is not missing). */
  get(key: BytesLike): Promise<Buffer | undefined>;
  getMany(keys: readonly BytesLike[]): Promise<(Buffer | undefined)[]>;
  iterator(range?: Range): EntryIterator;
}

/**
 * What can be written. On Storage each call is one atomic commit and resolves with its LSN; on a
 * transaction it is buffered until commit and resolves with nothing.
 */
export interface KeyValueWriter {
  put(key: BytesLike, value: BytesLike): Promise<void | bigint>;
  del(key: BytesLike): Promise<void | bigint>;
  batch(ops: readonly WriteOp[], options?: BatchOptions): Promise<void | bigint>;
}

export interface BatchOptions {
  /**
   * `false` hands the ops' buffers over: the caller will never change them again, so a
   * transaction keeps them as they are instead of copying each key and value (a bulk load's
   * freshly encoded keys and rows, say). Default `true`.
   */
  readonly copy?: boolean;
}

export interface KeyValueStore extends KeyValueReader, KeyValueWriter {}

/** A consistent, read-only view of Storage as of the moment it was taken. Close it when done. */
export interface StorageSnapshot extends KeyValueReader, AsyncDisposable {
  /** The LSN of the last commit this snapshot is guaranteed to see. */
  readonly lsn: bigint;
  /**
   * True when the snapshot holds exactly the commits through `lsn`. False when it was taken while
   * a commit was being written: it may then already hold that commit too, so two snapshots with
   * one `lsn` could differ. Caches keyed by LSN should only trust exact snapshots.
   */
  readonly exact: boolean;
  /**
   * A synchronous point read at this snapshot: present only when the backend has synchronous
   * reads (`storage.supports.getSync`), so callers test for it before use.
   */
  readonly getSync?: (key: BytesLike) => Buffer | undefined;
  close(): Promise<void>;
}

/** A commit as `Storage.onCommit` reports it: its LSN and its writes (`value` undefined = delete). */
export interface AppliedCommit {
  readonly lsn: bigint;
  readonly ops: readonly { readonly key: Buffer; readonly value: Buffer | undefined }[];
}

/** One commit as the commit feed reports it: its LSN and the keys it wrote or deleted. */
export interface CommitChange {
  readonly lsn: bigint;
  /** Read-only views; within a range filter, only the keys inside it. */
  readonly keys: readonly Buffer[];
}

export interface ChangeFeedOptions {
  /** Report only keys at or above this bound (commits with none in range are skipped). */
  readonly gte?: BytesLike;
  /** Report only keys below this bound. */
  readonly lt?: BytesLike;
  /** At most this many commits in one batch (default 10,000). */
  readonly limit?: number;
  /** At most about this many bytes of keys in one batch (a remote feed's reply size). */
  readonly maxBytes?: number;
}

export interface ChangeBatch {
  /** Commits after the asked LSN that touched the range, in LSN order, none missing. */
  readonly commits: readonly CommitChange[];
  /** The batch covers every commit through this LSN: ask again after it. */
  readonly lsn: bigint;
  /** Whether commits after `lsn` already exist (read again at once). */
  readonly more: boolean;
}

export interface StorageStats {
  /** Exact number of keys, maintained on every write (not counted by a scan). */
  readonly keysCount: number;
  /** Bytes of keys and values written by commits since open. */
  readonly bytesWritten: number;
  /** Bytes of values returned to readers since open. */
  readonly bytesRead: number;
  readonly transactionsCommitted: number;
  readonly transactionsAborted: number;
  readonly conflicts: number;
  readonly activeTransactions: number;
  /** Write batches handed to the backend; with group commit several commits share one. */
  readonly writeBatches: number;
  /** Write batches that were fsynced. */
  readonly syncs: number;
  readonly lsn: bigint;
}

export type StorageStatus = 'opening' | 'open' | 'closing' | 'closed';

/**
 * The one seam every SochDB package builds on: ordered bytes → bytes with atomic batches,
 * snapshots, and snapshot-isolated transactions. `LevelStorage` and `MemoryStorage` implement it
 * and pass one shared conformance suite.
 *
 * Every write (put, del, batch, clear, a transaction commit) is a commit with its own LSN,
 * applied atomically and in LSN order. Writes resolve with that LSN.
 */
export interface Storage extends KeyValueStore, AsyncDisposable {
  /** Folder of a LevelDB database, or `':memory:'`. */
  readonly location: string;
  readonly status: StorageStatus;
  readonly syncMode: SyncMode;
  readonly supports: { readonly getSync: boolean; readonly snapshots: boolean };
  /** LSN of the last commit applied. Persisted, and monotonically increasing across restarts. */
  readonly lsn: bigint;

  /** A synchronous point read, where the backend has one (`supports.getSync`). */
  getSync(key: BytesLike): Buffer | undefined;
  put(key: BytesLike, value: BytesLike): Promise<bigint>;
  del(key: BytesLike): Promise<bigint>;
  batch(ops: readonly WriteOp[]): Promise<bigint>;
  /** Deletes every key in the range (all keys when no range is given) in one commit. */
  clear(range?: Omit<Range, 'reverse' | 'limit'>): Promise<bigint>;
  snapshot(): StorageSnapshot;

  beginTransaction(options?: TransactionOptions): Transaction;
  /**
   * Runs `fn` in a transaction: commits when it returns, aborts when it throws (and rethrows).
   * With `retries`, a `TransactionConflictError` re-runs `fn` on a fresh snapshot.
   *
   * @example
   * ```ts
   * const balance = await storage.transaction(
   *   async (txn) => {
   *     const current = Number((await txn.get('account:1'))?.toString() ?? '0');
   *     await txn.put('account:1', String(current - 100));
   *     return current - 100;
   *   },
   *   { retries: 5 }, // a conflicting commit re-runs the function instead of failing
   * );
   * ```
   */
  transaction<T>(fn: (txn: Transaction) => Promise<T>, options?: TransactionOptions & { readonly retries?: number }): Promise<T>;

  /**
   * Calls `listener` with every commit once it is applied, in LSN order, in the same synchronous
   * step that makes its LSN visible (so a reader that sees the LSN knows the listener has run).
   * Returns a function that unsubscribes. A listener that throws is ignored. Absent on storages
   * that do not see every commit (a concurrent-mode client): test for it before use.
   */
  onCommit?(listener: (commit: AppliedCommit) => void): () => void;

  /**
   * The commit feed: every commit after `afterLsn`, whoever made it (this process, another process
   * of a concurrent-mode database, another client of a server), with its LSN and keys, in LSN
   * order and with none missing. It is a log a consumer reads from an LSN, so a remote or shared
   * backend serves it the same way. A consumer keeping state in memory records
   * `await latestLsn()` before loading, then reads `changesAfter` from there, re-reading the keys
   * it is told of (the log carries keys, not values). A storage keeps only recent commits: a
   * reader too far behind, or one asking for commits from before the storage was opened, gets
   * `ChangeFeedGapError` and must reload.
   */
  changesAfter(afterLsn: bigint, options?: ChangeFeedOptions): Promise<ChangeBatch>;
  /** The LSN of the newest commit (the owner's, for a storage reached through another process). */
  latestLsn(): Promise<bigint>;

  /** Waits for every earlier commit and makes it durable on disk; resolves with the LSN. */
  checkpoint(): Promise<bigint>;
  /**
   * The counters, where this storage keeps them. A storage reached through another process keeps
   * none of its own: its `stats()` throws, and `currentStats()` asks the process that has them.
   */
  stats(): StorageStats;
  /** The counters wherever they are kept (the owner's, for a storage reached through another process). */
  currentStats(): Promise<StorageStats>;
  close(): Promise<void>;
}

export interface TransactionOptions {
  /** Refuse writes; a read-only transaction never conflicts. */
  readonly readOnly?: boolean;
  /**
   * Which try this is of work retried after conflicts (1 = the first; `transaction(fn, { retries })`
   * sets it). A transaction retried more often commits first: see AbstractStorage's fairness.
   */
  readonly attempt?: number;
}

export type TransactionState = 'active' | 'committing' | 'committed' | 'aborted';

/**
 * A snapshot-isolated transaction. Reads see the database as of `begin` plus this transaction's
 * own writes; writes are buffered and applied atomically at `commit`, which fails with
 * `TransactionConflictError` (writing nothing) if another transaction committed any key this one
 * writes after this one began (first committer wins). Read-only work never conflicts.
 *
 * This is snapshot isolation, not serializability: two transactions that each read what the
 * other writes, and write disjoint keys, can both commit (write skew).
 *
 * An interface, so that a transaction held by a server for a remote client (concurrent mode)
 * is one too; `LocalTransaction` is the in-process implementation.
 *
 * @example
 * ```ts
 * // `await using` aborts it on the way out unless it committed (a throw skips the commit).
 * await using txn = storage.beginTransaction();
 * await txn.put('order:42', '{"status":"paid"}');
 * await txn.del('cart:42');
 * await txn.commit(); // TransactionConflictError if another commit wrote either key first
 * ```
 */
export interface Transaction extends KeyValueStore, AsyncDisposable {
  readonly id: number;
  readonly state: TransactionState;
  /** The LSN of the last commit this transaction's reads include. */
  readonly snapshotLsn: bigint;
  /**
   * A synchronous point read (own writes, then the snapshot): present only when the storage has
   * synchronous reads, so test for it: `txn.getSync ? txn.getSync(k) : await txn.get(k)`.
   */
  readonly getSync?: (key: BytesLike) => Buffer | undefined;
  put(key: BytesLike, value: BytesLike): Promise<void>;
  del(key: BytesLike): Promise<void>;
  batch(ops: readonly WriteOp[], options?: BatchOptions): Promise<void>;
  /** Runs `callback` with the commit LSN once this transaction has committed (never if it aborts). */
  afterCommit(callback: (lsn: bigint) => void): void;
  /** Applies every write atomically; resolves with the commit LSN. */
  commit(): Promise<bigint>;
  /** Discards every write; idempotent. */
  abort(): Promise<void>;
  /**
   * Marks the writes made so far, for `rollbackTo` (SQL's SAVEPOINT). Optional: a transaction
   * held for a remote client has none, so test for it.
   */
  readonly savepoint?: () => TransactionSavepoint;
  /** Undoes every write made after `savepoint` was taken; the transaction stays active. */
  readonly rollbackTo?: (savepoint: TransactionSavepoint) => void;
  /**
   * Declares that this transaction's writes rely on `key` as its snapshot shows it: the commit
   * fails with TransactionConflictError if another transaction committed `key` after this one
   * began, as if this one had written it (e.g. SQL statements on the schema version). Optional:
   * a transaction held for a remote client may lack it, so test for it.
   */
  readonly dependOn?: (key: BytesLike) => void;
}

/** An opaque mark of a transaction's writes (see `Transaction.savepoint`). */
export interface TransactionSavepoint {
  readonly transactionId: number;
}
