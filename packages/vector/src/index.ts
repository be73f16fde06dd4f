// @sochdb/vector — HNSW vector search, collections with metadata filters, BM25 and hybrid ranking.

// Native HNSW index (hnswlib-node) with string ids.
export { VectorIndex, type VectorIndexOptions, type IndexSearchOptions, type Neighbor, type RestoreOptions } from './hnsw/vector-index.js';
export { METRICS, scoreOf, type Metric } from './hnsw/metric.js';
export type { VectorLike } from './shared/validate.js';

// Collections: documents persisted in a Storage, searchable by vector, keyword or both.
export {
  Collection,
  type BatchInput,
  type CollectionDocument,
  type CollectionStats,
  type DeleteSelection,
  type GetQuery,
  type SearchResult,
  type WriteOptions,
} from './collection/collection.js';
export type { DocumentPatch } from './collection/collection-write.js';
export type { EmbeddingFunction } from './collection/embedding-function.js';
export {
  requireSameSettings,
  type CollectionConfig,
  type CollectionInfo,
  type CollectionRef,
  type GraphSettings,
  type OpenCollectionOptions,
} from './collection/collection-config.js';
export { DEFAULT_POSTINGS_CACHE_MB, DEFAULT_VECTOR_CACHE_MB, type CacheStats, type VectorCacheStats } from './collection/vector-cache.js';
export type { DocumentInput } from './collection/collection-write.js';
export type { SearchRequest, SearchHit, FilterStrategy } from './collection/collection-search.js';
// Sizes of stored collections read without opening them (monitoring).
export { COLLECTIONS_KEY_RANGE, collectionOfKey, countStoredDocuments, listStoredCollections } from './collection/stored-collections.js';
export {
  compileFilter,
  type FieldOperators,
  type FilterValue,
  type JsonValue,
  type Metadata,
  type MetadataFilter,
  type MetadataPredicate,
} from './metadata/filter.js';

// Keyword ranking and fusion.
export { Bm25Index, type Bm25Options, type KeywordHit } from './text/bm25.js';
export { tokenize } from './text/tokenizer.js';
export { analyze, type Stemming, type StopWords, type TextAnalysis, type TextAnalysisOptions } from './text/analyzer.js';
export { groupPostings, type GroupedPostings } from './text/grouped-postings.js';
export { rrfFuse, type RankedList, type FusedHit } from './text/rrf.js';

// Bulk building and querying, and the vector file formats they read.
export {
  bulkBuildIndex,
  bulkQueryIndex,
  bulkInfo,
  type BulkInput,
  type BulkBuildOptions,
  type BulkBuildStats,
  type BulkProgress,
  type BulkQueryOptions,
  type BulkIndexInfo,
} from './bulk/bulk.js';
export { matrixOf, matrixFromRows, rowOf, type VectorMatrix } from './bulk/matrix.js';
export { readNpy, writeNpy, decodeNpy, encodeNpy } from './bulk/npy.js';
export { NpyReader, NpyWriter } from './bulk/npy-stream.js';
export { readRawF32, writeRawF32, decodeRawF32, encodeRawF32, readVectorFile, type VectorFileFormat } from './bulk/raw-f32.js';

// Errors specific to this package (the rest come from @sochdb/core).
export { VectorFileFormatError } from './shared/errors.js';
