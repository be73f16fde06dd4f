import type { Transaction } from '@sochdb/core';

interface TxnHold {
  readonly txn: Transaction;
  readonly revert: () => void;
}

/**
 * Writes made inside a caller's transaction are applied to the in-memory index by
 * `txn.afterCommit`. Core has no after-abort hook, so holds of transactions that aborted (or
 * whose commit failed) are released lazily: every queue operation sweeps this set first.
 */
class TxnHolds {
  readonly #holds = new Set<TxnHold>();

  add(txn: Transaction, revert: () => void): TxnHold {
    const hold = { txn, revert };
    this.#holds.add(hold);
    return hold;
  }

  delete(hold: TxnHold): void {
    this.#holds.delete(hold);
  }

  sweep(): void {
    if (this.#holds.size === 0) return;
    for (const hold of this.#holds) {
      if (hold.txn.state === 'aborted') {
        this.#holds.delete(hold);
        hold.revert();
      }
    }
  }
}

export const txnHolds = new TxnHolds();
