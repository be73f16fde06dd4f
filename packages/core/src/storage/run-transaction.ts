import { setTimeout as sleep } from 'node:timers/promises';
import { DatabaseError, TransactionConflictError, ValidationError } from '../errors.js';
import type { Transaction, TransactionOptions } from './types.js';

/** Options of `storage.transaction(fn, options)` and `runTransaction`. */
export type TransactionRunOptions = TransactionOptions & {
  /**
   * How many times to re-run `fn` on a fresh snapshot after a TransactionConflictError (default 0:
   * the conflict is thrown). Other errors are never retried.
   */
  readonly retries?: number;
};

/**
 * `storage.transaction(fn)` for every Storage: begins, runs `fn`, commits on return, aborts on
 * throw, and on a conflict re-runs `fn` on a fresh snapshot up to `retries` times.
 */
export async function runTransaction<T>(
  begin: (options: TransactionOptions) => Transaction,
  fn: (txn: Transaction) => Promise<T>,
  options: TransactionRunOptions = {},
): Promise<T> {
  const retries = options.retries ?? 0;
  if (!Number.isInteger(retries) || retries < 0) throw new ValidationError('retries must be a non-negative integer', { field: 'retries' });
  for (let attempt = 0; ; attempt++) {
    const txn = begin(attempt === 0 ? options : { ...options, attempt: attempt + 1 });
    try {
      const result = await fn(txn);
      if (txn.state === 'active') await txn.commit();
      return result;
    } catch (error) {
      if (txn.state === 'active') await txn.abort().catch(() => undefined);
      if (!(error instanceof TransactionConflictError) || attempt >= retries) throw error;
      // The conflict is reported once the winning commit has landed, so the retry's snapshot
      // holds it; the short jittered pause keeps several losers from colliding in lockstep.
      await sleep(Math.random() * Math.min(4, 2 ** attempt));
    }
  }
}

/**
 * Runs after-commit hooks synchronously, in order, each isolated from the others' failures; the
 * first failure is reported (the commit itself stands).
 *
 * Shared by SochDB's packages, not a stable API (exported here only for compatibility; see
 * `@sochdb/core/internal`).
 *
 * @internal
 */
export function runAfterCommitHooks(hooks: readonly ((lsn: bigint) => void)[], txnId: number, lsn: bigint): void {
  const failures: unknown[] = [];
  for (const hook of hooks) {
    try {
      hook(lsn);
    } catch (error) {
      failures.push(error);
    }
  }
  if (failures.length > 0) {
    throw new DatabaseError(`transaction ${txnId} committed at LSN ${lsn}, but an after-commit hook failed`, { cause: failures[0] });
  }
}
