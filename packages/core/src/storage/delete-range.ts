import type { KeyValueStore, Range } from './types.js';

/**
 * Deletes every key in `range` through `store` — a transaction (so the delete joins it) or a
 * Storage (one atomic batch) — and returns how many keys it removed. Every package that drops a
 * namespace or a collection uses this instead of its own scan-and-delete loop.
 */
export async function deleteRange(store: KeyValueStore, range: Omit<Range, 'reverse' | 'limit'>): Promise<number> {
  const keys: Buffer[] = [];
  for await (const [key] of store.iterator(range)) keys.push(key);
  if (keys.length > 0) await store.batch(keys.map((key) => ({ type: 'del' as const, key })));
  return keys.length;
}
