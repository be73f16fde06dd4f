import pg from 'pg';
import {
  ArrayEntryIterator,
  DatabaseError,
  TransactionConflictError,
  normalizeRange,
  runTransaction,
  ValidationError,
  type BytesLike,
  type ChangeBatch,
  type ChangeFeedOptions,
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
  type WriteOp,
} from '@sochdb/core';
import { LocalTransaction, normalizeKey, normalizeOps, normalizeValue, isEmptyRange, type NormalizedOp } from '@sochdb/core/internal';
import { keyBounds, literalKeyBounds } from './bounds.js';
import { Committer } from './committer.js';
import { errorCode, toSochDBError } from './errors.js';
import { readChanges } from './feed.js';
import { parseOptions, splitUrl, type PostgresStorageOptions, type ResolvedPostgresOptions } from './options.js';
import { PageIterator, type PageSource, type Row } from './page-iterator.js';
import { prepared } from './prepared.js';
import { Session } from './session.js';
import { PgSnapshot } from './snapshot.js';
import { statementsFor, type Statements } from './statements.js';

/** At most this many commits between two prunes of the feed (see `changeLogCommits`). */
const MAX_PRUNE_INTERVAL = 1_000;

/**
 * SochDB's Storage on a PostgreSQL-wire server. Every process (on any machine) that opens the
 * same URL and schema shares one SochDB database: LSNs, conflicts and the commit feed are the
 * server's, so every cache follows every commit. See the README for the data model and for how
 * commit order is kept.
 *
 * @example
 * ```ts
 * import '@sochdb/postgres'; // registers postgres:// with openStorage
 * import { openStorage } from '@sochdb/core';
 *
 * const storage = await openStorage('postgres://app:secret@db.internal/app', { schema: 'orders', changeLogCommits: 1_000_000 });
 * ```
 */
export class PostgresStorage implements Storage {
  /** What this backend offers beyond the Storage contract: no synchronous reads (every read is a round trip), real snapshots. */
  readonly supports = {
    /** Always false: `getSync` throws DatabaseError; use `await get(key)`. */
    getSync: false,
    /** Always true: `snapshot()` is a PostgreSQL REPEATABLE READ transaction, holding a pool connection until closed. */
    snapshots: true,
  } as const;
  /** Durability is the server's (its `synchronous_commit` and replication settings). */
  readonly syncMode: SyncMode = 'normal';
  readonly location: string;
  #status: StorageStatus = 'open';
  #lsn = 0n;
  #nextTransactionId = 1;
  readonly #open = new Set<LocalTransaction>();
  readonly #snapshots = new Set<PgSnapshot>();
  readonly #counters = { committed: 0, aborted: 0, conflicts: 0, bytesWritten: 0, bytesRead: 0, writeBatches: 0 };
  readonly #host = {
    commitTransaction: (
      ops: readonly NormalizedOp[],
      _snapshotLsn: bigint,
      _ascending: number,
      dependencies: readonly Buffer[] | undefined,
      txn: LocalTransaction,
    ) => this.#commitTransaction(ops, dependencies, txn),
    transactionEnded: (txn: LocalTransaction, outcome: 'committed' | 'aborted') => {
      if (!this.#open.delete(txn)) return;
      if (outcome === 'aborted') this.#counters.aborted++;
      else this.#counters.committed++;
    },
  };
  readonly #snapshotOf = new WeakMap<LocalTransaction, PgSnapshot>();
  /** Connections asked of the pool and not yet given back. */
  #lent = 0;
  /** Snapshots whose BEGIN has not been answered yet. */
  readonly #beginning = new Set<Promise<void>>();
  readonly #committer: Committer;

  private constructor(
    private readonly pool: pg.Pool,
    private readonly sql: Statements,
    private readonly options: ResolvedPostgresOptions,
    display: string,
  ) {
    this.location = display;
    this.#committer = new Committer(
      sql,
      () => this.#connect(),
      () => (this.#beginning.size === 0 ? Promise.resolve() : Promise.all(this.#beginning).then(() => undefined)),
      (bytes) => {
        this.#counters.bytesWritten += bytes;
        this.#counters.writeBatches++;
      },
    );
  }

