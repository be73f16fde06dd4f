import { ValidationError } from '@sochdb/core';
import type {
  CollectionConfig,
  CollectionDocument,
  CollectionInfo,
  DocumentInput,
  FilterStrategy,
  MetadataFilter,
  Metric,
  SearchRequest,
  SearchResult,
  Stemming,
  StopWords,
  TextAnalysis,
  TextAnalysisOptions,
  VectorLike,
} from '@sochdb/vector';
import type { CollectionInfo as WireCollectionInfo, CollectionInfo__Output } from './generated/sochdb/v1/CollectionInfo.js';
import type { CreateCollectionRequest, CreateCollectionRequest__Output } from './generated/sochdb/v1/CreateCollectionRequest.js';
import type { Document, Document__Output } from './generated/sochdb/v1/Document.js';
import type { DocumentInput as WireDocumentInput, DocumentInput__Output } from './generated/sochdb/v1/DocumentInput.js';
import type { Metric__Output } from './generated/sochdb/v1/Metric.js';
import type { SearchHit, SearchHit__Output } from './generated/sochdb/v1/SearchHit.js';
import type { SearchRequest as WireSearchRequest, SearchRequest__Output } from './generated/sochdb/v1/SearchRequest.js';
import type { TextAnalysis as WireTextAnalysis, TextAnalysis__Output } from './generated/sochdb/v1/TextAnalysis.js';
import { parseJsonObject, toJsonText } from './wire-json.js';

// Collections, documents and searches on the wire, both ways. The embedded Collection validates
// what arrives on the server; the client checks only what the wire format cannot carry.

const METRIC_TO_WIRE: Readonly<Record<Metric, Metric__Output>> = { cosine: 'COSINE', euclidean: 'EUCLIDEAN', dot_product: 'DOT_PRODUCT' };

/**
 * A collection's metric as the wire enum; `undefined` becomes `METRIC_UNSPECIFIED` (the server's
 * default). Anything else but the three metrics is a ValidationError.
 */
export function metricToWire(metric: Metric | undefined): Metric__Output {
  if (metric === undefined) return 'METRIC_UNSPECIFIED';
  const wire = METRIC_TO_WIRE[metric];
  if (wire === undefined) throw new ValidationError(`metric must be one of cosine, euclidean, dot_product, got ${JSON.stringify(metric)}`, { field: 'metric' });
  return wire;
}

/** The wire enum as a metric; `undefined` for `METRIC_UNSPECIFIED` (or a value this version does not know). */
export function metricFromWire(metric: Metric__Output): Metric | undefined {
  if (metric === 'METRIC_UNSPECIFIED') return undefined;
  return (Object.keys(METRIC_TO_WIRE) as Metric[]).find((m) => METRIC_TO_WIRE[m] === metric);
}

/** A vector as the wire's `repeated float`. */
export function vectorToWire(vector: VectorLike | undefined, field: string): number[] {
  if (vector === undefined) return [];
  if (!Array.isArray(vector) && !(vector instanceof Float32Array) && !(vector instanceof Float64Array)) {
    throw new ValidationError(`${field} must be an array of numbers or a Float32Array`, { field });
  }
  const out = Array.from(vector as ArrayLike<number>);
  const bad = out.findIndex((x) => typeof x !== 'number');
  if (bad >= 0) throw new ValidationError(`${field}[${bad}] must be a number, got ${typeof out[bad]}`, { field: `${field}[${bad}]` });
  return out;
}

/**
 * A CreateCollection request; options left out are sent as 0 (`METRIC_UNSPECIFIED` for the metric),
 * which the server reads as "use the default". A config that is not an object is a ValidationError.
 */
export function createCollectionToWire(namespace: string, config: CollectionConfig): CreateCollectionRequest {
  if (config === null || typeof config !== 'object')
    throw new ValidationError("createCollection needs a config such as { name: 'documents', dimension: 384 }", { field: 'config' });
  return {
    namespace,
    name: config.name,
    dimension: config.dimension ?? 0,
    metric: metricToWire(config.metric),
    m: config.m ?? 0,
    efConstruction: config.efConstruction ?? 0,
    efSearch: config.efSearch ?? 0,
    existOk: config.existOk === true,
    ...(config.text === undefined || config.text === null ? {} : { text: textToWire(config.text) }),
  };
}

/**
 * Text-analysis options for the wire: a setting left out is sent as `''` (the server then leaves
 * it out too, so `existOk` does not compare it), a custom stop word list as `stopWordList`. Values
 * are checked by the server; only their types here, so that a bad one is a ValidationError rather
 * than a serialization failure.
 */
