import { Collection } from '@sochdb/vector';
import { CollectionExistsError, ValidationError, type Storage } from '@sochdb/core';
import type { SemanticCacheKeys } from './keys.js';
import type { ResolvedCacheOptions } from './options.js';

/** The cache's marker, written before its collection is created (see `openCacheCollection`). */
interface CacheMeta {
  readonly version: 1;
  readonly dimension: number;
  readonly metric: 'cosine';
  readonly createdAt: number;
}

/**
 * Opens (creating on first use) the collection holding a cache's vectors. The marker is written
 * first, in a transaction, so:
 * - a collection of the reserved name without a marker was made by someone else: refused with
 *   CollectionExistsError rather than adopted (its documents have no entries);
 * - a marker without its collection is a first open interrupted before the create, or a cache
 *   whose collection was dropped (the SDK's deleteNamespace or deleteCollection): the entries
 *   left beside it are orphans, cleared before the collection is created again;
 * - two processes opening a new cache at once agree (the marker's transaction, then the
 *   collection's `existOk` create, are both race-safe).
 */
export async function openCacheCollection(storage: Storage, keys: SemanticCacheKeys, options: ResolvedCacheOptions): Promise<Collection> {
  const ref = { namespace: keys.namespace, name: keys.collection };
  const meta = await storage.transaction(
    async (txn) => {
      const raw = await txn.get(keys.meta);
      if (raw !== undefined) return JSON.parse(raw.toString('utf8')) as CacheMeta;
      if (await Collection.exists(txn, ref)) {
        throw new CollectionExistsError(`collection '${keys.collection}' in namespace '${keys.namespace}' exists and is not a semantic cache`, {
          remediation: `Names starting with '__semcache:' are reserved for semantic caches: rename that collection, or give the cache another name.`,
        });
      }
      const created: CacheMeta = { version: 1, dimension: options.dimension, metric: 'cosine', createdAt: Date.now() };
      await txn.put(keys.meta, JSON.stringify(created));
      return created;
    },
    { retries: 5 },
  );
  if (meta.dimension !== options.dimension) {
    throw new ValidationError(
      `semantic cache '${keys.name}' in namespace '${keys.namespace}' exists with dimension ${meta.dimension}, not ${options.dimension}`,
      {
        field: 'dimension',
        remediation: `Open it with dimension ${meta.dimension}, or use another name for vectors of ${options.dimension}.`,
      },
    );
  }
  if (!(await Collection.exists(storage, ref))) {
    for (const kind of ['e', 'u', 'lru', 'ttl'] as const) await storage.clear(keys.range(kind));
    await storage.del(keys.count);
  }
  return Collection.create(storage, { namespace: keys.namespace, name: keys.collection, dimension: options.dimension, metric: 'cosine', existOk: true });
}
