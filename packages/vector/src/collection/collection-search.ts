import { ValidationError, type Storage } from '@sochdb/core';
import { entryBatches } from './entry-batches.js';
import type { KeywordHit } from '../text/bm25.js';
import type { CollectionKeys } from './collection-keys.js';
import type { CollectionState } from './collection-state.js';
import { compileFilterOver, type MetadataFilter } from '../metadata/filter.js';
import type { MetadataScan } from '../metadata/label-columns.js';
import type { StoredDoc } from './documents.js';
import { prepareVector, scoreOf } from '../hnsw/metric.js';
import { rrfFuse } from '../text/rrf.js';
import { requireInteger, type VectorLike } from '../shared/validate.js';
import { searchAmongLabels, searchByLabel, type Neighbor } from '../hnsw/vector-index.js';

/** What `Collection.search` takes: `vector` for vector search, `textQuery` for keyword search, both for hybrid. */
export interface SearchRequest {
  /** Query vector: vector search, or the vector half of hybrid search. */
  readonly vector?: VectorLike;
  /** Keyword query: BM25 search, or the keyword half of hybrid search. */
  readonly textQuery?: string;
  /**
   * Text to embed with the collection's embedding function and search as `vector` (Chroma's
   * `query_texts`). Add `textQuery` for a hybrid search. Not with `vector`.
   */
  readonly text?: string;
  /** Default 10. */
  readonly k?: number;
  /** Only documents whose metadata matches are returned; applied inside each ranking, so up to k matching results still come back. */
  readonly filter?: MetadataFilter;
  /** Weight of the vector ranking in hybrid fusion, 0…1, default 0.5. */
  readonly alpha?: number;
  /** Drop results scoring below this. */
  readonly minScore?: number;
  /** Default: the collection's efSearch. */
  readonly efSearch?: number;
  /** RRF constant, default 60. */
  readonly rrfK?: number;
  /** How many results each ranking contributes to hybrid fusion, default max(2k, 50). */
  readonly candidates?: number;
  /**
   * How a filtered vector search runs: `auto` (default) picks by estimated selectivity, `graph`
   * filters inside the HNSW walk (falling back to an exact scan if it finds fewer than k), `exact`
   * scans every matching document.
   */
  readonly filterStrategy?: FilterStrategy;
}

/** How a filtered vector search runs; see `SearchRequest.filterStrategy`. */
export type FilterStrategy = 'auto' | 'graph' | 'exact';

/** One ranked document, before its metadata and content are attached (see `SearchResult`). */
export interface SearchHit {
  /** The document's id. */
  readonly id: string;
  /**
   * Larger is better. Vector search: `cos(a,b)` (cosine), `a·b` (dot_product) or
   * `1/(1+‖a−b‖)` (euclidean). Keyword search: the BM25 score. Hybrid: the fused RRF score.
   */
  readonly score: number;
  /** Vector and hybrid searches: the metric distance, when the document was in the vector ranking. */
  readonly distance?: number;
}

/**
 * A document's vector as the graph keeps it, for exact scans when the graph keeps no copies
 * (undefined: the document is gone, and is skipped).
 */
export type VectorReader = (id: string) => Float32Array | undefined;

/** Where a search reads what stays in storage: postings of its query terms (keyword-index.ts), metadata for filter columns. */
export interface StoredSource {
  readonly storage: Storage;
  readonly keys: CollectionKeys;
}

/**
 * Runs a search over the in-memory state and what stays in storage (postings for keywords, records
 * for a filter column not kept yet); ranking only (metadata/content are added by the caller).
 * `vectorOf` serves exact scans when the graph keeps no vector copies.
 */
