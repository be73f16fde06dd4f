import type { Transaction, WriteOp } from '@sochdb/core';
import type { Hold, Slot, TaskIndex } from './task-index.js';
import { txnHolds } from './txn-holds.js';

/**
 * One queue write in progress: takes the slots it changes out of circulation at once
 * (synchronously, so no other call can see or claim them), writes — alone as one atomic batch,
 * or inside the caller's transaction — and then applies the change to the index, or puts the
 * slots back if the write failed or the transaction aborted.
 */
export class WriteHold {
  readonly hold: Hold;
  readonly #txn: Transaction | undefined;
  readonly #held: { readonly index: TaskIndex; readonly slot: Slot }[] = [];
  #settle!: () => void;
  #done = false;

  constructor(txn: Transaction | undefined, index: TaskIndex, slots: readonly Slot[]) {
    this.#txn = txn;
    this.hold = { txn, settled: new Promise<void>((resolve) => (this.#settle = resolve)) };
    this.add(index, slots);
  }

  /** Also holds these slots (e.g. new tasks of a dead-letter queue written in the same batch). */
  add(index: TaskIndex, slots: readonly Slot[]): void {
    for (const slot of slots) {
      if (slot.hold !== this.hold) index.hold(slot, this.hold);
      this.#held.push({ index, slot });
    }
  }

  /**
   * Writes `ops` through `submit` (one atomic storage write), or into the caller's transaction;
   * `apply` runs once they are committed (after the caller's transaction commits).
   */
  async write(submit: (ops: readonly WriteOp[]) => Promise<unknown>, ops: readonly WriteOp[], apply: () => void): Promise<void> {
    const finish = (): void => {
      if (this.#done) return;
      this.#done = true;
      for (const { slot } of this.#held) slot.hold = undefined;
      apply();
      this.#settle();
    };
    const txn = this.#txn;
    try {
      if (txn === undefined) {
        await submit(ops);
        finish();
        return;
      }
      await txn.batch(ops);
      const pending = txnHolds.add(txn, () => this.revert());
      try {
        txn.afterCommit(() => {
          txnHolds.delete(pending);
          finish();
        });
      } catch (error) {
        txnHolds.delete(pending);
        throw error;
      }
    } catch (error) {
      this.revert();
      throw error;
    }
  }

  /** Puts every held slot back as it was. Does nothing once the write has been applied. */
  revert(): void {
    if (this.#done) return;
    this.#done = true;
    for (const { index, slot } of this.#held) index.release(slot);
    this.#settle();
  }
}
