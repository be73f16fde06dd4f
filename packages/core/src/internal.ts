// @sochdb/core/internal — helpers SochDB's packages share with each other. Not a stable API: they
// may change in any release; applications should not need them.
export { LocalTransaction } from './storage/transaction.js';
export { MergeIterator } from './storage/merge-iterator.js';
export { runAfterCommitHooks } from './storage/run-transaction.js';
export { readWith, writeWith, checkRetries } from './storage/scoped.js';
export { isArray } from './is-array.js';
export { describeValue, optionalName, requireName, requireNames, requireOneOf, requireOptions } from './arguments.js';
export { TransactionLifecycle } from './storage/transaction-lifecycle.js';
export { requireChangeFeedArguments } from './storage/change-log.js';
export { normalizeKey, normalizeValue, normalizeOps, type NormalizedOp } from './storage/ops.js';
export { isEmptyRange, inRange } from './storage/range.js';
export { keyConflictError } from './storage/conflict-tracker.js';
export { clearInChunks } from './storage/clear-chunks.js';
export { requireWatch, touches, watchCommits, type WatchBounds } from './storage/watch.js';
export { TRANSACTION_SESSION, type SessionTransactionOptions } from './storage/transaction-session.js';
