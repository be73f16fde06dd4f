import { DimensionMismatchError, ValidationError } from '@sochdb/core';
import { readIndexFileHeader } from '../hnsw/index-file.js';
import { requireMatrix, matrixFromRows, matrixOf, rowOf, type VectorMatrix } from './matrix.js';
import type { Metric } from '../hnsw/metric.js';
import { readVectorFile, type VectorFileFormat } from './raw-f32.js';
import { isArray, requireId, type VectorLike } from '../shared/validate.js';
import { VectorIndex, type Neighbor } from '../hnsw/vector-index.js';

/** Vectors to index: a matrix, rows, a flat `Float32Array` (with `dimension`), or a file path. */
export type BulkInput = VectorMatrix | Float32Array | readonly VectorLike[] | string;

/** What `BulkBuildOptions.onProgress` receives. */
export interface BulkProgress {
  /** Vectors inserted so far. */
  readonly done: number;
  /** Vectors in the input. */
  readonly total: number;
  /** Seconds since the build started, reading the input included. */
  readonly elapsedSeconds: number;
  /** Vectors per second so far. */
  readonly rate: number;
}

/** Options of `bulkBuildIndex`; the HNSW parameters default as in `VectorIndexOptions`. */
export interface BulkBuildOptions {
  /** Where the index file is written (atomically). */
  readonly output: string;
  /** Required for a flat Float32Array or a raw f32 file; checked against other inputs. */
  readonly dimension?: number;
  /** Default `cosine`; saved in the index file. */
  readonly metric?: Metric;
  /** Graph degree (hnswlib `M`), default 16. */
  readonly m?: number;
  /** Candidate list size while building, default 100: higher builds slower and gives better recall. */
  readonly efConstruction?: number;
  /** Default search candidate list size saved in the file, default 64. */
  readonly efSearch?: number;
  /** Format of a file input; by default `.npy` files are npy and anything else raw f32. */
  readonly format?: VectorFileFormat;
  /** Ids per row; default the row number as a string ('0', '1', …). */
  readonly ids?: readonly string[];
  /** Called about every 1% of rows and once at the end. */
  readonly onProgress?: (progress: BulkProgress) => void;
}

/** What `bulkBuildIndex` resolves with once the file is written. */
export interface BulkBuildStats {
  /** Vectors in the index. */
  readonly vectors: number;
  /** Components per vector. */
  readonly dimension: number;
  /** Wall time of reading, building and writing. */
  readonly seconds: number;
  /** `vectors / seconds`. */
  readonly rate: number;
  /** Size of the written index file. */
  readonly bytes: number;
}

/**
 * Builds an HNSW index from many vectors and writes it to `options.output`.
 *
 * @example
 * ```ts
 * const stats = await bulkBuildIndex('./embeddings.npy', {
 *   output: './embeddings.hnsw',
 *   metric: 'cosine',
 *   onProgress: ({ done, total }) => console.log(`${done}/${total}`),
 * });
 * ```
 */
export async function bulkBuildIndex(input: BulkInput, options: BulkBuildOptions): Promise<BulkBuildStats> {
  if (options === null || typeof options !== 'object' || typeof options.output !== 'string' || options.output === '') {
    throw new ValidationError('bulkBuildIndex needs options.output, the path of the index file to write', { field: 'output' });
  }
  const start = process.hrtime.bigint();
  const elapsed = () => Number(process.hrtime.bigint() - start) / 1e9;
  const matrix = await toMatrix(input, options);
  const { ids } = options;
  if (ids !== undefined) requireBulkIds(ids, matrix.rows);
  const index = new VectorIndex({
    dimension: matrix.dimension,
    capacity: Math.max(1, matrix.rows),
    ...(options.metric === undefined ? {} : { metric: options.metric }),
    ...(options.m === undefined ? {} : { m: options.m }),
    ...(options.efConstruction === undefined ? {} : { efConstruction: options.efConstruction }),
    ...(options.efSearch === undefined ? {} : { efSearch: options.efSearch }),
  });
  const step = Math.max(1, Math.ceil(matrix.rows / 100));
  for (let from = 0; from < matrix.rows; from += step) {
    const to = Math.min(matrix.rows, from + step);
    const chunkIds = ids ? ids.slice(from, to) : Array.from({ length: to - from }, (_, i) => String(from + i));
    index.insertBatch(chunkIds, matrix.data.subarray(from * matrix.dimension, to * matrix.dimension));
    options.onProgress?.({ done: to, total: matrix.rows, elapsedSeconds: elapsed(), rate: to / elapsed() });
  }
  await index.save(options.output);
  const { bytes } = await readIndexFileHeader(options.output);
  const seconds = elapsed();
  return { vectors: matrix.rows, dimension: matrix.dimension, seconds, rate: matrix.rows / seconds, bytes };
}

/** Options of `bulkQueryIndex`, with `query` or `queries`. */
export interface BulkQueryOptions {
  /** A saved index path, or an index already in memory. */
  readonly index: string | VectorIndex;
  /** Neighbours per query (fewer when the index holds fewer vectors). */
  readonly k: number;
  /** Candidate list size for these searches; the index's saved `efSearch` by default. */
  readonly efSearch?: number;
}

