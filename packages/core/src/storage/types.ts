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
  /** Start after this key (exclusive). */
  readonly gt?: BytesLike;
  /** Start at this key (inclusive). The empty key is reserved, so `''` means "from the start". */
  readonly gte?: BytesLike;
  /** Stop before this key (exclusive). */
  readonly lt?: BytesLike;
  /** Stop at this key (inclusive). */
  readonly lte?: BytesLike;
  /** Yield entries from the upper bound down (default `false`: ascending byte order). */
  readonly reverse?: boolean;
  /** At most this many entries (a non-negative integer; `Infinity` or absent for no limit). */
  readonly limit?: number;
}

/**
 * One write of a `batch`: a put or a delete. A batch's ops apply atomically and in array order, so a
 * later op on the same key wins.
 */
export type WriteOp =
  | {
      /** Store `value` under `key`, replacing any value. */
      readonly type: 'put';
      /** A non-empty key (the empty key is reserved for SochDB's metadata). */
      readonly key: BytesLike;
      /** The value; a string is stored as UTF-8, an empty value is allowed. */
      readonly value: BytesLike;
    }
  | {
      /** Delete `key`; deleting a missing key is not an error. */
      readonly type: 'del';
      /** A non-empty key (the empty key is reserved for SochDB's metadata). */
      readonly key: BytesLike;
    };

/**
 * An ordered cursor over a range. `for await` reads it in batches and closes it on `break`;
 * `nextv(n)` gives explicit batched reads (an empty array means the end). Always close an
 * iterator you do not exhaust (`await using` does it for you).
 */
export interface EntryIterator extends AsyncIterable<Entry>, AsyncDisposable {
  /** The next entry, or `undefined` at the end. Throws DatabaseError once the iterator is closed. */
  next(): Promise<Entry | undefined>;
  /**
   * Up to `size` next entries (a positive integer, else ValidationError); fewer only near the end,
   * and an empty array at the end. Throws DatabaseError once the iterator is closed.
   */
  nextv(size: number): Promise<Entry[]>;
  /** Releases the cursor; idempotent. `for await` calls it for you when the loop ends. */
  close(): Promise<void>;
}

/** What can be read: Storage, a snapshot, a transaction, or a prefixed view of any of them. */
export interface KeyValueReader {
  /** The value, or `undefined` when the key is missing (an empty value is not missing). */
  get(key: BytesLike): Promise<Buffer | undefined>;
  /**
   * The values of `keys`, in the same order, `undefined` where missing; one backend call, cheaper
   * than one `get` per key.
   */
  getMany(keys: readonly BytesLike[]): Promise<(Buffer | undefined)[]>;
  /**
   * A cursor over `range` (every key when omitted), in byte order. Entries are read lazily, but
   * from the state when the iterator was created (LevelStorage, MemoryStorage, a transaction's own
   * snapshot), so writes made while iterating are not seen.
   */
  iterator(range?: Range): EntryIterator;
}

/**
 * What can be written. On Storage each call is one atomic commit and resolves with its LSN; on a
 * transaction it is buffered until commit and resolves with nothing.
 */
export interface KeyValueWriter {
  /** Stores `value` under `key` (a non-empty key), replacing any value. */
  put(key: BytesLike, value: BytesLike): Promise<void | bigint>;
  /** Deletes `key`; deleting a missing key is not an error (and still commits on Storage). */
  del(key: BytesLike): Promise<void | bigint>;
  /** Applies every op of `ops` atomically, in order: all or none of them. */
  batch(ops: readonly WriteOp[], options?: BatchOptions): Promise<void | bigint>;
}

/** Options of `batch`. */
export interface BatchOptions {
  /**
   * `false` hands the ops' buffers over: the caller will never change them again, so a
   * transaction keeps them as they are instead of copying each key and value (a bulk load's
   * freshly encoded keys and rows, say). Default `true`.
   */
  readonly copy?: boolean;
}

/**
 * Anything that can be both read and written: a Storage, a Transaction, or a `prefixed` view of
 * either. What the SochDB packages take, so they work the same inside or outside a transaction.
 */
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
  /**
   * Releases the snapshot (the backend keeps old versions alive while it is open); idempotent.
   * Reads after closing throw DatabaseError.
   */
  close(): Promise<void>;
}

/** A commit as `Storage.onCommit` reports it: its LSN and its writes (`value` undefined = delete). */
export interface AppliedCommit {
  /** The commit's LSN; listeners see strictly increasing LSNs. */
  readonly lsn: bigint;
  /** The commit's writes in the order applied; a key may appear more than once (the last wins). */
  readonly ops: readonly {
    /** The key written (the Buffer the storage keeps: do not modify it). */
    readonly key: Buffer;
    /** The new value, or `undefined` when the key was deleted. */
    readonly value: Buffer | undefined;
  }[];
}