  /**
   * Connects to `url` (`postgres://user:password@host:port/database`, optionally `?schema=name`
   * and `sslmode=`), creating the schema's tables when missing.
   *
   * @example
   * ```ts
   * const storage = await PostgresStorage.open('postgres://app:secret@db.internal:5432/app?schema=tenant_a', {
   *   poolSize: 20, // each open transaction, snapshot or iterator holds a connection
   *   ssl: { ca: readFileSync('/etc/ssl/db-ca.pem', 'utf8'), servername: 'db.internal' },
   * });
   * await storage.put('greeting', 'hello'); // seen by every process that opens the same URL and schema
   * await storage.close();
   * ```
   */
  static async open(url: string, options?: PostgresStorageOptions): Promise<PostgresStorage> {
    if (typeof url !== 'string') throw new ValidationError('PostgresStorage.open takes a postgres:// URL', { field: 'url' });
    const { connectionString, schema, display } = splitUrl(url);
    const resolved = parseOptions({ ...options, ...(schema === undefined ? {} : { schema }) });
    const pool = new pg.Pool({
      connectionString,
      max: resolved.poolSize,
      connectionTimeoutMillis: resolved.connectTimeoutMs,
      idleTimeoutMillis: resolved.idleTimeoutMs,
      ...(resolved.ssl === undefined ? {} : { ssl: resolved.ssl }),
    });
    // An idle connection the server drops (a restart) is an 'error' event on the pool: without a
    // listener it would crash the process. The pool discards it; the next request reconnects.
    pool.on('error', () => undefined);
    const storage = new PostgresStorage(pool, statementsFor(resolved.schema), resolved, display);
    try {
      await storage.#setup();
      storage.#lsn = await storage.latestLsn();
    } catch (error) {
      await pool.end().catch(() => undefined);
      throw error;
    }
    return storage;
  }

  /** `'open'` until `close()` starts; `'closing'` while it ends the pool, then `'closed'` for good. */
  get status(): StorageStatus {
    return this.#status;
  }
  /** The newest LSN this process has seen (its own commits and every feed or snapshot read). */
  get lsn(): bigint {
    return this.#lsn;
  }

  async get(key: BytesLike): Promise<Buffer | undefined> {
    const k = normalizeKey(key);
    const rows = await this.#query<{ value: Buffer }>('get', this.sql.get, [k]);
    return this.#read(rows[0]?.value);
  }

  getSync(): Buffer | undefined {
    throw new DatabaseError('synchronous reads are not available on PostgreSQL storage', { remediation: 'Use await get(key).' });
  }

