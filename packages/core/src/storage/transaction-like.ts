import { describe } from '../bytes.js';
import { ValidationError } from '../errors.js';
import type { Transaction } from './types.js';

/** A transaction, or an object that holds one as `core` (the SDK's DatabaseTransaction). */
export type TransactionLike =
  | Transaction
  | {
      /** The core transaction the wrapper runs on; what packages read and write through. */
      readonly core: Transaction;
    };

/**
 * The transaction behind a `{ txn }` option: the value itself, or its `core`. Anything else is a
 * ValidationError naming the field, never a TypeError deep inside a package.
 */
export function asTransaction(value: TransactionLike | undefined, field = 'txn'): Transaction | undefined {
  if (value === undefined) return undefined;
  if (isTransaction(value)) return value;
  const core = typeof value === 'object' && value !== null ? (value as { core?: unknown }).core : undefined;
  if (isTransaction(core)) return core;
  throw new ValidationError(`${field} must be a transaction, got ${describe(value)}`, {
    field,
    remediation: 'Pass a transaction from storage.beginTransaction() or db.beginTransaction().',
  });
}

// Duck-typed rather than instanceof, so a transaction from another copy of @sochdb/core (or a
// remote one in concurrent mode) is accepted too.
function isTransaction(value: unknown): value is Transaction {
  if (typeof value !== 'object' || value === null) return false;
  const t = value as Record<string, unknown>;
  return ['get', 'iterator', 'put', 'del', 'batch', 'commit', 'abort', 'afterCommit'].every((m) => typeof t[m] === 'function');
}