/** One commit as the commit feed reports it: its LSN and the keys it wrote or deleted. */
export interface CommitChange {
  /** The commit's LSN, greater than every earlier commit's. */
  readonly lsn: bigint;
  /** Read-only views; within a range filter, only the keys inside it. */
  readonly keys: readonly Buffer[];
}

/** Options of `Storage.changesAfter`: the key range to report and the size of one batch. */
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

/** The keys `Storage.watch` reports commits to: `gte` ≤ key < `lt`, either bound optional. */
export interface WatchRange {
  /** Watch keys at or above this bound. */
  readonly gte?: BytesLike;
  /** Watch keys below this bound. */
  readonly lt?: BytesLike;
}

/** What `Storage.changesAfter` resolves to: a run of consecutive commits and where to read on. */
export interface ChangeBatch {
  /** Commits after the asked LSN that touched the range, in LSN order, none missing. */
  readonly commits: readonly CommitChange[];
  /** The batch covers every commit through this LSN: ask again after it. */
  readonly lsn: bigint;
  /** Whether commits after `lsn` already exist (read again at once). */
  readonly more: boolean;
}

/**
 * A storage's counters since it was opened (none is persisted except `keysCount` and `lsn`), from
 * `stats()` or `currentStats()`, for monitoring.
 */
export interface StorageStats {
  /**
   * Number of keys, exact at `keysCountLsn`. With `trackKeyCount: true` it is kept on every write
   * (`keysCountLsn` is always the latest LSN). With the default `false`, `currentStats()` counts
   * by a keys-only scan when there were commits since the last count (free otherwise), and the
   * synchronous `stats()` reports the last count taken, which may be older: check `keysCountLsn`.
   */
  readonly keysCount: number;
  /** The LSN at which `keysCount` was exact (0n: never counted since open). */
  readonly keysCountLsn: bigint;
  /** Bytes of keys and values written by commits since open. */
  readonly bytesWritten: number;
  /** Bytes of values returned to readers since open. */
  readonly bytesRead: number;
  /** Transactions committed since open (plain writes outside a transaction are not counted). */
  readonly transactionsCommitted: number;
  /** Transactions aborted since open, whether explicitly, by a throw in `transaction(fn)`, or by a conflict. */
  readonly transactionsAborted: number;
  /** Commits refused with TransactionConflictError since open (each retry that loses counts again). */
  readonly conflicts: number;
  /** Transactions begun and not yet committed or aborted, right now. */
  readonly activeTransactions: number;
  /** Write batches handed to the backend; with group commit several commits share one. */
  readonly writeBatches: number;
  /** Write batches that were fsynced. */
  readonly syncs: number;
  /** LSN of the last commit applied (the same as `storage.lsn`). */
  readonly lsn: bigint;
}

