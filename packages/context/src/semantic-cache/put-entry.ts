import type { Transaction } from '@sochdb/core';
import type { Collection } from '@sochdb/vector';
import { encodeEntry, newGeneration, type CacheVector } from './entry.js';
import type { SemanticCacheKeys } from './keys.js';
import { readCount, readIndex, removeEntries, removeSideKeys } from './sidecar.js';

/** How many expired entries a put removes on its way (more when the cache is over `maxEntries`). */
export const PUT_SWEEP = 64;

/** One checked put. */
export interface EntryWrite {
  readonly id: string;
  /** The value's JSON text, already checked. */
  readonly json: string;
  readonly vector: CacheVector;
  /** Lifetime in ms; `Infinity` for none. */
  readonly ttl: number;
  /** The bound on entries; `Infinity` for none. */
  readonly maxEntries: number;
}

/**
 * A put, in the caller's transaction: removes up to `PUT_SWEEP` expired entries (and, when the
 * cache is over its bound, as many more as it is over: an expired entry goes before a live one is
 * evicted), then the least recently used live entries beyond `maxEntries`, then writes the entry
 * (replacing the key's previous one, its index keys included) and its vector. The bound is
 * checked against the stored count (`SemanticCacheKeys.count`), which every put writes: puts at
 * the same moment, in any process, conflict and retry, so the bound holds after every commit.
 * Resolves with how many entries expired and were evicted.
 */
export async function writeEntry(
  txn: Transaction,
  collection: Collection,
  keys: SemanticCacheKeys,
  put: EntryWrite,
): Promise<{ readonly expired: number; readonly evicted: number }> {
  const { id, maxEntries } = put;
  const now = Date.now();
  const expiresAt = put.ttl === Infinity ? null : now + put.ttl;
  const previous = await txn.get(keys.entry(id));
  const stored = (await readCount(txn, keys)) + (previous === undefined ? 1 : 0);
  const skip = new Set([id]);
  const expired = await readIndex(txn, keys.expiredBy(now), PUT_SWEEP + Math.max(0, stored - maxEntries), skip);
  for (const { key } of expired) skip.add(key);
  const live = stored - expired.length;
  const evicted = live > maxEntries ? await readIndex(txn, keys.range('lru'), live - maxEntries, skip) : [];
  const removed = await removeEntries(txn, collection, keys, [...expired, ...evicted]);
  if (previous !== undefined) await removeSideKeys(txn, keys, [{ key: id, indexKey: keys.entry(id) }]);
  const generation = newGeneration();
  await txn.batch([
    { type: 'put', key: keys.entry(id), value: encodeEntry(now, expiresAt, generation, put.json) },
    { type: 'put', key: keys.usedAt(id), value: String(now) },
    { type: 'put', key: keys.lru(now, id), value: '' },
    { type: 'put', key: keys.count, value: String(stored - removed) },
    ...(expiresAt === null ? [] : [{ type: 'put' as const, key: keys.ttl(expiresAt, id), value: '' }]),
  ]);
  await collection.insert({ id, vector: put.vector, metadata: { x: expiresAt, g: generation } }, { txn });
  return { expired: expired.length, evicted: evicted.length };
}
