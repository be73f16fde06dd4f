import { ValidationError, type KeyValueStore, type Storage } from '@sochdb/core';

/** Runs `fn` in a transaction of its own, retrying conflicts (core pauses with jitter between tries). */
export function withRetries<T>(storage: Storage, retries: number, fn: (store: KeyValueStore) => Promise<T>): Promise<T> {
  return storage.transaction(fn, { retries });
}

export function requireRetries(value: unknown): number {
  if (value === undefined) return 10;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return value;
  throw new ValidationError(`retries must be a non-negative integer, got ${String(value)}`, { field: 'retries' });
}
