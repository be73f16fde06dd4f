import { compareBytes, decodeKey, keyRange, type KeyValueReader } from '@sochdb/core';
import { requireBoundedName, type CollectionRef } from './collection-config.js';
import { CollectionKeys } from './collection-keys.js';

/** Every key of every collection of every namespace: where the commit feed reports collection writes. */
export const COLLECTIONS_KEY_RANGE: {
  /** The first key of the range, included. */
  readonly gte: Buffer;
  /** The end of the range, excluded. */
  readonly lt: Buffer;
} = keyRange(['vec']);

/**
 * Every stored collection of every namespace, by namespace then name, read from its config key
 * alone: one seek per namespace (its documents, vectors and graph are skipped, not read), then one
 * key per collection. Nothing is opened or loaded.
 */
export async function listStoredCollections(reader: KeyValueReader): Promise<CollectionRef[]> {
  const refs: CollectionRef[] = [];
  let from = COLLECTIONS_KEY_RANGE.gte;
  for (;;) {
    let namespace: string | undefined;
    for await (const [key] of reader.iterator({ gte: from, lt: COLLECTIONS_KEY_RANGE.lt, limit: 1 })) namespace = String(decodeKey(key)[1]);
    if (namespace === undefined) return refs;
    for await (const [key] of reader.iterator(CollectionKeys.configs(namespace))) refs.push({ namespace, name: String(decodeKey(key)[3]) });
    from = CollectionKeys.namespace(namespace).lt;
  }
}

/**
 * The committed documents of a stored collection (what `Collection.count()` reports), counted
 * from its document records without opening it: O(documents) records read and dropped at once,
 * so the memory used does not grow with the collection (its vectors and graph are not read).
 * A collection that does not exist counts 0.
 */
export async function countStoredDocuments(reader: KeyValueReader, ref: CollectionRef): Promise<number> {
  const keys = new CollectionKeys(requireBoundedName(ref?.namespace, 'namespace'), requireBoundedName(ref.name, 'name'));
  let count = 0;
  for await (const _ of reader.iterator(keys.range('m'))) count++;
  return count;
}

/** The collection a stored key belongs to (its config or its data), or `undefined` for any other key. */
export function collectionOfKey(key: Uint8Array): CollectionRef | undefined {
  if (compareBytes(key, COLLECTIONS_KEY_RANGE.gte) < 0 || compareBytes(key, COLLECTIONS_KEY_RANGE.lt) >= 0) return undefined;
  const [, namespace, kind, name] = decodeKey(key);
  if (typeof namespace !== 'string' || (kind !== 'c' && kind !== 'd') || typeof name !== 'string') return undefined;
  return { namespace, name };
}