export async function rankSearch(state: CollectionState, request: SearchRequest, stored: StoredSource, vectorOf?: VectorReader): Promise<SearchHit[]> {
  if (request === null || typeof request !== 'object')
    throw new ValidationError('search needs a request object { vector?, textQuery?, k }', { field: 'request' });
  const k = requireInteger(request.k ?? 10, 'k', 1, 100_000);
  const { vector, textQuery } = request;
  if (vector === undefined && (textQuery === undefined || textQuery === '')) {
    throw new ValidationError('search needs a vector, a textQuery, or both', {
      field: 'vector',
      remediation: 'Pass { vector } for vector search, { textQuery } for keyword search, or both for hybrid.',
    });
  }
  if (textQuery !== undefined && typeof textQuery !== 'string') throw new ValidationError('textQuery must be a string', { field: 'textQuery' });
  const alpha = request.alpha ?? 0.5;
  if (typeof alpha !== 'number' || !(alpha >= 0 && alpha <= 1))
    throw new ValidationError(`alpha must be between 0 and 1, got ${String(alpha)}`, { field: 'alpha' });
  const minScore = request.minScore;
  if (minScore !== undefined && (typeof minScore !== 'number' || Number.isNaN(minScore)))
    throw new ValidationError('minScore must be a number', { field: 'minScore' });
  const efSearch = request.efSearch ?? state.info.efSearch;
  const hybrid = vector !== undefined && textQuery !== undefined && textQuery !== '';
  const depth = hybrid ? requireInteger(request.candidates ?? Math.max(2 * k, 50), 'candidates', 1, 100_000) : k;

  const strategy = request.filterStrategy ?? 'auto';
  if (!['auto', 'graph', 'exact'].includes(strategy))
    throw new ValidationError(`filterStrategy must be 'auto', 'graph' or 'exact'`, { field: 'filterStrategy' });
  const allowed = request.filter === undefined ? undefined : await labelFilter(state, request.filter, stored);
  const byVector = vector === undefined ? [] : vectorRanking(state, vector, depth, efSearch, allowed, strategy, vectorOf);
  const byKeyword = textQuery === undefined || textQuery === '' ? [] : await keywordRanking(state, stored, textQuery, depth, allowed);
  let hits: SearchHit[];
  if (hybrid) {
    const distance = new Map(byVector.map((n) => [n.id, n.distance]));
    hits = rrfFuse(
      [
        { ids: byVector.map((n) => n.id), weight: alpha },
        { ids: byKeyword.map((h) => h.id), weight: 1 - alpha },
      ],
      { rrfK: request.rrfK ?? 60 },
    )
      .slice(0, k)
      .map((h) => (distance.has(h.id) ? { ...h, distance: distance.get(h.id)! } : h));
  } else if (vector !== undefined) {
    hits = byVector.map((n) => ({ id: n.id, score: scoreOf(state.info.metric, n.distance), distance: n.distance }));
  } else {
    hits = byKeyword;
  }
  return minScore === undefined ? hits : hits.filter((h) => h.score >= minScore);
}

/**
 * Filtered vector search that still returns k hits when k documents match. A sample of the
 * documents estimates how many match: when few do (see EXACT_SCAN_BUDGET), the matches are scanned
 * exactly, which is cheaper than a graph walk that must visit ~ef/selectivity nodes; otherwise the
 * filter runs inside the HNSW search, and if that walk still finds fewer than k (parts of the graph
 * unreachable through matching nodes), the matching documents are scanned exactly instead. Both
 * read the filter's fields from per-field columns by graph label (label-columns.ts).
 */
