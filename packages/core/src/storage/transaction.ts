import type { BytesLike } from '../bytes.js';
import { TransactionError } from '../errors.js';
import { TransactionLifecycle } from './transaction-lifecycle.js';
import { MergeIterator } from './merge-iterator.js';
import { normalizeKey, normalizeOps, normalizeValue, type NormalizedOp } from './ops.js';
import { normalizeRange } from './range.js';
import { WriteSet } from './write-set.js';
import { sessionOf } from './transaction-session.js';
import type {
  BatchOptions,
  EntryIterator,
  Range,
  StorageSnapshot,
  Transaction,
  TransactionOptions,
  TransactionSavepoint,
  TransactionState,
  WriteOp,
} from './types.js';

interface LocalSavepoint extends TransactionSavepoint {
  readonly writes: readonly { readonly key: Buffer; readonly value: Buffer | undefined }[];
}

/** The storage side of a transaction (implemented by AbstractStorage). */
export interface TransactionHost {
  /**
   * `ascending`: how many leading ops have strictly ascending keys (each key appears once).
   * `dependencies`: keys read, not written, that must not have been committed since the snapshot.
   */
  commitTransaction(
    ops: readonly NormalizedOp[],
    snapshotLsn: bigint,
    ascending: number,
    dependencies: readonly Buffer[] | undefined,
    txn: LocalTransaction,
  ): Promise<bigint>;
  transactionEnded(txn: LocalTransaction, outcome: 'committed' | 'aborted'): void;
}

/**
 * The in-process Transaction: a storage snapshot plus a sorted buffer of writes.
 *
 * Shared by SochDB's packages, not a stable API (exported here only for compatibility; see
 * `@sochdb/core/internal`).
 *
 * @internal
 */
export class LocalTransaction implements Transaction {
  readonly id: number;
  readonly #life: TransactionLifecycle;
  readonly #writes = new WriteSet();
  /** Keys read that the commit must find unchanged since the snapshot (see dependOn). */
  readonly #dependencies = new Map<string, Buffer>();
  readonly getSync: ((key: BytesLike) => Buffer | undefined) | undefined;

  constructor(
    id: number,
    private readonly snapshot: StorageSnapshot,
    private readonly host: TransactionHost,
    private readonly options: TransactionOptions = {},
  ) {
    this.id = id;
    this.#life = new TransactionLifecycle(id, options.readOnly === true);
    const snapshotGetSync = snapshot.getSync;
    this.getSync = snapshotGetSync
      ? (key) => {
          this.#assertActive('getSync');
          const k = normalizeKey(key);
          const own = this.#writes.lookup(k);
          return own ? own.value : snapshotGetSync(k);
        }
      : undefined;
  }

  get state(): TransactionState {
    return this.#life.state;
  }

  /** The LSN of the last commit this transaction's reads include. */
  get snapshotLsn(): bigint {
    return this.snapshot.lsn;
  }

  /** Whether the snapshot holds exactly the commits through `snapshotLsn` (see `StorageSnapshot.exact`). */
  get snapshotExact(): boolean {
    return this.snapshot.exact;
  }

  /** Which try of retried work this is (TransactionOptions.attempt). */
  get attempt(): number {
    return this.options.attempt ?? 1;
  }

  /** The remote session it was begun for (see TRANSACTION_SESSION), if any. */
  get session(): object | undefined {
    return sessionOf(this.options);
  }

  /** Number of distinct keys this transaction has written so far. */
  get writeCount(): number {
    return this.#writes.size;
  }

  async get(key: BytesLike): Promise<Buffer | undefined> {
    this.#assertActive('get');
    const k = normalizeKey(key);
    const own = this.#writes.lookup(k);
    return own ? own.value : this.snapshot.get(k);
  }

