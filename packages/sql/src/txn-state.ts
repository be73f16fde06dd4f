import type { Storage, Transaction } from '@sochdb/core';

/**
 * What an engine remembers about one transaction across its statements: the next rowid per table
 * and which keys it wrote, so a point read can skip the transaction and use Storage.getSync while
 * nothing has committed since the transaction's snapshot and the key was not written by it.
 * One object per transaction, so a statement creates no closures of its own.
 */
export class TxnState {
  /** Next rowid per table (see table-writer). */
  readonly rowids = new Map<string, bigint>();
  readonly #written = new Set<string>();
  /** Flushed key batches not yet added to #written: most statements (appends) never need the set. */
  #unindexed: string[][] = [];

  constructor(
    private readonly storage: Storage,
    private readonly txn: Transaction,
  ) {}

  /** The row at `key` read synchronously from Storage, or `null` when only the transaction can answer. */
  readonly syncRead = (key: Buffer, latin1: string): Buffer | undefined | null => {
    const { storage } = this;
    if (storage.lsn !== this.txn.snapshotLsn || storage.status !== 'open') return null;
    if (this.#unindexed.length > 0) {
      for (const batch of this.#unindexed) for (const k of batch) this.#written.add(k);
      this.#unindexed = [];
    }
    return this.#written.has(latin1) ? null : storage.getSync(key);
  };

  readonly onFlush = (latin1Keys: Iterable<string>): void => {
    this.#unindexed.push(Array.from(latin1Keys));
  };
}
