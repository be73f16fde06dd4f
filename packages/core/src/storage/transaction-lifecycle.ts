import { TransactionError } from '../errors.js';
import { runAfterCommitHooks } from './run-transaction.js';
import type { TransactionState } from './types.js';

/**
 * The state machine every Transaction implementation shares (the in-process one and the ones a
 * server holds for a remote client): active → committing → committed, or → aborted; no use after
 * the end; after-commit hooks run once, synchronously as the commit resolves, in order.
 */
export class TransactionLifecycle {
  #state: TransactionState = 'active';
  readonly #afterCommit: ((lsn: bigint) => void)[] = [];

  constructor(
    private readonly id: number,
    private readonly readOnly: boolean,
  ) {}

  get state(): TransactionState {
    return this.#state;
  }

  assertActive(op: string): void {
    if (this.#state !== 'active') {
      throw new TransactionError(`cannot ${op}: transaction ${this.id} is ${this.#state}`, { remediation: 'Begin a new transaction.' });
    }
  }

  assertWritable(op: string): void {
    this.assertActive(op);
    if (this.readOnly) throw new TransactionError(`cannot ${op}: transaction ${this.id} is read-only`);
  }

  afterCommit(callback: (lsn: bigint) => void): void {
    this.assertActive('afterCommit');
    this.#afterCommit.push(callback);
  }

  /**
   * Commits once: `apply` writes and resolves with the LSN. If it fails the transaction is aborted
   * (`ended('aborted')` runs) and the error rethrown; otherwise the hooks run before any await, so
   * concurrent transactions' hooks run in commit order, and then `ended('committed')`.
   */
  async commit(apply: () => Promise<bigint>, ended: (outcome: 'committed' | 'aborted') => Promise<void> | void): Promise<bigint> {
    this.assertActive('commit');
    this.#state = 'committing';
    let lsn: bigint;
    try {
      lsn = await apply();
    } catch (error) {
      this.#state = 'aborted';
      await ended('aborted');
      throw error;
    }
    this.#state = 'committed';
    try {
      runAfterCommitHooks(this.#afterCommit, this.id, lsn);
    } finally {
      await ended('committed');
    }
    return lsn;
  }

  /**
   * Whether `abort()` has anything to do: false when already aborted (abort is idempotent); throws
   * when committed or committing. When true, the caller ends the transaction (see `ended`).
   */
  beginAbort(): boolean {
    if (this.#state === 'aborted') return false;
    if (this.#state === 'committed') throw new TransactionError(`transaction ${this.id} is already committed; it cannot be aborted`);
    if (this.#state === 'committing') throw new TransactionError(`transaction ${this.id} is committing; wait for commit() to settle`);
    this.#state = 'aborted';
    return true;
  }

  /** The transaction ended without a call (its storage closed or its connection went away). */
  markAborted(): void {
    if (this.#state === 'active') this.#state = 'aborted';
  }
}