  async getMany(keys: readonly BytesLike[]): Promise<(Buffer | undefined)[]> {
    this.#assertActive('getMany');
    const ks = keys.map((k, i) => normalizeKey(k, `keys[${i}]`));
    const own = ks.map((k) => this.#writes.lookup(k));
    const missing = ks.filter((_, i) => own[i] === undefined);
    const fromSnapshot = missing.length === 0 ? [] : await this.snapshot.getMany(missing);
    let next = 0;
    return own.map((o) => (o ? o.value : fromSnapshot[next++]));
  }

  iterator(range?: Range): EntryIterator {
    this.#assertActive('iterator');
    const r = normalizeRange(range);
    const overlay = [...this.#writes.range(r)];
    const base = this.snapshot.iterator({ ...r, limit: undefined });
    return new MergeIterator(base, overlay, r.reverse, r.limit);
  }

  async put(key: BytesLike, value: BytesLike): Promise<void> {
    this.#assertWritable('put');
    this.#writes.set(owned(key), ownedValue(value));
  }

  async del(key: BytesLike): Promise<void> {
    this.#assertWritable('del');
    this.#writes.set(owned(key), undefined);
  }

  async batch(ops: readonly WriteOp[], options?: BatchOptions): Promise<void> {
    this.#assertWritable('batch');
    // Normalize every op before buffering any, so a bad op leaves the transaction unchanged.
    const normalized = normalizeOps(ops);
    if (options?.copy === false) for (const op of normalized) this.#writes.set(op.key, op.value);
    else for (const op of normalized) this.#writes.set(copy(op.key), op.value && copy(op.value));
  }

  readonly dependOn = (key: BytesLike): void => {
    this.#assertActive('dependOn');
    const k = normalizeKey(key);
    const id = k.toString('latin1');
    if (!this.#dependencies.has(id)) this.#dependencies.set(id, Buffer.from(k));
  };

  /** Marks the writes so far; costs a copy of the buffered writes (not of their bytes). */
  readonly savepoint = (): TransactionSavepoint => {
    this.#assertActive('savepoint');
    const mark: LocalSavepoint = { transactionId: this.id, writes: this.#writes.snapshot() };
    return mark;
  };

  readonly rollbackTo = (savepoint: TransactionSavepoint): void => {
    this.#assertActive('rollbackTo');
    const mark = savepoint as Partial<LocalSavepoint>;
    if (mark.transactionId !== this.id || mark.writes === undefined) {
      throw new TransactionError(`savepoint belongs to another transaction (${String(mark.transactionId)}), not ${this.id}`);
    }
    this.#writes.restore(mark.writes);
  };

  /** Runs `callback` once this transaction has committed (never if it aborts). */
  afterCommit(callback: (lsn: bigint) => void): void {
    this.#life.afterCommit(callback);
  }

  /**
   * Applies every write atomically and resolves with the commit's LSN. A read-only transaction
   * resolves with its snapshot LSN. On conflict or failure nothing is written and the
   * transaction is aborted.
   */
  async commit(): Promise<bigint> {
    return this.#life.commit(
      () =>
        this.#writes.size === 0
          ? Promise.resolve(this.snapshot.lsn)
          : this.host.commitTransaction(
              this.#writes.ops(),
              this.snapshot.lsn,
              this.#writes.ascending,
              this.#dependencies.size > 0 ? [...this.#dependencies.values()] : undefined,
              this,
            ),
      (outcome) => this.#end(outcome),
    );
  }

  /** Discards every write. Calling it again, or after a failed commit, does nothing. */
  async abort(): Promise<void> {
    if (this.#life.beginAbort()) await this.#end('aborted');
  }

  /** `await using txn = storage.beginTransaction()` aborts it if it was not committed. */
  async [Symbol.asyncDispose](): Promise<void> {
    if (this.#life.state === 'active') await this.abort();
  }

  async #end(outcome: 'committed' | 'aborted'): Promise<void> {
    this.#writes.clear();
    this.host.transactionEnded(this, outcome);
    await this.snapshot.close();
  }

  #assertActive(op: string): void {
    this.#life.assertActive(op);
  }

  #assertWritable(op: string): void {
    this.#life.assertWritable(op);
  }
}

/** The caller may reuse its buffer after put() returns, so buffered writes keep their own copy. */
function copy(bytes: Buffer): Buffer {
  return Buffer.from(bytes);
}

// A string is encoded into a fresh buffer nobody else holds: copying it again would be waste.
function owned(key: BytesLike): Buffer {
  return typeof key === 'string' ? normalizeKey(key) : copy(normalizeKey(key));
}

function ownedValue(value: BytesLike): Buffer {
  return typeof value === 'string' ? normalizeValue(value) : copy(normalizeValue(value));
}