  /**
   * Reads all keys in one query (so they are read at one point in time), answering in the order
   * of `keys` with `undefined` for a missing key. Throws ValidationError when `keys` is not an array.
   */
  async getMany(keys: readonly BytesLike[]): Promise<(Buffer | undefined)[]> {
    // Checked through an `unknown` copy: JavaScript callers may pass anything, and narrowing `keys` itself would type it `any[]`.
    const keysInput: unknown = keys;
    if (!Array.isArray(keysInput)) throw new ValidationError('getMany takes an array of keys', { field: 'keys' });
    const ks = keys.map((k, i) => normalizeKey(k, `keys[${i}]`));
    if (ks.length === 0) return [];
    const rows = await this.#query<{ key: Buffer; value: Buffer }>('getMany', this.sql.getMany, [ks]);
    const found = new Map(rows.map((r) => [r.key.toString('latin1'), r.value]));
    return ks.map((k) => this.#read(found.get(k.toString('latin1'))));
  }

  /**
   * A scan sees the state at the moment it was made: it reads its pages in a snapshot of its
   * own, begun at once together with reading the first page (one round trip for a range that
   * fits a page), and gives the connection back as soon as the last page is in.
   */
  iterator(range: Range = {}): EntryIterator {
    this.#assertOpen();
    const normalized = normalizeRange(range);
    if (isEmptyRange(normalized)) return new ArrayEntryIterator([]);
    const limit = PageIterator.firstPageLimit(normalized, this.options.pageSize);
    const snapshot = this.#snapshot(this.sql.page(literalKeyBounds(normalized), normalized.reverse, String(limit)));
    const source: PageSource = {
      read: async (text, values) => this.#readRows(await (await snapshot.ready).query<Row>('scan', text, values)),
      // Not waited for: the rows are in, the ROLLBACK that frees the connection can follow.
      finish: async () => void snapshot.close().catch(() => undefined),
    };
    const first = snapshot.firstRows.then((rows) => this.#readRows(rows));
    first.catch(() => undefined); // an iterator never read: its failure is nobody's crash
    return new PageIterator(normalized, source, this.sql, this.options.pageSize, { limit, rows: first });
  }

  /**
   * One commit of its own; resolves with its LSN once the server has committed it. Writes made
   * while another commit holds the turn share one PostgreSQL transaction (group commit) but keep
   * their call order and an LSN each.
   */
  async put(key: BytesLike, value: BytesLike): Promise<bigint> {
    return this.#write([{ key: normalizeKey(key), value: normalizeValue(value) }]);
  }
  /** As `put`: one commit, resolving with its LSN; deleting a missing key still commits. */
  async del(key: BytesLike): Promise<bigint> {
    return this.#write([{ key: normalizeKey(key), value: undefined }]);
  }
  /** All `ops` in one commit with one LSN, applied together or not at all; for a key written twice the last op wins. */
  async batch(ops: readonly WriteOp[]): Promise<bigint> {
    return this.#write(normalizeOps(ops));
  }

  /** Deletes a range in one commit; the feed reports every key it deleted. */
  async clear(range: Omit<Range, 'reverse' | 'limit'> = {}): Promise<bigint> {
    this.#assertOpen();
    const lsn = await this.#committer.clear(keyBounds(normalizeRange(range), 2));
    this.#counters.committed++;
    return this.#committed(lsn);
  }

  /**
   * A consistent read view as of now, held open on a pool connection (a PostgreSQL transaction)
   * until it is closed: close it promptly, or it ties up one of `poolSize` connections.
   * Throws DatabaseError once the storage is closed.
   */
  snapshot(): StorageSnapshot {
    this.#assertOpen();
    return this.#snapshot();
  }

  /**
   * Optimistic: reads come from a snapshot (holding a pool connection), writes are buffered, and
   * commit checks on the server that no key it wrote (or named with `dependOn`) changed since, else rejects with
   * TransactionConflictError. Throws ValidationError for an `attempt` that is not a positive integer.
   */
  beginTransaction(options: TransactionOptions = {}): Transaction {
    this.#assertOpen();
    const attempt = options?.attempt ?? 1;
    if (!Number.isSafeInteger(attempt) || attempt < 1) {
      throw new ValidationError(`attempt must be a positive integer, got ${String(attempt)}`, { field: 'attempt' });
    }
    const snapshot = this.#snapshot();
    const txn = new LocalTransaction(this.#nextTransactionId++, snapshot, this.#host, options);
    this.#snapshotOf.set(txn, snapshot);
    this.#open.add(txn);
    return txn;
  }

  transaction<T>(fn: (txn: Transaction) => Promise<T>, options: TransactionRunOptions = {}): Promise<T> {
    return runTransaction((o) => this.beginTransaction(o), fn, options);
  }

  async changesAfter(afterLsn: bigint, options?: ChangeFeedOptions): Promise<ChangeBatch> {
    this.#assertOpen();
    const batch = await readChanges((what, text, values) => this.#query(what, text, values), this.sql, afterLsn, options);
    this.#seen(batch.lsn);
    return batch;
  }

  async latestLsn(): Promise<bigint> {
    const rows = await this.#query<{ value: string }>('read the LSN', this.sql.latestLsn, []);
    return this.#seen(BigInt(rows[0]!.value));
  }

  /** Every acknowledged commit is already as durable as the server makes it. */
  checkpoint(): Promise<bigint> {
    return this.latestLsn();
  }

  /** The counters that matter are the server's: read them with `await currentStats()`. */
  stats(): StorageStats {
    throw new DatabaseError("stats() of PostgreSQL storage cannot be read synchronously: the key count is the server's", {
      remediation: 'Use await storage.currentStats() (or await db.stats()).',
    });
  }

  /** This process's counters, with the key count and LSN read from the server (a count(*) scan). */
  async currentStats(): Promise<StorageStats> {
    const [rows, lsn] = await Promise.all([this.#query<{ n: string }>('count keys', this.sql.countKeys, []), this.latestLsn()]);
    const c = this.#counters;
    return {
      keysCount: Number(rows[0]!.n),
      keysCountLsn: lsn,
      bytesWritten: c.bytesWritten,
      bytesRead: c.bytesRead,
      transactionsCommitted: c.committed,
      transactionsAborted: c.aborted,
      conflicts: c.conflicts,
      activeTransactions: this.#open.size,
      writeBatches: c.writeBatches,
      syncs: c.writeBatches,
      lsn,
    };
  }

  /** Aborts open transactions, closes snapshots and iterators, and ends the pool. Idempotent. */
  async close(): Promise<void> {
    if (this.#status !== 'open') return;
    this.#status = 'closing';
    try {
      for (const txn of [...this.#open]) await txn.abort().catch(() => undefined);
      for (const snapshot of [...this.#snapshots]) await snapshot.close().catch(() => undefined);
      await this.pool.end();
    } finally {
      this.#status = 'closed';
    }
  }

  /** `close()`, for `await using storage = await PostgresStorage.open(...)`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  async #setup(): Promise<void> {
    for (const statement of this.sql.setup) {
      // Two processes creating the same table at once: PostgreSQL's IF NOT EXISTS can still
      // fail on the catalog's unique index; the other one made it, so once more finds it.
      for (let attempt = 0; ; attempt++) {
        try {
          await this.#query('create the tables', statement, []);
          break;
        } catch (error) {
          const code = error instanceof Error ? errorCode(error.cause) : undefined;
          if (attempt < 3 && (code === '23505' || code === '42P07' || code === '42710')) continue;
          throw error;
        }
      }
    }
  }

  /** `firstQuery`: read in the snapshot in the same round trip as its BEGIN (see PgSnapshot). */
  #snapshot(firstQuery?: string): PgSnapshot {
    // A commit asked for after this waits until the view is taken (see Committer). A snapshot
    // queued for a busy pool counts only once it has a connection: waiting for it sooner could
    // deadlock against the commits holding the connections.
    let markBegun!: () => void;
    const begun = new Promise<void>((resolve) => (markBegun = resolve));
    if (this.#lent < this.options.poolSize) this.#beginning.add(begun);
    const session = this.#connect().then((s) => {
      this.#beginning.add(begun);
      return s;
    });
    const snapshot = new PgSnapshot(
      session,
      this.sql,
      this.options.pageSize,
      () => this.#assertOpen(),
      (bytes) => (this.#counters.bytesRead += bytes),
      firstQuery,
    );
    void begun.then(() => this.#beginning.delete(begun));
    snapshot.ready.then(() => this.#seen(snapshot.lsn)).then(markBegun, markBegun);
    this.#snapshots.add(snapshot);
    snapshot.onClose(() => this.#snapshots.delete(snapshot));
    return snapshot;
  }

  #readRows(rows: readonly Row[]): readonly Row[] {
    for (const row of rows) this.#counters.bytesRead += row.value.byteLength;
    return rows;
  }

  async #connect(): Promise<Session> {
    this.#lent++;
    try {
      return new Session(await this.pool.connect(), this.location, () => this.#lent--);
    } catch (error) {
      this.#lent--;
      throw toSochDBError(error, { what: 'connect', server: this.location });
    }
  }

  async #query<R extends object>(what: string, text: string, values: readonly unknown[]): Promise<R[]> {
    this.#assertOpen();
    try {
      return (await (values.length === 0 ? this.pool.query<R>(text) : this.pool.query<R>(prepared(text, values)))).rows;
    } catch (error) {
      throw toSochDBError(error, { what, server: this.location });
    }
  }

  /** A plain write: one commit of its own. In a batch the last write of a key wins. */
  async #write(ops: readonly NormalizedOp[]): Promise<bigint> {
    this.#assertOpen();
    const lsn = await this.#committer.write(ops);
    this.#counters.committed++;
    return this.#committed(lsn);
  }

  #commitTransaction(ops: readonly NormalizedOp[], dependencies: readonly Buffer[] | undefined, txn: LocalTransaction): Promise<bigint> {
    const snapshot = this.#snapshotOf.get(txn)!;
    const check = () => ({
      snapshotLsn: snapshot.lsn,
      keys: dependencies === undefined ? ops.map((op) => op.key) : [...ops.map((op) => op.key), ...dependencies],
    });
    return this.#committer.commitTransaction(snapshot.takeOver(), ops, check).then(
      (lsn) => this.#committed(lsn),
      (error: unknown) => {
        if (error instanceof TransactionConflictError) this.#counters.conflicts++;
        throw error;
      },
    );
  }

  /**
   * Every so many commits, the committer prunes the feed to `changeLogCommits` commits. Pruning
   * late only keeps more, so a failed prune is left to the next one.
   */
  async #committed(lsn: bigint): Promise<bigint> {
    this.#seen(lsn);
    const keep = BigInt(this.options.changeLogCommits);
    const interval = BigInt(Math.max(1, Math.min(MAX_PRUNE_INTERVAL, Math.floor(this.options.changeLogCommits / 10))));
    if (lsn % interval === 0n && lsn > keep) await this.pool.query(this.sql.prune(lsn - keep)).catch(() => undefined);
    return lsn;
  }

  #read(value: Buffer | undefined): Buffer | undefined {
    if (value !== undefined) this.#counters.bytesRead += value.byteLength;
    return value;
  }

  #seen(lsn: bigint): bigint {
    if (lsn > this.#lsn) this.#lsn = lsn;
    return lsn;
  }

  #assertOpen(): void {
    if (this.#status !== 'open') throw new DatabaseError('database is closed', { remediation: 'Open the database again before using it.' });
  }
}
