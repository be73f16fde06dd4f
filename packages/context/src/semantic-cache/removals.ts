import { deleteRange, type KeyValueReader, type Storage, type Transaction } from '@sochdb/core';
import { Collection } from '@sochdb/vector';
import { decodeEntry, type StoredEntry } from './entry.js';
import { SEMANTIC_CACHE_COLLECTION_PREFIX, SemanticCacheKeys } from './keys.js';
import { readCount, readIndex, removeEntries } from './sidecar.js';

/** Deletes the entry `id` in the caller's transaction; resolves with what it was (undefined: none). */
export async function deleteEntry(txn: Transaction, collection: Collection, keys: SemanticCacheKeys, id: string): Promise<StoredEntry | undefined> {
  const raw = await txn.get(keys.entry(id));
  if (raw === undefined) return undefined;
  await removeEntries(txn, collection, keys, [{ key: id, indexKey: keys.entry(id) }]);
  return decodeEntry(raw);
}

/** Deletes every entry of a cache in the caller's transaction (the marker and the collection stay). */
export async function clearEntries(txn: Transaction, collection: Collection, keys: SemanticCacheKeys): Promise<void> {
  await collection.delete({ filter: {} }, { txn });
  for (const kind of ['e', 'u', 'lru', 'ttl'] as const) await deleteRange(txn, keys.range(kind));
  await txn.put(keys.count, '0'); // written, not deleted: a put racing this conflicts on it
}

/** Removes up to `limit` entries expired at `now` in the caller's transaction; resolves with how many. */
export async function purgeExpiredBatch(txn: Transaction, collection: Collection, keys: SemanticCacheKeys, now: number, limit: number): Promise<number> {
  const expired = await readIndex(txn, keys.expiredBy(now), limit, new Set());
  await removeEntries(txn, collection, keys, expired);
  return expired.length;
}

/** Entries stored and not expired at `now`, read through `store` (a snapshot, so both figures agree). */
export async function countLive(store: KeyValueReader, keys: SemanticCacheKeys, now: number): Promise<number> {
  let expired = 0;
  for await (const _ of store.iterator(keys.expiredBy(now))) expired++;
  return Math.max(0, (await readCount(store, keys)) - expired);
}

/** Drops every semantic cache of a namespace in the caller's transaction: their collections and entries. */
export async function dropCachesOf(storage: Storage, txn: Transaction, namespace: string): Promise<void> {
  for (const info of await Collection.list(txn, namespace)) {
    if (info.name.startsWith(SEMANTIC_CACHE_COLLECTION_PREFIX)) await Collection.drop(storage, info, { txn });
  }
  await deleteRange(txn, SemanticCacheKeys.namespace(namespace));
}