/**
 * A storage's lifecycle: `'open'` is the only state that accepts reads and writes; `'closing'` while `close()`
 * finishes queued commits. A closed storage stays closed: open a new one.
 */
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
  /** Where the storage is in its lifecycle; reads, writes and transactions throw DatabaseError unless `'open'`. */
  readonly status: StorageStatus;
  /** How commits reach the disk (see `SyncMode`), as configured at open; fixed for the storage's life. */
  readonly syncMode: SyncMode;
  /** What this backend can do, to test before using an optional feature. */
  readonly supports: {
    /** `getSync` (and a snapshot's or transaction's `getSync`) works; otherwise it throws DatabaseError. */
    readonly getSync: boolean;
    /**
     * `snapshot()` gives a true point-in-time view; when `false`, SochDB's packages read the live
     * storage instead, so reads of one call may see a commit land between them.
     */
    readonly snapshots: boolean;
  };
  /** LSN of the last commit applied. Persisted, and monotonically increasing across restarts. */
  readonly lsn: bigint;

  /** A synchronous point read, where the backend has one (`supports.getSync`). */
  getSync(key: BytesLike): Buffer | undefined;
  /**
   * Stores `value` under `key` as one commit; resolves with its LSN once it is applied (and, per
   * `syncMode`, durable). ValidationError for an empty key, or a key or value that is neither a
   * string nor bytes (an empty value is fine).
   */
  put(key: BytesLike, value: BytesLike): Promise<bigint>;
  /** Deletes `key` as one commit (a missing key is not an error); resolves with its LSN. */
  del(key: BytesLike): Promise<bigint>;
  /**
   * Applies `ops` atomically, in array order, as one commit; resolves with its LSN. Readers and
   * snapshots see all of it or none. An open transaction that writes one of its keys then fails
   * its commit with TransactionConflictError.
   */
  batch(ops: readonly WriteOp[]): Promise<bigint>;
  /**
   * Deletes every key in the range (all keys when no range is given) that exists when the call
   * begins, in constant memory; resolves with the LSN of its last commit. Up to 10,000 keys
   * (`CLEAR_CHUNK_KEYS`) that is one atomic commit; a larger range is deleted in commits of that
   * many keys, in key order, each atomic (like LevelDB's own `clear`): a reader may see part of it
   * done, and a crash part-way leaves the keys after the last commit. For an all-or-nothing delete
   * of a large range, delete it in a transaction (which holds every key in memory).
   */
  clear(range?: Omit<Range, 'reverse' | 'limit'>): Promise<bigint>;
  /**
   * A consistent read-only view as of now, cheap to take; close it when done (it holds old
   * versions). Throws DatabaseError when the storage is not open.
   */
  snapshot(): StorageSnapshot;

  /**
   * Begins a snapshot-isolated transaction; commit or abort it (or use `await using`). Prefer
   * `transaction(fn)`, which ends it for you and can retry on conflict.
   */
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
   * Calls `listener` after each commit applied from now on that wrote a key in `range`, whoever
   * made it (this process, another process of a concurrent-mode database). Calls may be
   * coalesced (several commits, one call) and come a round trip late on a storage reached
   * through another process, where "from now on" means from when the watch reaches that process
   * (before any later call on this storage does); none is missed. The listener gets no arguments: it re-reads what it
   * cares about. Returns a function that unsubscribes. Absent where no commit can be pushed (test
   * for it before use, and poll instead).
   *
   * @example
   * ```ts
   * const stop = storage.watch?.({ gte: 'jobs:', lt: 'jobs;' }, () => void checkForWork());
   * // ... later
   * stop?.();
   * ```
   */
  watch?(range: WatchRange, listener: () => void): () => void;

  /**
   * Runs `fn` under a rollback journal (SQLite's idea): every commit this storage applies until
   * `fn` settles first records durably what it overwrites. When `fn` resolves, its commits stay;
   * when it throws, they are all undone before this rejects; and if the process dies first, the
   * next open undoes them before anything is read. So work too large for one transaction (which
   * holds its writes in memory) can commit in pieces and still land whole or not at all.
   *
   * It is atomicity against failure, not isolation: readers see each piece as it lands, and a
   * commit anyone else makes meanwhile is journaled (and undone) with them. Use it while you hold
   * the database alone, as `sochdb import` does. One journal at a time (TransactionError), and
   * `backup` refuses while a journal is active (TransactionError). Absent on storages that keep
   * no journal (a concurrent-mode client, PostgreSQL): commit in one transaction there.
   *
   * @example
   * ```ts
   * await storage.withRollbackJournal?.(async () => {
   *   for (const piece of pieces) await storage.batch(piece); // each piece commits; all are undone if one fails
   * });
   * ```
   */
  withRollbackJournal?<T>(fn: () => Promise<T>): Promise<T>;

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
  /**
   * Finishes queued commits, aborts open transactions, and releases the backend (and its folder
   * lock); idempotent. Later calls throw DatabaseError.
   */
  close(): Promise<void>;
}

/** Options of `beginTransaction` and `transaction`. */
export interface TransactionOptions {
  /** Refuse writes; a read-only transaction never conflicts. */
  readonly readOnly?: boolean;
  /**
   * Which try this is of work retried after conflicts (1 = the first; `transaction(fn, { retries })`
   * sets it). A transaction retried more often commits first: see AbstractStorage's fairness.
   */
  readonly attempt?: number;
}

/**
 * A transaction's lifecycle: reads and writes only while `'active'`; `'committing'` while commit()
 * is in flight; `'committed'` and `'aborted'` are final (a failed commit ends `'aborted'`).
 */
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
  /** Identifies the transaction in errors and logs; unique among its storage's transactions since open, not persisted. */
  readonly id: number;
  /** Where the transaction is in its lifecycle; reads and writes throw TransactionError unless `'active'`. */
  readonly state: TransactionState;
  /** The LSN of the last commit this transaction's reads include. */
  readonly snapshotLsn: bigint;
  /**
   * A synchronous point read (own writes, then the snapshot): present only when the storage has
   * synchronous reads, so test for it: `txn.getSync ? txn.getSync(k) : await txn.get(k)`.
   */
  readonly getSync?: (key: BytesLike) => Buffer | undefined;
  /**
   * Buffers a put: later reads of this transaction see it, nobody else does until `commit()`.
   * Resolves with nothing; TransactionError when read-only or no longer active.
   */
  put(key: BytesLike, value: BytesLike): Promise<void>;
  /** Buffers a delete, seen by this transaction's reads at once and applied at `commit()`. */
  del(key: BytesLike): Promise<void>;
  /** Buffers every op of `ops`, in order; they apply with the rest of the transaction at `commit()`. */
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
  /** The `id` of the transaction that took it; `rollbackTo` on another transaction throws TransactionError. */
  readonly transactionId: number;
}
