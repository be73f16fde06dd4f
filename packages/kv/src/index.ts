// @sochdb/kv — SochDB's key-value API over any @sochdb/core KeyValueStore.

// The store: get/put/delete, JSON helpers, paths, scans, transactions, queries.
export {
  KvStore,
  DEFAULT_BATCH_SIZE,
  type KvStoreOptions,
  type KvCallOptions,
  type KvScanOptions,
  type KvBatchedScanOptions,
  type KvClearOptions,
} from './kv-store.js';

// Hierarchical paths ('users/alice/email') and the key each maps to.
export { pathKey, type KvPath } from './paths.js';

// Scans: lazy async iterables of [key, value] that close their cursor on break.
export { KvScan } from './scan.js';

// Query builder over JSON objects under a prefix, with TOON output.
export { KvQuery, type KvQueryRow, type InvalidValuePolicy } from './query.js';
export type { KvFilter, KvPredicate, KvRecord, FieldCondition, FilterScalar } from './filter.js';
