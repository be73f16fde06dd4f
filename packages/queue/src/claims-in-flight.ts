import type { Transaction } from '@sochdb/core';

/**
 * The tasks that this engine's batches have claimed, as the other batch running at the same
 * time must see them. A claim not committed yet is invisible to the other batch's snapshot; one
 * committed after that snapshot was taken is too (the snapshot still shows the task pending).
 * Either way, claiming the task again could only end in a conflict and a retry of the whole
 * batch, so the other batch skips it. Once no running batch's snapshot predates a claim's commit,
 * the entry is forgotten: every later snapshot shows the claim.
 */
export class ClaimsInFlight {
  /** Task id → the LSN its claim committed at, or undefined while the claiming batch runs. */
  readonly #claims = new Map<string, bigint | undefined>();
  /** The snapshot LSN of each running batch's transaction. */
  readonly #running = new Map<Transaction, bigint>();

  /** A batch's transaction `t` has begun. */
  begin(t: Transaction): void {
    this.#running.set(t, t.snapshotLsn);
  }

  /** Whether `t` must skip task `id`: claimed by a batch whose claim `t`'s snapshot does not show. */
  taken(id: string, t: Transaction): boolean {
    if (!this.#claims.has(id)) return false;
    const committedAt = this.#claims.get(id);
    return committedAt === undefined || committedAt > t.snapshotLsn;
  }

  /** A running batch claims `id` (before any await, so that the other batch's next read skips it). */
  claim(id: string): void {
    this.#claims.set(id, undefined);
  }

  /** The batch that claimed `ids` committed at `lsn`. */
  committed(ids: Iterable<string>, lsn: bigint): void {
    for (const id of ids) this.#claims.set(id, lsn);
  }

  /** The claims of `ids` did not commit (the batch retries or failed): the tasks are free again. */
  released(ids: Iterable<string>): void {
    for (const id of ids) if (this.#claims.get(id) === undefined) this.#claims.delete(id);
  }

  /** Batch `t` has ended, committed or not. */
  end(t: Transaction): void {
    this.#running.delete(t);
    let oldest: bigint | undefined;
    for (const lsn of this.#running.values()) if (oldest === undefined || lsn < oldest) oldest = lsn;
    for (const [id, committedAt] of this.#claims) {
      if (committedAt !== undefined && (oldest === undefined || committedAt <= oldest)) this.#claims.delete(id);
    }
  }
}