/**
 * k nearest neighbours of one `query` (a vector, or a file holding exactly one), or of each of
 * `queries` (a matrix, rows, or a file) — then one result list per query, in order.
 *
 * @example
 * ```ts
 * const neighbors = await bulkQueryIndex({ index: './embeddings.hnsw', query: [0.1, 0.2, 0.3], k: 10 });
 * const perQuery = await bulkQueryIndex({ index: './embeddings.hnsw', queries: './queries.npy', k: 10, efSearch: 128 });
 * ```
 */
export async function bulkQueryIndex(options: BulkQueryOptions & { readonly query: VectorLike | string }): Promise<Neighbor[]>;
export async function bulkQueryIndex(options: BulkQueryOptions & { readonly queries: VectorMatrix | readonly VectorLike[] | string }): Promise<Neighbor[][]>;
export async function bulkQueryIndex(
  options: BulkQueryOptions & { readonly query?: VectorLike | string; readonly queries?: VectorMatrix | readonly VectorLike[] | string },
): Promise<Neighbor[] | Neighbor[][]> {
  if (options.query !== undefined && options.queries !== undefined) {
    throw new ValidationError("bulkQueryIndex takes 'query' or 'queries', not both", {
      field: 'queries',
      remediation: "Pass one vector as 'query', or every vector (that one included) as 'queries'.",
    });
  }
  const index = typeof options.index === 'string' ? await VectorIndex.load(options.index) : options.index;
  const search = (q: VectorLike) => index.search(q, options.k, { efSearch: options.efSearch ?? index.efSearch });
  if (options.query !== undefined) {
    if (typeof options.query !== 'string') return search(options.query);
    const m = await readVectorFile(options.query, { dimension: index.dimension });
    if (m.rows !== 1) {
      throw new ValidationError(`${options.query} holds ${m.rows} vectors; 'query' takes exactly one`, {
        field: 'query',
        remediation: "Pass the file as 'queries' to search each vector in it.",
      });
    }
    return search(rowOf(m, 0));
  }
  if (options.queries === undefined) throw new ValidationError("bulkQueryIndex needs 'query' or 'queries'", { field: 'query' });
  const m = typeof options.queries === 'string' ? await readVectorFile(options.queries, { dimension: index.dimension }) : await toMatrix(options.queries, {});
  return Array.from({ length: m.rows }, (_, i) => search(rowOf(m, i)));
}

/** An index file's parameters, as `bulkInfo` reads them from its header. */
export interface BulkIndexInfo {
  /** Components per vector. */
  readonly dimension: number;
  /** Live vectors (deleted slots not counted). */
  readonly vectors: number;
  /** The distance the index reports. */
  readonly metric: Metric;
  /** hnswlib `M` ("max connections"). */
  readonly m: number;
  /** Candidate list size the index was built with. */
  readonly efConstruction: number;
  /** Default search candidate list size saved with the index. */
  readonly efSearch: number;
  /** Slots allocated (≥ vectors; freed slots are reused by later inserts). */
  readonly capacity: number;
  /** Size of the file in bytes. */
  readonly bytes: number;
}

/** Reads an index file's parameters without loading its graph. */
export async function bulkInfo(path: string): Promise<BulkIndexInfo> {
  const { header, bytes } = await readIndexFileHeader(path);
  return {
    dimension: header.dimension,
    vectors: header.labels.filter((id) => id !== null).length,
    metric: header.metric,
    m: header.m,
    efConstruction: header.efConstruction,
    efSearch: header.efSearch,
    capacity: header.capacity,
    bytes,
  };
}

async function toMatrix(input: BulkInput, options: { readonly dimension?: number; readonly format?: VectorFileFormat }): Promise<VectorMatrix> {
  let matrix: VectorMatrix;
  if (typeof input === 'string') {
    matrix = await readVectorFile(input, options);
  } else if (input instanceof Float32Array) {
    if (options.dimension === undefined) {
      throw new ValidationError('a flat Float32Array needs options.dimension to be split into vectors', { field: 'dimension' });
    }
    matrix = matrixOf(input, options.dimension);
  } else if (Array.isArray(input)) {
    matrix = matrixFromRows(input);
  } else if (input !== null && typeof input === 'object' && 'data' in input && input.data instanceof Float32Array) {
    matrix = requireMatrix(input, 'input');
  } else {
    throw new ValidationError('vectors must be a VectorMatrix, an array of vectors, a Float32Array or a file path', { field: 'input' });
  }
  if (options.dimension !== undefined && options.dimension !== matrix.dimension) {
    throw new DimensionMismatchError(options.dimension, matrix.dimension, { field: 'dimension' });
  }
  return matrix;
}

/**
 * Checks every id before anything is built. The index is built in chunks, and an id repeated
 * across chunks would replace the earlier row: a build of n rows holding fewer than n vectors.
 */
function requireBulkIds(ids: readonly string[], rows: number): readonly string[] {
  if (!isArray(ids) || ids.length !== rows) {
    throw new ValidationError(`ids must hold one id per vector: ${rows} vectors, ${Array.isArray(ids) ? `${ids.length} ids` : `ids is ${typeof ids}`}`, {
      field: 'ids',
      remediation: 'Pass exactly one id per row, or omit ids to use the row numbers.',
    });
  }
  const seen = new Set<string>();
  for (let i = 0; i < ids.length; i++) {
    const id = requireId(ids[i], `ids[${i}]`);
    if (seen.has(id)) throw new ValidationError(`ids[${i}] '${id}' appears twice`, { field: `ids[${i}]`, remediation: 'Make the ids unique: one row per id.' });
    seen.add(id);
  }
  return ids;
}