function textToWire(text: TextAnalysisOptions): WireTextAnalysis {
  if (typeof text !== 'object') throw new ValidationError('text must be an object { stemming?, stopWords? }', { field: 'text' });
  const { stemming, stopWords } = text;
  if (stemming !== undefined && typeof stemming !== 'string')
    throw new ValidationError(`text.stemming must be a string, got ${typeof stemming}`, { field: 'text.stemming' });
  if (stopWords !== undefined && typeof stopWords !== 'string' && !(Array.isArray(stopWords) && stopWords.every((w) => typeof w === 'string'))) {
    throw new ValidationError("text.stopWords must be 'none', 'english' or an array of words", { field: 'text.stopWords' });
  }
  return {
    stemming: stemming ?? '',
    stopWords: typeof stopWords === 'string' ? stopWords : '',
    stopWordList: typeof stopWords === 'string' || stopWords === undefined ? [] : [...stopWords],
  };
}

/** The server side of {@link textToWire}: the options given, `''` settings left out. */
function textFromWire(text: TextAnalysis__Output): TextAnalysisOptions {
  const stopWords: StopWords | undefined = text.stopWordList.length > 0 ? text.stopWordList : text.stopWords === '' ? undefined : (text.stopWords as StopWords);
  return { ...(text.stemming === '' ? {} : { stemming: text.stemming as Stemming }), ...(stopWords === undefined ? {} : { stopWords }) };
}

/** A collection's resolved text analysis from the wire (absent: none, as for a collection stored before it existed). */
function textAnalysisFromWire(text: TextAnalysis__Output | null): TextAnalysis {
  const given = text === null ? {} : textFromWire(text);
  return { stemming: given.stemming ?? 'none', stopWords: given.stopWords ?? 'none' };
}

/** The server side of {@link createCollectionToWire}: the config with every 0 field left out, so the embedded Collection applies its defaults. */
export function createCollectionFromWire(request: CreateCollectionRequest__Output): CollectionConfig {
  const metric = metricFromWire(request.metric);
  return {
    name: request.name,
    ...(request.dimension === 0 ? {} : { dimension: request.dimension }),
    ...(metric === undefined ? {} : { metric }),
    ...(request.m === 0 ? {} : { m: request.m }),
    ...(request.efConstruction === 0 ? {} : { efConstruction: request.efConstruction }),
    ...(request.efSearch === 0 ? {} : { efSearch: request.efSearch }),
    ...(request.existOk ? { existOk: true } : {}),
    ...(request.text === null ? {} : { text: textFromWire(request.text) }),
  };
}

/** A collection's description for the wire; a `null` dimension (not fixed yet) is sent as 0. */
export function collectionInfoToWire(info: CollectionInfo): WireCollectionInfo {
  const { text, ...rest } = info;
  return { ...rest, dimension: info.dimension ?? 0, metric: metricToWire(info.metric), ...(text === undefined ? {} : { text: textToWire(text) }) };
}

/** A collection's description from the wire: dimension 0 becomes `null`, an unspecified metric `'cosine'`. */
export function collectionInfoFromWire(info: CollectionInfo__Output): CollectionInfo {
  return {
    ...info,
    dimension: info.dimension === 0 ? null : info.dimension,
    metric: metricFromWire(info.metric) ?? 'cosine',
    text: textAnalysisFromWire(info.text),
  };
}

/**
 * A document to insert, metadata as JSON text and a missing id as `''` (the server assigns one).
 * ValidationError (naming `field`) for a non-object, a vector that is not numbers, or metadata JSON cannot hold.
 */
export function documentInputToWire(doc: DocumentInput, field = 'document'): WireDocumentInput {
  if (doc === null || typeof doc !== 'object') throw new ValidationError(`${field} must be an object { vector, metadata?, id?, content? }`, { field });
  return {
    id: doc.id ?? '',
    vector: vectorToWire(doc.vector, `${field}.vector`),
    metadataJson: toJsonText(doc.metadata, `${field}.metadata`),
    ...(doc.content === undefined ? {} : { content: doc.content }),
  };
}

/** The server side of {@link documentInputToWire}; malformed metadata JSON, or metadata that is not an object, is a ValidationError naming `field`. */
export function documentInputFromWire(doc: DocumentInput__Output, field: string): DocumentInput {
  const metadata = parseJsonObject(doc.metadataJson, `${field}.metadata`);
  return {
    vector: doc.vector,
    ...(doc.id === '' ? {} : { id: doc.id }),
    ...(metadata === undefined ? {} : { metadata }),
    ...(doc.content === undefined ? {} : { content: doc.content }),
  };
}

