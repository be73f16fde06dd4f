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
  #pruneAt = 1024;

  get active(): boolean {
    return this.#live.size > 0;
  }

  begin(snapshotLsn: bigint): void {
    this.#live.set(snapshotLsn, (this.#live.get(snapshotLsn) ?? 0) + 1);
  }

  end(snapshotLsn: bigint): void {
    const n = (this.#live.get(snapshotLsn) ?? 1) - 1;
    if (n <= 0) this.#live.delete(snapshotLsn);
    else this.#live.set(snapshotLsn, n);
    if (this.#live.size === 0) this.#lastWrite.clear();
  }

  record(keys: Iterable<Buffer>, lsn: bigint): void {
    for (const key of keys) this.#lastWrite.set(key.toString('latin1'), lsn);
    if (this.#lastWrite.size >= this.#pruneAt) this.#prune();
  }

  /** The first key committed after `snapshotLsn`, if any. */
  findConflict(keys: Iterable<Buffer>, snapshotLsn: bigint): Buffer | undefined {
    for (const key of keys) {
      const last = this.#lastWrite.get(key.toString('latin1'));
      if (last !== undefined && last > snapshotLsn) return key;
    }
    return undefined;
  }

  #prune(): void {
    let oldest: bigint | undefined;
    for (const lsn of this.#live.keys()) if (oldest === undefined || lsn < oldest) oldest = lsn;
    if (oldest === undefined) this.#lastWrite.clear();
    else for (const [key, lsn] of this.#lastWrite) if (lsn <= oldest) this.#lastWrite.delete(key);
    this.#pruneAt = Math.max(1024, this.#lastWrite.size * 2);
  }
}
