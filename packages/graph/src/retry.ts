import { TransactionConflictError, ValidationError, type KeyValueStore, type Storage } from '@sochdb/core';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Runs `fn` in a transaction of its own, retrying on conflict. Core's `transaction({ retries })`
 * retries at once, and a retry that starts while the winning commit is still being written sees
 * the same conflict again; a short, jittered, growing pause lets that commit land first.
 */
export async function withRetries<T>(storage: Storage, retries: number, fn: (store: KeyValueStore) => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await storage.transaction(fn);
    } catch (error) {
      if (!(error instanceof TransactionConflictError) || attempt >= retries) throw error;
      await sleep(Math.random() * Math.min(50, 2 ** attempt));
    }
  }
}

export function requireRetries(value: unknown): number {
  if (value === undefined) return 10;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return value;
  throw new ValidationError(`retries must be a non-negative integer, got ${String(value)}`, { field: 'retries' });
}
