import { decodeKey, encodeKey, keyRange, type KeyPart } from '@sochdb/core';

/**
 * The prefix of the collection name a semantic cache's HNSW index lives under, in the cache's own
 * namespace: cache `answers` is collection `__semcache:answers`. It shows in `Collection.list`
 * (the SDK's `listCollections`) under that name. Collection names may hold any character but NUL,
 * so no prefix is unreachable by a user who types it on purpose; the cache therefore writes a
 * marker of its own (`SemanticCacheKeys.meta`) before creating its collection, and refuses to
 * adopt a collection of its reserved name that has no marker (see `openCacheCollection`).
 */
export const SEMANTIC_CACHE_COLLECTION_PREFIX = '__semcache:';

/** Longest cache name: the collection name (prefix + name) must fit vector's 256 characters. */
export const MAX_CACHE_NAME_LENGTH = 256 - SEMANTIC_CACHE_COLLECTION_PREFIX.length;

/**
 * Storage layout of a semantic cache, beside its collection (all under the package prefix
 * `semcache`, so nothing here is in vector's key space):
 *   ['semcache', ns, name, 'meta']              { version, dimension, metric, createdAt } (JSON)
 *   ['semcache', ns, name, 'n']                 how many entries are stored, expired ones included (text)
 *   ['semcache', ns, name, 'e', key]            the entry: { c, x, g, v } (see entry.ts)
 *   ['semcache', ns, name, 'u', key]            when the entry was last used (ms, a JSON number)
 *   ['semcache', ns, name, 'lru', usedAt, key]  '' — the entries by last use, oldest first
 *   ['semcache', ns, name, 'ttl', expiresAt, key] '' — the expiring entries by expiry, soonest first
 * The entry's vector is the collection's document `key` (metadata `{ x, g }`: numbers only, so the
 * collection's BM25 index gets no text). Values live here and not in the document's metadata:
 * an open collection keeps every document's metadata in memory, and cached values (LLM answers)
 * are kilobytes each. The last-use time is its own small key so a hit never rewrites the entry
 * or its vector; `lru` and `ttl` are ordered indexes, so eviction and expiry read only the few
 * keys they remove instead of scanning every entry.
 */
export class SemanticCacheKeys {
  readonly #base: readonly KeyPart[];
  /** The name of the collection holding the cache's vectors. */
  readonly collection: string;

  constructor(
    readonly namespace: string,
    readonly name: string,
  ) {
    this.#base = ['semcache', namespace, name];
    this.collection = SEMANTIC_CACHE_COLLECTION_PREFIX + name;
  }

  /** Every key of every cache of a namespace (what deleting the namespace must clear). */
  static namespace(namespace: string): { gte: Buffer; lt: Buffer } {
    return keyRange(['semcache', namespace]);
  }

  get meta(): Buffer {
    return encodeKey([...this.#base, 'meta']);
  }
  /**
   * The number of entries. Every put writes it (even when it does not change), so two puts at the
   * same moment conflict and one retries: the count a put checks `maxEntries` against is exact,
   * in any number of processes, which the lookups' index (updated after each commit) could not give.
   */
  get count(): Buffer {
    return encodeKey([...this.#base, 'n']);
  }
  entry(key: string): Buffer {
    return encodeKey([...this.#base, 'e', key]);
  }
  usedAt(key: string): Buffer {
    return encodeKey([...this.#base, 'u', key]);
  }
  lru(usedAt: number, key: string): Buffer {
    return encodeKey([...this.#base, 'lru', usedAt, key]);
  }
  ttl(expiresAt: number, key: string): Buffer {
    return encodeKey([...this.#base, 'ttl', expiresAt, key]);
  }
  /** The entries' keys (everything but the marker): what `clear` and a stale cache's reset delete. */
  range(kind: 'e' | 'u' | 'lru' | 'ttl'): { gte: Buffer; lt: Buffer } {
    return keyRange([...this.#base, kind]);
  }
  /** The expiring entries whose expiry is at or before `now`, soonest first. */
  expiredBy(now: number): { gte: Buffer; lt: Buffer } {
    return { gte: this.range('ttl').gte, lt: keyRange([...this.#base, 'ttl', now]).lt };
  }
  /** The entry key an `lru` or `ttl` index key names. */
  static keyOf(indexKey: Buffer): string {
    const parts = decodeKey(indexKey);
    return parts[parts.length - 1] as string;
  }
}
