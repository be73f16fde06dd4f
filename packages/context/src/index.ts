// @sochdb/context — the AI layer: a context builder that fetches real data into a token budget,
// and a semantic cache on HNSW.

// The context builder: sections of live data, fitted to a token budget in one snapshot.
export { ContextBuilder } from './builder/context-builder.js';
export type { ContextSources } from './builder/sources.js';
export type {
  ContextFormat,
  ContextOptions,
  ContextResult,
  GraphSource,
  SearchSource,
  SectionOptions,
  SectionReport,
  SectionSource,
  SectionSpec,
  TemporalSource,
  TruncationStrategy,
} from './builder/types.js';
export { tokenCounter, type TokenCounter, type TokenizerName } from './builder/tokenizer.js';

// Agent memory: episodes searched within a thread, and facts as temporal edges.
export { AgentMemory, DEFAULT_MEMORY_NAME, factNamespaceOf, type AgentMemoryOptions, type AgentMemoryParts } from './memory/agent-memory.js';
export type { Episode, EpisodeInput, Fact, FactInput, MemoryTime, RecallQuery, Recollection } from './memory/types.js';

// The semantic cache: JSON values looked up by vector similarity, on an HNSW collection.
export {
  SemanticCache,
  SEMANTIC_CACHE_COLLECTION_PREFIX,
  type SemanticCacheOptions,
  type SemanticCachePutOptions,
  type SemanticCacheEntry,
  type SemanticCacheHit,
  type SemanticCacheStats,
  type CacheValue,
  type CacheVector,
} from './semantic-cache/index.js';

// Errors thrown here, re-exported for convenience.
export { ValidationError } from '@sochdb/core';
