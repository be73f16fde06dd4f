import { SemanticCache, type SemanticCacheOptions } from '@sochdb/context';
import { ValidationError, type Storage, type Transaction } from '@sochdb/core';

/** `db.semanticCache(name, options)`: the cache's settings, and its namespace (default `default`). */
export type DatabaseSemanticCacheOptions = Omit<SemanticCacheOptions, 'name' | 'namespace'> & {
  /** The namespace the cache belongs to (default `default`); caches never see another namespace's entries. */
  readonly namespace?: string;
};

/** The namespace of `db.semanticCache` when none is given. */
export const DEFAULT_CACHE_NAMESPACE = 'default';

const SETTINGS = ['dimension', 'threshold', 'ttlMs', 'maxEntries', 'efSearch'] as const;

/**
 * One SemanticCache object per cache and database (each loads its index), closed with the
 * database and dropped with its namespace.
 */
export class SemanticCaches {
  readonly #caches = new Map<string, SemanticCache>();

  constructor(private readonly storage: Storage) {}

  /** The open cache `name`, or a new one; ValidationError when it is open with other settings. */
  get(name: string, options: DatabaseSemanticCacheOptions): SemanticCache {
    const namespace = options?.namespace ?? DEFAULT_CACHE_NAMESPACE;
    const fresh = new SemanticCache(this.storage, { ...options, namespace, name });
    const key = `${namespace}\0${name}`;
    const open = this.#caches.get(key);
    if (open !== undefined && !open.closed) {
      const differs = SETTINGS.filter((setting) => open[setting] !== fresh[setting]);
      if (differs.length > 0) {
        throw new ValidationError(`semantic cache '${name}' of namespace '${namespace}' is already open with another ${differs.join(', ')}`, {
          field: differs[0]!,
          remediation: 'Use the open cache as it is, or close() it first to open it with other settings.',
        });
      }
      return open;
    }
    this.#caches.set(key, fresh);
    return fresh;
  }

  /**
   * Closes the open caches of `namespace`, before its deletion begins: closing writes their
   * pending use times, which the deleting transaction must already see (or it would conflict).
   */
  async closeNamespace(namespace: string): Promise<void> {
    for (const [key, cache] of this.#caches) {
      if (cache.namespace !== namespace) continue;
      await cache.close();
      this.#caches.delete(key);
    }
  }

  /** Deletes every cache of `namespace` (entries and collections) in `txn`, beside the namespace's other data. */
  async dropNamespace(namespace: string, txn: Transaction): Promise<void> {
    await SemanticCache.dropNamespace(this.storage, namespace, { txn });
  }

  /** Closes every open cache (the database is closing). */
  async closeAll(): Promise<void> {
    for (const cache of this.#caches.values()) await cache.close();
    this.#caches.clear();
  }
}
