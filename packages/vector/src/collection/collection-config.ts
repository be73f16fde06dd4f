import { CollectionConfigError, ValidationError } from '@sochdb/core';
import { requireMetric, type Metric } from '../hnsw/metric.js';
import type { EmbeddingFunction } from './embedding-function.js';
import { requireInteger } from '../shared/validate.js';
import { NO_TEXT_ANALYSIS, resolveTextAnalysis, sameTextAnalysis, type TextAnalysis, type TextAnalysisOptions } from '../text/analyzer.js';

/** The settings `Collection.create` takes (with a `namespace`); invalid ones are a CollectionConfigError. */
export interface CollectionConfig {
  /** 1–256 characters, no NUL; unique within the namespace. */
  readonly name: string;
  /** Omit to take it from the first vector inserted. */
  readonly dimension?: number;
  /** Default `cosine`. */
  readonly metric?: Metric;
  /** HNSW graph degree, default 16. */
  readonly m?: number;
  /** Default 100. */
  readonly efConstruction?: number;
  /** Default search breadth, default 64. */
  readonly efSearch?: number;
  /**
   * BM25 text analysis (see `analyze`): `{ stemming: 'english' | 'none', stopWords: 'english' |
   * 'none' | string[] }`, both `'none'` by default. Stored with the collection and fixed at
   * creation: documents and queries are always analysed alike.
   */
  readonly text?: TextAnalysisOptions;
  /**
   * With `true`, creating a collection that exists opens it instead of failing (Chroma's
   * `get_or_create`, LanceDB's `exist_ok`), provided the settings given here match its own;
   * a different dimension, metric, `text.stemming` or `text.stopWords` is a
   * `CollectionConfigError` (a setting not given is not compared). Default false.
   */
  readonly existOk?: boolean;
  /**
   * Embeds documents' `content` when they come without a vector, and `search({ text })` queries
   * (see `EmbeddingFunction`). Not stored with the collection: pass it again when opening.
   */
  readonly embed?: EmbeddingFunction;
  /** As `OpenCollectionOptions.vectorCacheMB`. Not stored with the collection. */
  readonly vectorCacheMB?: number;
  /** As `OpenCollectionOptions.postingsCacheMB`. Not stored with the collection. */
  readonly postingsCacheMB?: number;
}

/** What `Collection.open` takes besides the storage and the collection's name. */
export interface OpenCollectionOptions {
  /** Embeds documents and `search({ text })` queries, as `CollectionConfig.embed`. */
  readonly embed?: EmbeddingFunction;
  /**
   * Megabytes of vectors kept from exact scans (filtered searches over few matches), least
   * recently used dropped first; default 32, 0 keeps none. The graph holds no JS copy of the
   * vectors on LevelDB or memory storage, so a scan reads each matching vector from storage
   * unless it is here (see `Collection.stats()`).
   */
  readonly vectorCacheMB?: number;
  /**
   * Megabytes of BM25 postings kept from keyword queries (the buckets they read from storage),
   * least recently used dropped first; default 32, 0 for none (every query then reads storage).
   * See `Collection.stats()`.
   */
  readonly postingsCacheMB?: number;
}

/** Where a collection lives: its namespace and name within one Storage. */
export interface CollectionRef {
  /** 1–256 characters, no NUL. */
  readonly namespace: string;
  /** 1–256 characters, no NUL. */
  readonly name: string;
}

/** A collection's settings as persisted. */
export interface CollectionInfo {
  /** The namespace it belongs to. */
  readonly namespace: string;
  /** Its name within the namespace. */
  readonly name: string;
  /** null until the first vector fixes it. */
  readonly dimension: number | null;
  /** The distance its vector search uses; fixed at creation. */
  readonly metric: Metric;
  /** HNSW graph degree (hnswlib `M`). */
  readonly m: number;
  /** HNSW candidate list size while inserting. */
  readonly efConstruction: number;
  /** Default HNSW candidate list size of a search (`SearchRequest.efSearch` overrides it). */
  readonly efSearch: number;
  /**
   * BM25 text analysis, fixed at creation. A collection stored before this setting existed reads
   * as `{ stemming: 'none', stopWords: 'none' }`.
   */
  readonly text?: TextAnalysis;
  /** Milliseconds since the epoch. */
  readonly createdAt: number;
}

/** A namespace or collection name: a non-empty string of at most 256 characters without NUL (stricter than core's requireName). */
export function requireBoundedName(name: unknown, field: string): string {
  if (typeof name !== 'string' || name.length === 0 || name.length > 256 || name.includes('\0')) {
    throw new ValidationError(`${field} must be a non-empty string of at most 256 characters without NUL, got ${JSON.stringify(name)}`, {
      field,
      remediation: `Pass a ${field} such as 'documents'.`,
    });
  }
  return name;
}