export function vectorRanking(
  state: CollectionState,
  vector: VectorLike,
  k: number,
  efSearch: number,
  allowed?: (label: number) => boolean,
  strategy: FilterStrategy = 'auto',
  vectorOf?: VectorReader,
): Neighbor[] {
  // Validate even when empty, so a wrong query fails the same way on an empty collection; the
  // checked plain array then goes on to the index, which would otherwise convert it again.
  const query = state.info.dimension === null ? vector : prepareVector(vector, state.info.dimension, state.info.metric, 'vector');
  const index = state.graph();
  if (!index || index.size === 0) return [];
  if (!allowed) return index.search(query, k, { efSearch });
  if (strategy === 'exact') return searchAmongLabels(index, query, k, matchingLabels(state, allowed), vectorOf);
  const estimate = strategy === 'graph' ? Infinity : estimateMatches(state, allowed);
  if (estimate <= 4 * k || estimate * index.dimension <= EXACT_SCAN_BUDGET) return searchAmongLabels(index, query, k, matchingLabels(state, allowed), vectorOf);
  const hits = searchByLabel(index, query, k, efSearch, allowed);
  if (hits.length >= k) return hits;
  const matching = matchingLabels(state, allowed);
  return matching.length > hits.length ? searchAmongLabels(index, query, k, matching, vectorOf) : hits;
}

/**
 * Matches × dimension below which an exact scan beats the filtered graph walk. Measured on 2
 * cores: an exact scan costs ~1.2 ns per component, while the walk costs ~ef/selectivity visits,
 * each a JS filter callback; they cross near 1,000 matches at 768 dimensions (10% of 10k).
 */
const EXACT_SCAN_BUDGET = 1_000_000;
const SAMPLE = 512;

/**
 * The filter over graph labels: true for a label holding a document that matches. It reads the
 * columns of the fields it names (label-columns.ts), filled from the stored records first where
 * missing; a malformed filter is a ValidationError before anything is read.
 */
async function labelFilter(state: CollectionState, filter: MetadataFilter, source: StoredSource): Promise<(label: number) => boolean> {
  const fields = new Set<string>();
  compileFilterOver<number>(filter, (field) => {
    fields.add(field);
    return () => true;
  });
  const columns = await state.labelColumns([...fields], metadataScan(state, source));
  const onLabel = compileFilterOver<number>(filter, (field, test) => {
    const column = columns.get(field)!;
    return (label) => test(column[label]);
  });
  return (label) => state.entryAt(label) !== undefined && onLabel(label);
}

/** Every stored record's metadata, with its document's graph label. */
function metadataScan(state: CollectionState, { storage, keys }: StoredSource): MetadataScan {
  return async (visit) => {
    for await (const batch of entryBatches(storage, keys.range('m'))) {
      for (const [key, record] of batch) visit(state.labelOf(keys.idOf(key)), (JSON.parse(record.toString('utf8')) as StoredDoc).metadata);
    }
  };
}

function estimateMatches(state: CollectionState, allowed: (label: number) => boolean): number {
  const n = state.docs.size;
  if (n <= SAMPLE) return matchingLabels(state, allowed).length;
  // Evenly spaced labels, so the sample spans old and new documents alike; free labels do not count.
  const labels = state.labels;
  let live = 0;
  let hits = 0;
  for (let i = 0; i < SAMPLE; i++) {
    const label = Math.floor((i * labels) / SAMPLE);
    if (state.entryAt(label) === undefined) continue;
    live++;
    if (allowed(label)) hits++;
  }
  return live === 0 ? matchingLabels(state, allowed).length : (hits / live) * n;
}

function matchingLabels(state: CollectionState, allowed: (label: number) => boolean): number[] {
  const labels: number[] = [];
  for (let label = 0; label < state.labels; label++) if (allowed(label)) labels.push(label);
  return labels;
}

/** The k best documents for `text` by BM25, read at one snapshot of the storage. */
export async function keywordRanking(
  state: CollectionState,
  { storage, keys }: StoredSource,
  text: string,
  k: number,
  allowed?: (label: number) => boolean,
): Promise<KeywordHit[]> {
  const snapshot = storage.snapshot();
  try {
    // By graph label, as vector search filters: every document has a vector, so a label once the
    // graph has caught up with the writes applied meanwhile.
    const matches =
      allowed &&
      ((id: string) => {
        state.catchUp();
        const label = state.labelOf(id);
        return label !== undefined && allowed(label);
      });
    return await state.keywords.search(snapshot, keys, text, k, matches);
  } finally {
    await snapshot.close();
  }
}
