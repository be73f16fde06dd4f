import type { BytesLike } from '../bytes.js';
import type { DatabaseConfig, SyncMode } from '../config.js';
import { DatabaseError, SochDBError, TransactionConflictError, TransactionError, ValidationError } from '../errors.js';
import { runTransaction, type TransactionRunOptions } from './run-transaction.js';
import { ChangeLog } from './change-log.js';
import { CommitPipeline, type AppliedGroup, type WriteShape } from './commit-pipeline.js';
import { ConflictTracker, keyConflictError } from './conflict-tracker.js';
import { AbstractEntryIterator } from './iterator.js';
import { OnDemandKeyCount, type CountedKeys } from './key-count.js';
import { decodeMeta, META_KEY } from './meta.js';
import { writeBackup, type BackupOptions, type BackupResult } from './backup.js';
import { normalizeKey, normalizeOps, normalizeValue, type NormalizedOp } from './ops.js';
import { isEmptyRange, normalizeRange, type NormalizedRange } from './range.js';
import { LocalTransaction, type TransactionHost } from './transaction.js';
import type {
  AppliedCommit,
  ChangeBatch,
  ChangeFeedOptions,
  Transaction,
  TransactionOptions,
  Entry,
  EntryIterator,
  Range,
  Storage,
  StorageSnapshot,
  StorageStats,
  StorageStatus,
  WatchRange,
  WriteOp,
} from './types.js';
import { clearInChunks } from './clear-chunks.js';
import { watchCommits } from './watch.js';
import { RollbackJournal, type JournalStore } from './rollback-journal.js';

/**
 * The public half of every Storage, in abstract-level's style: it validates and normalizes
 * arguments, checks the lifecycle, orders commits, tracks conflicts and counts stats, then calls
 * the `_private` hooks a backend implements. Backends deal only in Buffers and normalized ranges.
 *
 * `S` is the backend's snapshot handle.
 */
export abstract class AbstractStorage<
  S extends {
    /** Releases the backend snapshot; called once, when the snapshot or its transaction ends. */
    close(): Promise<void>;
  } = {
    /** Releases the backend snapshot; called once, when the snapshot or its transaction ends. */
    close(): Promise<void>;
  },
