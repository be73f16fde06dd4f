import { CollectionConfigError, CollectionNotFoundError, deleteRange, type KeyValueStore } from '@sochdb/core';
import { reindexedInfo, storedInfo, type CollectionInfo, type GraphSettings } from './collection-config.js';
import type { CollectionKeys } from './collection-keys.js';
import { storedVector } from './documents.js';

/**
 * Writes a collection's new graph settings and drops its saved graph, in the caller's
 * transaction: every open collection (this process's and others') reloads on the config change
 * and rebuilds its graph from the stored vectors, which never change (they are stored as given,
 * whatever the metric), so no document is lost or rewritten.
 */
export async function writeReindex(store: KeyValueStore, keys: CollectionKeys, settings: Partial<GraphSettings>): Promise<CollectionInfo> {
  const raw = await store.get(keys.config);
  if (!raw) throw new CollectionNotFoundError(`collection '${keys.name}' in namespace '${keys.namespace}' was dropped`, { remediation: 'Create it again.' });
  const current = storedInfo(raw);
  const next = reindexedInfo(current, settings);
  if (next.metric === 'cosine' && current.metric !== 'cosine') await requireNoZeroVector(store, keys);
  await store.put(keys.config, JSON.stringify(next));
  await deleteRange(store, keys.range('g'));
  return next;
}

/** Cosine distance is undefined for an all-zero vector, which other metrics accept. */
async function requireNoZeroVector(store: KeyValueStore, keys: CollectionKeys): Promise<void> {
  for await (const [key, bytes] of store.iterator(keys.range('v'))) {
    if (storedVector(bytes).every((x) => x === 0)) {
      throw new CollectionConfigError(`document '${keys.idOf(key)}' has an all-zero vector, which metric 'cosine' cannot rank`, {
        remediation: 'Delete or update that document first, or keep a metric that accepts it.',
      });
    }
  }
}