export function resolveConfig(namespace: string, config: CollectionConfig): CollectionInfo {
  if (config === null || typeof config !== 'object') {
    throw new CollectionConfigError('collection config must be an object with a name', { remediation: "Pass { name: 'documents', dimension: 384 }." });
  }
  // A bad setting is a configuration problem of the collection: say so with 4003, keep the field.
  return asConfigError(() => ({
    namespace: requireBoundedName(namespace, 'namespace'),
    name: requireBoundedName(config.name, 'name'),
    dimension: config.dimension === undefined || config.dimension === null ? null : requireInteger(config.dimension, 'dimension', 1, 65_536),
    ...graphSettings({ metric: 'cosine', m: 16, efConstruction: 100, efSearch: 64 }, config),
    text: resolveTextAnalysis(config.text),
    createdAt: Date.now(),
  }));
}

/** The settings of a collection's HNSW graph: what `Collection.reindex` may change. */
export interface GraphSettings {
  /** The distance vector search uses. */
  readonly metric: Metric;
  /** HNSW graph degree (hnswlib `M`), 2–512. */
  readonly m: number;
  /** HNSW candidate list size while inserting, 1–100,000. */
  readonly efConstruction: number;
  /** Default HNSW candidate list size of a search, 1–100,000. */
  readonly efSearch: number;
}

/** `base` with the graph settings `given` changes, each checked. */
function graphSettings(base: GraphSettings, given: Partial<GraphSettings>): GraphSettings {
  return {
    metric: requireMetric(given.metric ?? base.metric),
    m: requireInteger(given.m ?? base.m, 'm', 2, 512),
    efConstruction: requireInteger(given.efConstruction ?? base.efConstruction, 'efConstruction', 1, 100_000),
    efSearch: requireInteger(given.efSearch ?? base.efSearch, 'efSearch', 1, 100_000),
  };
}

/** A collection's settings with its graph settings changed (see `Collection.reindex`); bad ones are a CollectionConfigError. */
export function reindexedInfo(info: CollectionInfo, given: Partial<GraphSettings>): CollectionInfo {
  if (given === null || typeof given !== 'object') {
    throw new CollectionConfigError('reindex needs an object of settings { metric?, m?, efConstruction?, efSearch? }', {
      remediation: "Pass the settings to change, like { m: 32, efConstruction: 200 } or { metric: 'euclidean' }.",
    });
  }
  return { ...info, ...asConfigError(() => graphSettings(info, given)) };
}

/**
 * An existing collection's settings, when those given to `create({ existOk })` agree with them
 * (a dimension, metric, `text.stemming` or `text.stopWords` given must be the collection's); else
 * a CollectionConfigError.
 */
export function requireSameSettings(stored: CollectionInfo, given: CollectionConfig): CollectionInfo {
  const differs = (what: string, mine: unknown, theirs: unknown) =>
    new CollectionConfigError(`collection '${stored.name}' exists with ${what} ${String(theirs)}, not ${String(mine)}`, {
      remediation: `Open it with its own ${what}, or use another name.`,
    });
  if (given.dimension !== undefined && given.dimension !== null && stored.dimension !== null && given.dimension !== stored.dimension) {
    throw differs('dimension', given.dimension, stored.dimension);
  }
  if (given.metric !== undefined && given.metric !== stored.metric) throw differs('metric', given.metric, stored.metric);
  if (given.text !== undefined && given.text !== null) {
    const mine = asConfigError(() => resolveTextAnalysis(given.text));
    const theirs = textAnalysisOf(stored);
    const { stemming, stopWords } = given.text;
    if (stemming !== undefined && mine.stemming !== theirs.stemming) throw differs('text.stemming', `'${mine.stemming}'`, `'${theirs.stemming}'`);
    if (stopWords !== undefined && !sameTextAnalysis({ ...theirs, stopWords: mine.stopWords }, theirs)) {
      throw differs('text.stopWords', JSON.stringify(mine.stopWords), JSON.stringify(theirs.stopWords));
    }
  }
  return stored;
}

/** A collection's text analysis: `'none'`/`'none'` for one stored before the option existed. */
export function textAnalysisOf(info: CollectionInfo): TextAnalysis {
  return info.text ?? NO_TEXT_ANALYSIS;
}

/** A collection's settings as read from storage, with the defaults of settings added since it was stored. */
export function storedInfo(raw: Buffer): CollectionInfo {
  const info = JSON.parse(raw.toString('utf8')) as CollectionInfo;
  return info.text === undefined ? { ...info, text: NO_TEXT_ANALYSIS } : info;
}

/** Runs a check, turning its ValidationError into a CollectionConfigError (4003) with it as the cause. */
function asConfigError<T>(resolve: () => T): T {
  try {
    return resolve();
  } catch (error) {
    if (error instanceof ValidationError) {
      throw new CollectionConfigError(`invalid collection config: ${error.message}`, {
        cause: error,
        ...(error.remediation ? { remediation: error.remediation } : {}),
      });
    }
    throw error;
  }
}