>
  implements Storage, TransactionHost
{
  #status: StorageStatus = 'opening';
  #pipeline: CommitPipeline | undefined;
  #changes: ChangeLog | undefined;
  readonly #tracker = new ConflictTracker();
  readonly #transactions = new Set<LocalTransaction>();
  // Entries, not bare functions, so one function subscribed twice is two subscriptions.
  readonly #commitListeners = new Set<{ readonly listener: (commit: AppliedCommit) => void }>();
  /** Storage.watch listeners, called once more at close. */
  readonly #closeListeners = new Set<{ readonly listener: () => void }>();
  /** The last commit whose keys the tracker skipped because its transaction was the only live one. */
  #untrackedLsn = -1n;
  #nextTransactionId = 1;
  /** Live transactions that are retries of work that lost conflicts, with their attempt (see #admit). */
  readonly #retried = new Map<LocalTransaction, number>();
  /** Keys recent conflicts were on (latin1 → when that stops counting), see #admit. */
  readonly #contested = new Map<string, number>();
  /** Resolved (and replaced) whenever a retried transaction ends. */
  #retriedEnded: { readonly promise: Promise<void>; readonly resolve: () => void } | undefined;
  /** `keysCount` counted on demand, for when the pipeline does not count (see key-count.ts). */
  #keyCount: OnDemandKeyCount | undefined;
  /** The rollback journal while `withRollbackJournal` runs (see rollback-journal.ts). */
  #journal: RollbackJournal | undefined;
  readonly #counters = { bytesWritten: 0, bytesRead: 0, committed: 0, aborted: 0, conflicts: 0, writeBatches: 0, syncs: 0 };

  protected constructor(
    readonly location: string,
    /** The parsed config (defaults applied) the backend was opened with; read `syncMode` etc. from it. */
    protected readonly config: DatabaseConfig,
  ) {}

  /** What the backend can do (see `Storage.supports`); a backend declares it as a constant. */
  abstract readonly supports: {
    /** The backend overrides `_getSync`. */
    readonly getSync: boolean;
    /** `_snapshot()` returns a true point-in-time view. */
    readonly snapshots: boolean;
  };

  /** Opens the backend (creating or locking files); throwing closes it and fails the open. Called once. */
  protected abstract _open(): Promise<void>;
  /**
   * Releases the backend: called by `close()` once queued commits are written and transactions
   * aborted, and also when opening failed (so it must cope with a half-opened backend).
   */
  protected abstract _close(): Promise<void>;
  /** The value of an already validated key, at `snapshot` when given (else the latest state); `undefined` when missing. */
  protected abstract _get(key: Buffer, snapshot?: S): Promise<Buffer | undefined>;
  /** The values of `keys` in the same order, `undefined` where missing, all at `snapshot` when given. */
  protected abstract _getMany(keys: readonly Buffer[], snapshot?: S): Promise<(Buffer | undefined)[]>;
  /** Writes `ops` then `last` in one atomic batch; nothing at all if `last` rejects (see CommitBackend). */
  protected abstract _write(ops: readonly NormalizedOp[], last: Promise<NormalizedOp>, sync: boolean): Promise<void>;
  /**
   * A cursor over a validated, non-empty `range` (honouring `reverse` and `limit`), at `snapshot`
   * when given, else at the state when it is created. The base class counts bytes and wraps errors.
   */
  protected abstract _iterator(range: NormalizedRange, snapshot?: S): AbstractEntryIterator;
  /** A handle on the current state that later writes do not change; closed through its `close()`. */
  protected abstract _snapshot(): S;
  /** Whether each key exists right now, in order (to maintain the key count; no values are needed). */
  protected abstract _exists(keys: readonly Buffer[]): Promise<boolean[]> | boolean[];
  /** Whether any key in [gte, lte] exists right now (used to count a run of new keys with one seek). */
  protected abstract _anyInRange(gte: Buffer, lte: Buffer): Promise<boolean> | boolean;
  /**
   * How many keys the backend holds besides the metadata key, at `snapshot` (or now). The default
   * walks an iterator; a backend with a cheaper count (a keys-only scan, a map's size) overrides it.
   */
  protected async _countKeys(snapshot?: S): Promise<number> {
    let count = 0;
    const it = this._iterator(normalizeRange({}), snapshot);
    try {
      for (let batch = await it.nextv(1_000); batch.length > 0; batch = await it.nextv(1_000)) count += batch.length;
    } finally {
      await it.close();
    }
    return count;
  }
  /**
   * A new, empty rollback journal store; a backend that keeps none leaves this undefined, and
   * `withRollbackJournal` then throws DatabaseError.
   */
  protected _createJournal?(): Promise<JournalStore>;
  /** The journal a process left behind when it died before the journal ended (undone at open). */
  protected _findJournal?(): Promise<JournalStore | undefined>;
  /** A synchronous `_get`; override it and set `supports.getSync` when the backend has one. The default throws DatabaseError. */
  protected _getSync(_key: Buffer, _snapshot?: S): Buffer | undefined {
    throw new DatabaseError(`${this.constructor.name} has no synchronous reads`, { remediation: 'Use await get(key); check storage.supports.getSync first.' });
  }

  /** Where the storage is in its lifecycle (see `Storage.status`). */
  get status(): StorageStatus {
    return this.#status;
  }

  /** How commits reach the disk, from the config given at open (see `SyncMode`). */
  get syncMode(): SyncMode {
    return this.config.syncMode;
  }

  get lsn(): bigint {
    return this.#pipeline?.appliedLsn ?? 0n;
  }

  /** Opens the backend and reads the metadata. Called once by the backend's static `open`. */
  protected async openStorage(): Promise<this> {
    try {
      await this._open();
      const stored = decodeMeta(await this._get(META_KEY));
      // A counted open of a folder last written uncounted counts it once, here.
      const meta = this.config.trackKeyCount && stored.keysCount === undefined ? { ...stored, keysCount: await this._countKeys() } : stored;
      this.#keyCount = new OnDemandKeyCount(meta.keysCount === undefined ? undefined : { lsn: meta.lsn, count: meta.keysCount });
      this.#changes = new ChangeLog(meta.lsn, this.config.changeLogBytes);
      this.#pipeline = new CommitPipeline(
        {
          write: (ops, last, sync) => this.#write(ops, last, sync),
          exists: (keys) => this._exists(keys),
          anyInRange: (gte, lte) => this._anyInRange(gte, lte),
        },
        this.config.syncMode,
        this.config.trackKeyCount,
        meta,
        (group) => this.#onApplied(group),
      );
      this.#status = 'open';
      // Work a process left half-done under a journal is undone before anyone reads.
      const left = await this._findJournal?.();
      if (left !== undefined) await this.#journalOn(left).rollback((ops) => this.#commit(ops));
      return this;
    } catch (error) {
      this.#status = 'closed';
      await this._close().catch(() => undefined);
      throw wrap(error, `cannot open database at ${this.location}`);
    }
  }

  async get(key: BytesLike): Promise<Buffer | undefined> {
    this.#assertOpen();
    return this.#countRead(await this.#guard(this._get(normalizeKey(key))));
  }

  getSync(key: BytesLike): Buffer | undefined {
    this.#assertOpen();
    try {
      return this.#countRead(this._getSync(normalizeKey(key)));
    } catch (error) {
      throw wrap(error, 'read failed');
    }
  }

  async getMany(keys: readonly BytesLike[]): Promise<(Buffer | undefined)[]> {
    this.#assertOpen();
    // Checked through an `unknown` copy: JavaScript callers may pass anything, and narrowing `keys` itself would type it `any[]`.
    const keysInput: unknown = keys;
    if (!Array.isArray(keysInput)) throw new ValidationError('getMany takes an array of keys', { field: 'keys' });
    const values = await this.#guard(this._getMany(keys.map((k, i) => normalizeKey(k, `keys[${i}]`))));
    for (const v of values) this.#countRead(v);
    return values;
  }

  iterator(range?: Range): EntryIterator {
    this.#assertOpen();
    return this.#iteratorAt(normalizeRange(range));
  }

  async put(key: BytesLike, value: BytesLike): Promise<bigint> {
    return this.#commit([{ key: normalizeKey(key), value: normalizeValue(value) }]);
  }

  async del(key: BytesLike): Promise<bigint> {
    return this.#commit([{ key: normalizeKey(key), value: undefined }]);
  }

  async batch(ops: readonly WriteOp[]): Promise<bigint> {
    return this.#commit(normalizeOps(ops));
  }

  async clear(range: Omit<Range, 'reverse' | 'limit'> = {}): Promise<bigint> {
    this.#assertOpen();
    await using it = this.#iteratorAt(normalizeRange(range));
    return await clearInChunks(it, (keys) => this.#commit(keys.map((key) => ({ key, value: undefined }))));
  }

  snapshot(): StorageSnapshot {
    this.#assertOpen();
    const handle = this._snapshot();
    // The handle may include commits still being written; `lsn` is what it is guaranteed to see.
    const lsn = this.lsn;
    const exact = !this.#pipeline!.writeInFlight;
    let open = true;
    const check = (): void => {
      this.#assertOpen();
      if (!open) throw new DatabaseError('snapshot is closed', { remediation: 'Take a new snapshot.' });
    };
    return {
      lsn,
      exact,
      get: async (key) => {
        check();
        return this.#countRead(await this.#guard(this._get(normalizeKey(key), handle)));
      },
      getSync: this.supports.getSync
        ? (key: BytesLike) => {
            check();
            try {
              return this.#countRead(this._getSync(normalizeKey(key), handle));
            } catch (error) {
              throw wrap(error, 'read failed');
            }
          }
        : undefined,
      getMany: async (keys) => {
        check();
        const values = await this.#guard(
          this._getMany(
            keys.map((k, i) => normalizeKey(k, `keys[${i}]`)),
            handle,
          ),
        );
        for (const v of values) this.#countRead(v);
        return values;
      },
      iterator: (range) => {
        check();
        return this.#iteratorAt(normalizeRange(range), handle);
      },
      close: async () => {
        if (!open) return;
        open = false;
        await handle.close();
      },
      [Symbol.asyncDispose]() {
        return this.close();
      },
    };
  }

  beginTransaction(options: TransactionOptions = {}): Transaction {
    this.#assertOpen();
    const attempt = options?.attempt ?? 1;
    if (!Number.isSafeInteger(attempt) || attempt < 1) {
      throw new ValidationError(`attempt must be a positive integer, got ${String(attempt)}`, { field: 'attempt' });
    }
    const snapshot = this.snapshot();
    const txn = new LocalTransaction(this.#nextTransactionId++, snapshot, this, options);
    if (!this.#tracker.active || this.#untrackedLsn > snapshot.lsn) {
      // Commits already queued were not tracked (no transaction was live, or only the one
      // committing); record them now so this transaction still conflicts with any whose write its
      // snapshot may miss.
      for (const pending of this.#pipeline!.pending()) this.#tracker.record(keysOf(pending.ops), pending.lsn);
    }
    this.#tracker.begin(snapshot.lsn);
    this.#transactions.add(txn);
    if (attempt > 1 && !options.readOnly) this.#retried.set(txn, attempt);
    return txn;
  }

  transaction<T>(fn: (txn: Transaction) => Promise<T>, options: TransactionRunOptions = {}): Promise<T> {
    return runTransaction((o) => this.beginTransaction(o), fn, options);
  }

  /** TransactionHost: conflict check, LSN assignment and queueing happen in one synchronous step. */
  async commitTransaction(
    ops: readonly NormalizedOp[],
    snapshotLsn: bigint,
    ascending: number,
    dependencies: readonly Buffer[] | undefined,
    txn: LocalTransaction,
  ): Promise<bigint> {
    if (this.#retried.size > 0 && this.#touchesContested(ops)) await this.#admit(txn);
    return this.#commit(ops, snapshotLsn, { distinct: true, ascending }, dependencies);
  }

  /**
   * Fairness under first-committer-wins. A writer that is always slower — a concurrent-mode client
   * whose every read is a round trip, against the owner's local loop on the same keys — would lose
   * every conflict, forever. So while a transaction that has been retried more often than this
   * one is live, this one's commit waits for it to end (ADMISSION_WAIT_MS per attempt it has lost,
   * at most MAX_ADMISSION_WAIT_MS): the starved
   * one commits, and the one that waited may then conflict and become the retried one.
   *
   * Only commits that write a key some transaction recently lost a conflict on wait: a commit
   * elsewhere cannot starve the retried one, and making every commit wait for the slowest
   * retried transaction in the process (a remote one takes milliseconds) would stall writers
   * that contend for nothing — a queue's workers each claiming different tasks.
   */
  async #admit(txn: LocalTransaction): Promise<void> {
    const start = performance.now();
    for (;;) {
      // The wait grows with the attempt of the transaction waited for: a remote client on a busy
      // machine can take longer than one ADMISSION_WAIT_MS per attempt, and would then lose every
      // time; a transaction that has lost many times gets up to MAX_ADMISSION_WAIT_MS.
      // Never for a transaction of its own session: the session answers its requests in order, so
      // while this commit waits, the other one's next request waits behind it and it cannot end
      // (the wait would always run to its timeout, and 20 contending transactions of one client
      // took seconds instead of milliseconds).
      let ahead = 0;
      const session = txn.session;
      for (const [other, attempt] of this.#retried) {
        if (other !== txn && attempt > txn.attempt && attempt > ahead && (session === undefined || other.session !== session)) ahead = attempt;
      }
      const behind = ahead > 0;
      const left = start + Math.min(ADMISSION_WAIT_MS * (ahead - 1), MAX_ADMISSION_WAIT_MS) - performance.now();
      if (!behind || left <= 0) return;
      this.#retriedEnded ??= withResolvers();
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([this.#retriedEnded.promise, new Promise<void>((resolve) => (timer = setTimeout(resolve, left)))]);
      clearTimeout(timer);
    }
  }

  #touchesContested(ops: readonly NormalizedOp[]): boolean {
    if (this.#contested.size === 0) return false;
    const now = performance.now();
    for (const op of ops) {
      const until = this.#contested.get(op.key.toString('latin1'));
      if (until !== undefined && until > now) return true;
    }
    return false;
  }

  #recordContested(key: Buffer): void {
    const id = key.toString('latin1');
    this.#contested.delete(id); // re-inserted last: the map stays in expiry order
    this.#contested.set(id, performance.now() + CONTESTED_MS);
    for (const [oldest, until] of this.#contested) {
      if (this.#contested.size <= MAX_CONTESTED && until > performance.now()) break;
      this.#contested.delete(oldest);
    }
  }

  /** TransactionHost. */
  transactionEnded(txn: LocalTransaction, outcome: 'committed' | 'aborted'): void {
    if (!this.#transactions.delete(txn)) return;
    if (this.#retried.delete(txn) && this.#retriedEnded) {
      this.#retriedEnded.resolve();
      this.#retriedEnded = undefined;
    }
    this.#tracker.end(txn.snapshotLsn);
    if (outcome === 'committed') this.#counters.committed++;
    else this.#counters.aborted++;
  }

  /** Storage.changesAfter: served from the recent commits kept in memory (see ChangeLog). */
  async changesAfter(afterLsn: bigint, options?: ChangeFeedOptions): Promise<ChangeBatch> {
    this.#assertOpen();
    return this.#changes!.read(afterLsn, options);
  }

  async latestLsn(): Promise<bigint> {
    this.#assertOpen();
    return this.lsn;
  }

  async checkpoint(): Promise<bigint> {
    this.#assertOpen();
    return this.#pipeline!.checkpoint();
  }

  stats(): StorageStats {
    const c = this.#counters;
    const exact = this.#pipeline?.keysCount;
    const known = this.#keyCount?.known;
    return {
      keysCount: exact ?? known?.count ?? 0,
      keysCountLsn: exact !== undefined ? this.lsn : (known?.lsn ?? 0n),
      bytesWritten: c.bytesWritten,
      bytesRead: c.bytesRead,
      transactionsCommitted: c.committed,
      transactionsAborted: c.aborted,
      conflicts: c.conflicts,
      activeTransactions: this.#transactions.size,
      writeBatches: c.writeBatches,
      syncs: c.syncs,
      lsn: this.lsn,
    };
  }

  /** `stats()` with `keysCount` exact at the latest LSN: counted by a scan when commits are not counted. */
  async currentStats(): Promise<StorageStats> {
    this.#assertOpen();
    if (this.#pipeline!.keysCount !== undefined) return this.stats();
    const counted = await this.#keyCount!.at(this.lsn, () => this.#scanKeyCount());
    return { ...this.stats(), keysCount: counted.count, keysCountLsn: counted.lsn };
  }

  /** Counts the keys of a snapshot; the metadata read through the same snapshot says which LSN it shows. */
  async #scanKeyCount(): Promise<CountedKeys> {
    const handle = this._snapshot();
    try {
      const { lsn } = decodeMeta(await this._get(META_KEY, handle));
      return { lsn, count: await this.#guard(this._countKeys(handle)) };
    } finally {
      await handle.close();
    }
  }

  /**
   * Copies the whole database, as of one commit, into a new LevelDB folder while reads and writes
   * go on, and resolves with the LSN it holds: `LevelStorage.open(destination)` then opens it as a
   * normal database that answers exactly as this one did at that LSN (every package's keys:
   * KV, SQL, collections, queues, graphs). Never overwrites: `destination` must not exist. A
   * process killed mid-way leaves nothing at `destination` (see writeBackup in backup.ts).
   *
   * @example
   * ```ts
   * const { lsn, keys } = await storage.backup('./backups/app-2026-12-06', { onProgress: ({ keys }) => console.log(keys) });
   * const copy = await LevelStorage.open('./backups/app-2026-12-06'); // copy.lsn === lsn
   * ```
   * @throws ValidationError for a bad path; DatabaseError when `destination` exists or the copy fails (nothing is left there).
   */
  async backup(destination: string, options?: BackupOptions): Promise<BackupResult> {
    this.#assertOpen();
    if (this.#journal !== undefined) {
      // The copy would hold half the journaled work, with no journal to undo it.
      throw new TransactionError('cannot back up while a rollback journal is active (an import is running)', {
        remediation: 'Back up once the journaled work (e.g. sochdb import) has finished.',
      });
    }
    const handle = this._snapshot();
    try {
      // The metadata read through the same snapshot says which commit the copy holds.
      const meta = await this.#guard(this._get(META_KEY, handle));
      const entries = this._iterator({ gt: META_KEY, reverse: false, limit: -1 }, handle);
      try {
        return await writeBackup(destination, { meta, entries }, options);
      } finally {
        await entries.close();
      }
    } finally {
      await handle.close();
    }
  }

  /** Finishes queued commits, aborts open transactions, and closes the backend. Idempotent. */
  async close(): Promise<void> {
    if (this.#status === 'closed' || this.#status === 'closing') return;
    this.#status = 'closing';
    try {
      await this.#pipeline?.drain();
      for (const txn of [...this.#transactions]) await txn.abort().catch(() => undefined);
      // Closing before the journaled work ended: the next open undoes it.
      await this.#journal?.release();
      this.#journal = undefined;
      await this._close();
    } catch (error) {
      throw wrap(error, 'close failed');
    } finally {
      this.#status = 'closed';
      for (const { listener } of [...this.#closeListeners]) {
        try {
          listener();
        } catch {
          // As with onCommit: a listener's failure is its own.
        }
      }
      this.#closeListeners.clear();
    }
  }

  /** `await using storage = await LevelStorage.open(path)` closes it on the way out (see `close`). */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /**
   * Storage.withRollbackJournal: `fn`'s commits (and any other this storage applies meanwhile)
   * each record what they overwrite before they are written; they stay when `fn` resolves and
   * are undone when it throws, or at the next open if the process dies first.
   */
  async withRollbackJournal<T>(fn: () => Promise<T>): Promise<T> {
    this.#assertOpen();
    if (typeof fn !== 'function') throw new ValidationError('withRollbackJournal takes a function', { field: 'fn' });
    if (this._createJournal === undefined) {
      throw new DatabaseError(`${this.constructor.name} keeps no rollback journal`, { remediation: 'Commit in one transaction instead.' });
    }
    if (this.#journal !== undefined) {
      throw new TransactionError('a rollback journal is already active on this storage', { remediation: 'Wait for the other journaled work to end.' });
    }
    // Commits made before this call land first, outside the journal: a failure never undoes them.
    await this.#pipeline!.drain();
    const journal = this.#journalOn(await this._createJournal());
    this.#journal = journal;
    let result: T;
    try {
      result = await fn();
      // Commits made meanwhile by others are written before the journal ends (still covered).
      await this.#pipeline!.drain();
    } catch (error) {
      this.#journal = undefined;
      if (this.#status !== 'open') throw error; // closed meanwhile: the next open undoes the work
      try {
        await journal.rollback((ops) => this.#commit(ops));
      } catch (undoError) {
        throw new DatabaseError('the journaled work failed and undoing it failed too', {
          cause: undoError,
          remediation: `Close and reopen the database: the open finishes undoing it. The first failure: ${error instanceof Error ? error.message : String(error)}`,
        });
      }
      throw error;
    }
    this.#journal = undefined;
    await journal.commit();
    return result;
  }

  #journalOn(store: JournalStore): RollbackJournal {
    return new RollbackJournal(store, (keys) => this._getMany(keys));
  }

  /** The pipeline's backend write: under a journal, what the ops overwrite is recorded first. */
  #write(ops: readonly NormalizedOp[], last: Promise<NormalizedOp>, sync: boolean): Promise<void> {
    const journal = this.#journal;
    if (journal === undefined) return this._write(ops, last, sync);
    return journal.beforeWrite(ops).then(
      () => this._write(ops, last, sync),
      (error: unknown) => {
        last.catch(() => undefined); // not written: its failure (if any) is not news
        throw error;
      },
    );
  }

  /** `shape`: what is known of the ops (a transaction's write set has each key once), to count keys with fewer reads. */
  #commit(ops: readonly NormalizedOp[], snapshotLsn?: bigint, shape?: WriteShape, dependencies?: readonly Buffer[]): Promise<bigint> {
    const closed = this.#closedError();
    if (closed !== undefined) return Promise.reject(closed);
    let lost: { lsn: bigint; error: TransactionConflictError } | undefined;
    try {
      return this.#pipeline!.submit(
        ops,
        (lsn) => {
          if (snapshotLsn !== undefined) {
            const conflict = this.#tracker.findConflict(keysOf(ops), snapshotLsn) ?? (dependencies && this.#tracker.findConflict(dependencies, snapshotLsn));
            if (conflict !== undefined) {
              this.#counters.conflicts++;
              this.#recordContested(conflict.key);
              lost = { lsn: conflict.lsn, error: keyConflictError(conflict.key) };
              throw lost.error;
            }
          }
          if (!this.#tracker.active) return;
          // A committing transaction stays live until its commit settles. When it is the only live
          // one, nobody can conflict with these keys yet; a transaction that begins before the write
          // lands records them then (see beginTransaction), so bulk commits skip the bookkeeping.
          if (snapshotLsn !== undefined && this.#tracker.liveCount === 1) this.#untrackedLsn = lsn;
          else this.#tracker.record(keysOf(ops), lsn);
        },
        shape,
      ).catch((error: unknown) => {
        throw wrap(error, 'commit failed');
      });
    } catch (error) {
      if (lost === undefined) throw error;
      // The loser hears of the conflict only once the winning commit has landed: a retry begun
      // sooner would take a snapshot without it and lose again on the same key, and under load
      // (a slow disk write) could lose several times in a row to one winner.
      const { lsn, error: conflict } = lost;
      return this.#pipeline!.settled(lsn).then(() => Promise.reject(conflict));
    }
  }

  #iteratorAt(range: NormalizedRange, snapshot?: S): EntryIterator {
    if (isEmptyRange(range)) return new EmptyIterator();
    const inner = this._iterator(range, snapshot);
    return new GuardedIterator(
      inner,
      (bytes) => (this.#counters.bytesRead += bytes),
      () => this.#assertOpen(),
    );
  }

  /** Storage.onCommit. */
  onCommit(listener: (commit: AppliedCommit) => void): () => void {
    if (typeof listener !== 'function') throw new ValidationError('onCommit takes a function', { field: 'listener' });
    const entry = { listener };
    this.#commitListeners.add(entry);
    return () => void this.#commitListeners.delete(entry);
  }

  /**
   * Storage.watch: every commit is applied here, so the listener runs in the commit's own step.
   * Closing the storage calls each listener once more, so a waiter looks again and finds it closed.
   */
  watch(range: WatchRange, listener: () => void): () => void {
    const off = watchCommits((l) => this.onCommit(l), range, listener);
    // An entry of its own: the same function may watch two ranges.
    const entry = { listener };
    this.#closeListeners.add(entry);
    return () => {
      off();
      this.#closeListeners.delete(entry);
    };
  }

  #onApplied(group: AppliedGroup): void {
    // Called in the step that sets the applied LSN (see CommitPipeline), before any reader can
    // observe it.
    for (const commit of group.group) {
      if (commit.forceSync && commit.ops.length === 0) continue;
      this.#changes!.append(
        commit.lsn,
        commit.ops.map((op) => op.key),
      );
    }
    if (this.#commitListeners.size > 0) {
      for (const commit of group.group) {
        if (commit.forceSync && commit.ops.length === 0) continue;
        for (const { listener } of this.#commitListeners) {
          try {
            listener({ lsn: commit.lsn, ops: commit.ops });
          } catch {
            // A listener's failure is its own; the commit has happened.
          }
        }
      }
    }
    const c = this.#counters;
    c.bytesWritten += group.bytes;
    c.writeBatches++;
    if (group.synced) c.syncs++;
  }

  #countRead(value: Buffer | undefined): Buffer | undefined {
    if (value !== undefined) this.#counters.bytesRead += value.byteLength;
    return value;
  }

  async #guard<T>(promise: Promise<T>): Promise<T> {
    try {
      return await promise;
    } catch (error) {
      throw wrap(error, 'storage operation failed');
    }
  }

  #assertOpen(): void {
    const closed = this.#closedError();
    if (closed !== undefined) throw closed;
  }

  /** The error an operation fails with when the database is not open; undefined when it is. */
  #closedError(): DatabaseError | undefined {
    if (this.#status === 'open') return undefined;
    return new DatabaseError(`database is ${this.#status === 'opening' ? 'not open yet' : 'closed'}`, {
      remediation: 'Open the database again before using it.',
    });
  }
}

/** The longest a commit waits for transactions retried more often than it (see #admit). */
const ADMISSION_WAIT_MS = 50;
const MAX_ADMISSION_WAIT_MS = 1_000;
/** How long a key stays contested after a conflict on it, and how many are remembered. */
const CONTESTED_MS = 1_000;
const MAX_CONTESTED = 4_096;

function withResolvers(): { readonly promise: Promise<void>; readonly resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

function* keysOf(ops: readonly NormalizedOp[]): Iterable<Buffer> {
  for (const op of ops) yield op.key;
}

/** No raw backend error reaches a user: anything that is not a SochDBError is wrapped. */
function wrap(error: unknown, message: string): SochDBError {
  if (error instanceof SochDBError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'LEVEL_DATABASE_NOT_OPEN' || code === 'LEVEL_ITERATOR_NOT_OPEN') {
    return new DatabaseError('database is closed', { cause: error, remediation: 'Open the database again before using it.' });
  }
  if (code === 'LEVEL_SNAPSHOT_NOT_OPEN') return new TransactionError('snapshot is closed', { cause: error });
  const detail = error instanceof Error ? error.message : String(error);
  return new DatabaseError(`${message}: ${detail}`, { cause: error });
}

class EmptyIterator extends AbstractEntryIterator {
  protected async _nextv(): Promise<Entry[]> {
    return [];
  }
  protected async _close(): Promise<void> {}
}

/** Counts bytes read, checks the database is still open, and wraps backend errors. */
class GuardedIterator extends AbstractEntryIterator {
  constructor(
    private readonly inner: AbstractEntryIterator,
    private readonly onRead: (bytes: number) => void,
    private readonly assertOpen: () => void,
  ) {
    super();
  }
  protected async _nextv(size: number): Promise<Entry[]> {
    this.assertOpen();
    try {
      const entries = await this.inner.nextv(size);
      let bytes = 0;
      for (const e of entries) bytes += e[1].byteLength;
      this.onRead(bytes);
      return entries;
    } catch (error) {
      throw wrap(error, 'iteration failed');
    }
  }
  protected async _close(): Promise<void> {
    try {
      await this.inner.close();
    } catch (error) {
      throw wrap(error, 'closing the iterator failed');
    }
  }
}
