import { TransactionConflictError } from '../errors.js';

/**
 * First-committer-wins bookkeeping for snapshot isolation: for each key written since the oldest
 * live transaction began, the LSN of its last commit. A transaction conflicts when one of the keys
 * it writes was committed after its snapshot. Entries older than every live snapshot can never
 * cause a conflict again and are pruned, so memory follows the write rate of concurrent work only.
 */
export class ConflictTracker {
  readonly #lastWrite = new Map<string, bigint>();
  /** snapshot LSN → number of live transactions holding it. */
  readonly #live = new Map<bigint, number>();
  #liveCount = 0;
  /** The highest LSN recorded: a snapshot at or after it cannot conflict with anything. */
  #newest = -1n;
  #pruneAt = 1024;

  get active(): boolean {
    return this.#live.size > 0;
  }

  /** Number of live transactions. */
  get liveCount(): number {
    return this.#liveCount;
  }

  begin(snapshotLsn: bigint): void {
    this.#live.set(snapshotLsn, (this.#live.get(snapshotLsn) ?? 0) + 1);
    this.#liveCount++;
  }

  end(snapshotLsn: bigint): void {
    if (!this.#live.has(snapshotLsn)) return;
    this.#liveCount--;
    const n = this.#live.get(snapshotLsn)! - 1;
    if (n <= 0) this.#live.delete(snapshotLsn);
    else this.#live.set(snapshotLsn, n);
    if (this.#live.size === 0) {
      this.#lastWrite.clear();
      this.#newest = -1n;
    }
  }

  record(keys: Iterable<Buffer>, lsn: bigint): void {
    for (const key of keys) this.#lastWrite.set(key.toString('latin1'), lsn);
    if (lsn > this.#newest) this.#newest = lsn;
    if (this.#lastWrite.size >= this.#pruneAt) this.#prune();
  }

  /** The first key committed after `snapshotLsn`, if any, with the LSN of that commit. */
  findConflict(keys: Iterable<Buffer>, snapshotLsn: bigint): { readonly key: Buffer; readonly lsn: bigint } | undefined {
    if (this.#newest <= snapshotLsn) return undefined;
    for (const key of keys) {
      const last = this.#lastWrite.get(key.toString('latin1'));
      if (last !== undefined && last > snapshotLsn) return { key, lsn: last };
    }
    return undefined;
  }

  #prune(): void {
    let oldest: bigint | undefined;
    for (const lsn of this.#live.keys()) if (oldest === undefined || lsn < oldest) oldest = lsn;
    if (oldest === undefined) {
      this.#lastWrite.clear();
      this.#newest = -1n;
    } else for (const [key, lsn] of this.#lastWrite) if (lsn <= oldest) this.#lastWrite.delete(key);
    this.#pruneAt = Math.max(1024, this.#lastWrite.size * 2);
  }
}

/** The error a commit that lost to another on `key` fails with, the same from every backend. */
export function keyConflictError(key: Buffer): TransactionConflictError {
  const text = key.toString('utf8');
  const shown = /^[\x20-\x7e]*$/.test(text) ? JSON.stringify(text) : `0x${key.toString('hex')}`;
  return new TransactionConflictError(`transaction conflict on key ${shown}: another transaction committed it after this one began`);
}
