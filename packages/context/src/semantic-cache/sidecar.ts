import type { KeyValueReader, KeyValueStore, Transaction, WriteOp } from '@sochdb/core';
import type { Collection } from '@sochdb/vector';
import { decodeEntry } from './entry.js';
import { SemanticCacheKeys } from './keys.js';

/** An entry key found in one of the ordered indexes, with the index key itself. */
export interface IndexedKey {
  readonly key: string;
  readonly indexKey: Buffer;
}

/**
 * The first `limit` entries of an index range (`lru`: least recently used first; `ttl`: soonest
 * expiry first), leaving out the keys in `skip`.
 */
export async function readIndex(store: KeyValueReader, range: { gte: Buffer; lt: Buffer }, limit: number, skip: ReadonlySet<string>): Promise<IndexedKey[]> {
  const out: IndexedKey[] = [];
  if (limit <= 0) return out;
  const seen = new Set<string>();
  // `skip` entries are read past, so the range is read with a margin of their number.
  for await (const [indexKey] of store.iterator({ ...range, limit: limit + skip.size })) {
    const key = SemanticCacheKeys.keyOf(indexKey);
    if (skip.has(key) || seen.has(key)) continue;
    seen.add(key);
    out.push({ key, indexKey });
    if (out.length >= limit) break;
  }
  return out;
}

/**
 * Deletes the side keys of `entries` (the entry record, its last-use time and its two index
 * keys), through `store` (the caller's transaction, which deletes the vectors too). Keys found in
 * an index are deleted as found, so an index key whose entry is already gone (an orphan) goes too.
 * Resolves with how many of the entries existed.
 */
export async function removeSideKeys(store: KeyValueStore, keys: SemanticCacheKeys, entries: readonly IndexedKey[]): Promise<number> {
  if (entries.length === 0) return 0;
  const rows = await store.getMany(entries.flatMap(({ key }) => [keys.entry(key), keys.usedAt(key)]));
  const ops: WriteOp[] = [];
  entries.forEach(({ key, indexKey }, i) => {
    const record = rows[2 * i];
    const used = rows[2 * i + 1];
    ops.push({ type: 'del', key: indexKey }, { type: 'del', key: keys.entry(key) }, { type: 'del', key: keys.usedAt(key) });
    if (used !== undefined) ops.push({ type: 'del', key: keys.lru(Number(used.toString('utf8')), key) });
    const expiresAt = record === undefined ? null : decodeEntry(record).x;
    if (expiresAt !== null) ops.push({ type: 'del', key: keys.ttl(expiresAt, key) });
  });
  await store.batch(ops);
  return rows.filter((row, i) => i % 2 === 0 && row !== undefined).length;
}

/** The number of entries as `store` sees it (see `SemanticCacheKeys.count`). */
export async function readCount(store: KeyValueReader, keys: SemanticCacheKeys): Promise<number> {
  const raw = await store.get(keys.count);
  return raw === undefined ? 0 : Number(raw.toString('utf8'));
}

/**
 * Removes entries, their vectors and their side keys, and lowers the count, through the caller's
 * transaction; resolves with how many of them existed.
 */
export async function removeEntries(txn: Transaction, collection: Collection, keys: SemanticCacheKeys, entries: readonly IndexedKey[]): Promise<number> {
  if (entries.length === 0) return 0;
  const removed = await removeSideKeys(txn, keys, entries);
  await txn.put(keys.count, String(Math.max(0, (await readCount(txn, keys)) - removed)));
  await collection.delete(
    entries.map(({ key }) => key),
    { txn },
  );
  return removed;
}

/**
 * Writes the last-use times of `used` (entry key → ms), each only if it is later than the stored
 * one and the entry still exists (through the caller's transaction): a hit then moves one small
 * `lru` key and rewrites the 8-byte `u` key, never the entry or its vector.
 */
export async function writeUseTimes(
  store: KeyValueStore & { readonly dependOn?: (key: Buffer) => void },
  keys: SemanticCacheKeys,
  used: ReadonlyMap<string, number>,
): Promise<void> {
  const ids = [...used.keys()];
  const rows = await store.getMany(ids.flatMap((key) => [keys.entry(key), keys.usedAt(key)]));
  const ops: WriteOp[] = [];
  ids.forEach((key, i) => {
    // Deleted meanwhile (or since the snapshot: dependOn makes that commit conflict this one):
    // writing its times would leave index keys without an entry.
    if (rows[2 * i] === undefined) return;
    store.dependOn?.(keys.entry(key));
    const at = used.get(key)!;
    const raw = rows[2 * i + 1];
    const before = raw === undefined ? undefined : Number(raw.toString('utf8'));
    if (before !== undefined && before >= at) return; // another process used it later
    if (before !== undefined) ops.push({ type: 'del', key: keys.lru(before, key) });
    ops.push({ type: 'put', key: keys.lru(at, key), value: '' }, { type: 'put', key: keys.usedAt(key), value: String(at) });
  });
  if (ops.length > 0) await store.batch(ops);
}