/** A stored document for a reply, metadata as JSON text. */
export function documentToWire(doc: CollectionDocument): Document {
  return { id: doc.id, vector: doc.vector, metadataJson: toJsonText(doc.metadata, 'metadata'), ...(doc.content === undefined ? {} : { content: doc.content }) };
}

/** A stored document from a reply; absent metadata becomes `{}`. */
export function documentFromWire(doc: Document__Output): CollectionDocument {
  return {
    id: doc.id,
    vector: doc.vector,
    metadata: parseJsonObject(doc.metadataJson, 'metadata') ?? {},
    ...(doc.content === undefined ? {} : { content: doc.content }),
  };
}

/** Everything a search takes over the wire, with the collection it runs on. */
export interface RemoteSearchRequest extends SearchRequest {
  /** The namespace holding the collection. */
  readonly namespace: string;
  /** The collection to search, by name. */
  readonly collection: string;
}

/**
 * A Search request. Unset fields travel as the wire's "not given" (`[]`, `''`, 0); a non-number
 * option, a `k` that is not a positive uint32 or an unserializable filter is a ValidationError
 * before anything is sent.
 */
export function searchToWire(request: RemoteSearchRequest): WireSearchRequest {
  if (request === null || typeof request !== 'object')
    throw new ValidationError('search needs { namespace, collection, vector?, textQuery?, k }', { field: 'request' });
  const optional = { alpha: request.alpha, minScore: request.minScore, efSearch: request.efSearch, rrfK: request.rrfK, candidates: request.candidates };
  for (const [field, value] of Object.entries(optional)) {
    if (value !== undefined && typeof value !== 'number') throw new ValidationError(`${field} must be a number`, { field });
  }
  return {
    namespace: request.namespace,
    collection: request.collection,
    vector: vectorToWire(request.vector, 'vector'),
    textQuery: request.textQuery ?? '',
    k: checkK(request.k),
    filterJson: toJsonText(request.filter, 'filter'),
    ...Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== undefined)),
    ...(request.filterStrategy === undefined ? {} : { filterStrategy: checkFilterStrategy(request.filterStrategy) }),
  };
}

/** A filter strategy's type, checked before sending (its value is the server's to check). */
function checkFilterStrategy(strategy: unknown): string {
  if (typeof strategy !== 'string')
    throw new ValidationError(`filterStrategy must be 'auto', 'graph' or 'exact', got ${typeof strategy}`, { field: 'filterStrategy' });
  return strategy;
}

/** The server side of {@link searchToWire}: the search without its namespace and collection, "not given" fields left out; a malformed filter is a ValidationError. */
export function searchFromWire(request: SearchRequest__Output): SearchRequest {
  const filter = parseJsonObject(request.filterJson, 'filter') as MetadataFilter | undefined;
  const optional = { alpha: request.alpha, minScore: request.minScore, efSearch: request.efSearch, rrfK: request.rrfK, candidates: request.candidates };
  return {
    ...(request.vector.length === 0 ? {} : { vector: request.vector }),
    ...(request.textQuery === '' ? {} : { textQuery: request.textQuery }),
    ...(request.k === 0 ? {} : { k: request.k }),
    ...(filter === undefined ? {} : { filter }),
    ...Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== undefined)),
    ...(request.filterStrategy === undefined ? {} : { filterStrategy: request.filterStrategy as FilterStrategy }),
  };
}

/** `k` as the wire's uint32 (0 = the default 10); refuses what the uint32 would silently mangle. */
export function checkK(k: unknown): number {
  if (k === undefined) return 0;
  if (typeof k !== 'number' || !Number.isInteger(k) || k < 1 || k > 0xffff_ffff) {
    throw new ValidationError(`k must be a positive integer, got ${JSON.stringify(k)}`, { field: 'k', remediation: 'Pass k: 10, for example.' });
  }
  return k;
}

/** A search result for a reply, metadata as JSON text. */
export function hitToWire(hit: SearchResult): SearchHit {
  return {
    id: hit.id,
    score: hit.score,
    metadataJson: toJsonText(hit.metadata, 'metadata'),
    ...(hit.distance === undefined ? {} : { distance: hit.distance }),
    ...(hit.content === undefined ? {} : { content: hit.content }),
  };
}

/** A search result from a reply; absent metadata becomes `{}`. */
export function hitFromWire(hit: SearchHit__Output): SearchResult {
  return {
    id: hit.id,
    score: hit.score,
    metadata: parseJsonObject(hit.metadataJson, 'metadata') ?? {},
    ...(hit.distance === undefined ? {} : { distance: hit.distance }),
    ...(hit.content === undefined ? {} : { content: hit.content }),
  };
}
