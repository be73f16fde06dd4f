// The semantic cache: JSON values looked up by vector similarity, on an HNSW collection.
export { SemanticCache } from './semantic-cache.js';
export type { SemanticCacheEntry, SemanticCacheHit, SemanticCacheStats } from './types.js';
export type { SemanticCacheOptions, SemanticCachePutOptions } from './options.js';
export type { CacheValue, CacheVector } from './entry.js';
export { SEMANTIC_CACHE_COLLECTION_PREFIX } from './keys.js';
