import { describeValue } from '../arguments.js';
import { ValidationError } from '../errors.js';
import { asTransaction, type TransactionLike } from './transaction-like.js';
import type { KeyValueReader, KeyValueStore, Storage } from './types.js';

/**
 * How packages honour `{ txn }`: run a write in the caller's transaction when one is given,
 * otherwise atomically in one of its own, retrying conflicts up to `retries` times.
 *
 * Shared by SochDB's packages, not a stable API (exported here only for compatibility; see
 * `@sochdb/core/internal`).
 *
 * @internal
 */
export async function writeWith<T>(
  storage: Storage,
  txnLike: TransactionLike | undefined,
  retries: number,
  fn: (store: KeyValueStore) => Promise<T>,
): Promise<T> {
  const txn = asTransaction(txnLike);
  return txn ? fn(txn) : storage.transaction(fn, { retries });
}

/**
 * Runs a read on the caller's transaction when one is given, otherwise on one consistent snapshot.
 *
 * Shared by SochDB's packages, not a stable API (exported here only for compatibility; see
 * `@sochdb/core/internal`).
 *
 * @internal
 */
export async function readWith<T>(storage: Storage, txnLike: TransactionLike | undefined, fn: (reader: KeyValueReader) => Promise<T>): Promise<T> {
  const txn = asTransaction(txnLike);
  if (txn) return fn(txn);
  if (!storage.supports.snapshots) return fn(storage);
  const snapshot = storage.snapshot();
  try {
    return await fn(snapshot);
  } finally {
    await snapshot.close();
  }
}

/**
 * Validates a `retries` option (a non-negative integer), with a default when it is absent.
 *
 * Shared by SochDB's packages, not a stable API (exported here only for compatibility; see
 * `@sochdb/core/internal`).
 *
 * @internal
 */
export function checkRetries(value: unknown, fallback = 10): number {
  if (value === undefined) return fallback;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return value;
  throw new ValidationError(`retries must be a non-negative integer, got ${describeValue(value)}`, { field: 'retries' });
}
