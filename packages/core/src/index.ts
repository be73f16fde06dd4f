// @sochdb/core — the shared foundation of every SochDB package.

// Storage: one interface, two backends, one conformance suite.
export type {
  Entry,
  EntryIterator,
  KeyValueReader,
  KeyValueStore,
  KeyValueWriter,
  Range,
  Storage,
  StorageSnapshot,
  StorageStats,
  StorageStatus,
  WriteOp,
  BatchOptions,
  AppliedCommit,
  ChangeBatch,
  ChangeFeedOptions,
  WatchRange,
  CommitChange,
  Transaction,
  TransactionOptions,
  TransactionSavepoint,
  TransactionState,
} from './storage/types.js';
export { hasOwnerServices, type OwnerServices } from './storage/owner-services.js';
export { LevelStorage } from './storage/level-storage.js';
export { MemoryStorage } from './storage/memory-storage.js';
export { isPostgresUrl, openStorage, type StorageUrl } from './open.js';
export { registerStorageOpener, type StorageOpener } from './storage-openers.js';
export { prefixed } from './storage/prefixed.js';
export { deleteRange } from './storage/delete-range.js';
// Online backup: a consistent copy of a whole database while writes go on (AbstractStorage.backup).
export type { BackupOptions, BackupProgress, BackupResult } from './storage/backup.js';
// The commit feed: caches that follow every commit, whoever made it.
export { CommitFollower, type FollowHandlers } from './storage/commit-follower.js';
export { DEFAULT_CHANGE_LOG_BYTES } from './storage/change-log.js';

// Transactions: snapshot isolation, first committer wins.
export { runTransaction, type TransactionRunOptions } from './storage/run-transaction.js';
export { asTransaction, type TransactionLike } from './storage/transaction-like.js';

// For writing a Storage backend (abstract-level's pattern; see the README).
export { AbstractStorage } from './storage/abstract-storage.js';
export { CLEAR_CHUNK_KEYS } from './storage/clear-chunks.js';
export { AbstractEntryIterator, ArrayEntryIterator } from './storage/iterator.js';
export { MemoryJournalStore, type JournalStore, type UndoRecord } from './storage/rollback-journal.js';
export { ChangeLog } from './storage/change-log.js';
export { normalizeRange, type NormalizedRange } from './storage/range.js';

// For SochDB's own packages, not a stable API (they may change in any release); kept here for
// compatibility. New code imports these and the other shared helpers from '@sochdb/core/internal'.
export { LocalTransaction } from './storage/transaction.js';
export { runAfterCommitHooks } from './storage/run-transaction.js';
export { readWith, writeWith, checkRetries } from './storage/scoped.js';

// Keys and bytes.
export { encodeKey, decodeKey, keyRange, type KeyPart, type KeyTuple } from './keys.js';
export { toBytes, asBuffer, utf8, encodeUtf8, compareBytes, bytesEqual, concatBytes, prefixUpperBound, startsWith, type BytesLike } from './bytes.js';

// JSON values as stored by graph, temporal and others: checked, never silently altered.
export { serializeJson, type JsonValue } from './json.js';

// Configuration.
export { DatabaseConfigSchema, SyncModeSchema, parseConfig, type DatabaseConfig, type DatabaseConfigInput, type SyncMode } from './config.js';

// Limits shared by the packages.
export { MAX_FILTER_DEPTH } from './limits.js';
export { isLoopback } from './loopback.js';

// Errors.
export * from './errors.js';
