import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, basename } from 'node:path';
import type hnswlibModule from 'hnswlib-node';
import { DatabaseError, ValidationError } from '@sochdb/core';
import { hnswlib } from './native.js';
import { decodeIndexFile, encodeIndexFile, readIndexFile, writeIndexGraph, type IndexFileHeader } from './index-file.js';
import { stripVectors, writeWithoutVectors, type VectorsOf } from './graph-without-vectors.js';
import { requireMetric, exactDistance, fromHnswDistance, prepareVector, spaceOf, type Metric } from './metric.js';
import { normalizeLikeHnswlib } from './doc-vector.js';
import { isArray, requireId, requireInteger, plainArray, type VectorLike } from '../shared/validate.js';

// hnswlib-node is CommonJS: its classes are only reachable through the default export. It is
// loaded on first use (native.ts), so a missing addon is a typed error, not a failed import.
type Hnsw = InstanceType<(typeof hnswlibModule)['HierarchicalNSW']>;

/** Hands a graph read from a file to the constructor without putting it in the public signature. */
let restoring: Hnsw | undefined;

/** Set by VectorIndex's static block: the package-internal functions below reach private members through it. */
let internals: {
  add(index: VectorIndex, id: string, values: number[], kept?: Float32Array): void;
  labelOf(index: VectorIndex, id: string): number | undefined;
  idAt(index: VectorIndex, label: number): string | undefined;
  search(index: VectorIndex, query: VectorLike, k: number, efSearch: number | undefined, labelFilter: (label: number) => boolean): Neighbor[];
  scan(index: VectorIndex, query: VectorLike, k: number, labels: Iterable<number>, vectorOf?: (id: string) => Float32Array | undefined): Neighbor[];
  restoreWithoutVectors(
    pieces: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
    vectorsOf: VectorsOf,
    keepVectors: boolean,
    missing?: (id: string) => void,
  ): Promise<VectorIndex | undefined>;
  bytesWithoutVectors(index: VectorIndex, keepFileIn?: string): { readonly bytes: Buffer; readonly file?: KeptFile };
  restoreFromFile(file: string, header: IndexFileHeader): Promise<VectorIndex>;
};

/** Options of `VectorIndex.fromBuffer` and `VectorIndex.fromChunks`. */
export interface RestoreOptions {
  /**
   * The vectors of the index's ids, where the caller holds them already (a collection reads them
   * from storage): the index keeps its own copy of each (for exact distances), and copying it from
   * here is much faster than asking hnswlib for it. They must be the vectors the index was built
   * with, as inserted (a cosine index normalises them as it did then); ids missing here are asked
   * of hnswlib.
   */
  readonly vectors?: Iterable<readonly [id: string, vector: Float32Array]> | AsyncIterable<readonly [id: string, vector: Float32Array]>;
  /** As `VectorIndexOptions.keepVectors` (default true); `vectors` is not read without it. */
  readonly keepVectors?: boolean;
}

/** What `new VectorIndex(options)` takes; out-of-range values throw ValidationError. */
export interface VectorIndexOptions {
  /** Components per vector (1–65,536); every inserted vector and query must have exactly this many. */
  readonly dimension: number;
  /** Default `cosine`. */
  readonly metric?: Metric;
  /** Graph degree (hnswlib `M`), default 16. */
  readonly m?: number;
  /** Candidate list size while building, default 100. */
  readonly efConstruction?: number;
  /** Default candidate list size while searching, default 64. */
  readonly efSearch?: number;
  /** Initial number of slots; the index doubles it whenever it fills up. Default 1024. */
  readonly capacity?: number;
  /** Seed of hnswlib's level generator, so builds are reproducible. Default 100. */
  readonly randomSeed?: number;
  /**
   * Keep a JS copy of every vector (default true), so `searchAmong` and `getVector` read it
   * instead of asking hnswlib for each vector (~30× slower per vector). `false` halves the
   * memory an index holds, for callers that keep the vectors elsewhere (a collection reads them
   * from its storage) or never scan exactly.
   */
  readonly keepVectors?: boolean;
}

/** One search result. */
export interface Neighbor {
  /** The id the vector was inserted under. */
  readonly id: string;
  /** In the metric's convention (see `Metric`); results are sorted by it ascending. */
  readonly distance: number;
}

/** Options of `VectorIndex.search`. */
export interface IndexSearchOptions {
  /** Candidate list size for this search (the index's `efSearch` by default); raised to `k` if smaller. Higher: better recall, slower. */
  readonly efSearch?: number;
  /** Only ids for which this returns true are considered; it runs inside the graph search. */
  readonly filter?: (id: string) => boolean;
}

/**
 * An in-memory HNSW index (hnswlib-node) keyed by string ids that round-trip exactly.
 *
 * Inserting an existing id replaces its vector. Deleting marks the slot deleted in hnswlib and
 * frees it; the next new id reuses a free slot (hnswlib updates the slot's vector and repairs its
 * links), so churn does not grow the index without bound.
 *
 * @example
 * ```ts
 * const index = new VectorIndex({ dimension: 3, metric: 'euclidean' });
 * index.insert('a', [1, 0, 0]);
 * index.insert('b', [0, 1, 0]);
 * const [nearest] = index.search([0.9, 0.1, 0], 1); // { id: 'a', distance: … }
 * ```
 */
export class VectorIndex {
  /** Components per vector. */
  readonly dimension: number;
  /** The distance `search` reports (see `Metric`); fixed for the index's life, and saved with it. */
  readonly metric: Metric;
  /** Graph degree (hnswlib `M`) the index was built with. */
  readonly m: number;
  /** Candidate list size used while inserting. */
  readonly efConstruction: number;
  /** Seed of hnswlib's level generator: the same seed and inserts build the same graph. */
  readonly randomSeed: number;
  /** Default candidate list size of `search`; may be changed at any time and is saved with the index. Not validated until the next search. */
  efSearch: number;
  /** hnswlib's index; undefined once closed. */
  #native: Hnsw | undefined;
  // Not readonly: a restore from a file builds them while hnswlib reads it (see #fromFile).
  #labelOf = new Map<string, number>();
  /** `#idAt[label]`: the id in that slot, or undefined when the slot is free. */
  #idAt: (string | undefined)[] = [];
  #free: number[] = [];
  /**
   * A copy of every vector by label (unit-normalised under cosine), so exact scans and
   * `getVector` run in JS: reading a point back through the addon costs a JS array per call,
   * which made exact scans ~10× slower. It doubles vector memory, not graph memory. Empty
   * without `keepVectors`.
   */
  #vectors: Float32Array;
  readonly #keepVectors: boolean;
  /** Slots allocated in hnswlib (kept here: asking the addon costs a native call per insert). */
  #capacity: number;

  constructor(options: VectorIndexOptions) {
    const hnsw = restoring;
    restoring = undefined;
    if (options === null || typeof options !== 'object') {
      throw new ValidationError('VectorIndex options must be an object with at least a dimension', { remediation: 'new VectorIndex({ dimension: 768 })' });
    }
    this.dimension = requireInteger(options.dimension, 'dimension', 1, 65_536);
    this.metric = requireMetric(options.metric ?? 'cosine');
    this.m = requireInteger(options.m ?? 16, 'm', 2, 512);
    this.efConstruction = requireInteger(options.efConstruction ?? 100, 'efConstruction', 1, 100_000);
    this.efSearch = requireInteger(options.efSearch ?? 64, 'efSearch', 1, 100_000);
    this.randomSeed = requireInteger(options.randomSeed ?? 100, 'randomSeed', 0, 2 ** 31 - 1);
    const capacity = requireInteger(options.capacity ?? 1024, 'capacity', 1, 2 ** 31 - 1);
    if (options.keepVectors !== undefined && typeof options.keepVectors !== 'boolean') {
      throw new ValidationError('keepVectors must be true or false', { field: 'keepVectors' });
    }
    this.#keepVectors = options.keepVectors ?? true;
    this.#capacity = hnsw ? hnsw.getMaxElements() : capacity;
    this.#vectors = new Float32Array(this.#keepVectors ? this.#capacity * this.dimension : 0);
    if (hnsw) {
      this.#native = hnsw;
    } else {
      this.#native = new (hnswlib().HierarchicalNSW)(spaceOf(this.metric), this.dimension);
      this.#native.initIndex({ maxElements: capacity, m: this.m, efConstruction: this.efConstruction, randomSeed: this.randomSeed });
    }
  }

  /** The native index; throws once the index is closed. */
  get #hnsw(): Hnsw {
    this.#assertOpen();
    return this.#native!;
  }

  #assertOpen(): void {
    if (this.#native === undefined) {
      throw new DatabaseError('this VectorIndex is closed', {
        remediation: 'Load it again with VectorIndex.load or VectorIndex.fromBuffer, or build a new one.',
      });
    }
  }

  /**
   * Frees the index's memory now, native graph included, and makes every later call throw
   * DatabaseError (`has` and `getVector` answer as for an empty index). hnswlib does not tell V8
   * how much native memory an index holds, so without this a dropped index is freed only when a
   * full garbage collection happens to run: a process that opens and closes large indexes grows.
   * Closing twice is a no-op.
   */
  close(): void {
    const native = this.#native;
    if (native === undefined) return;
    this.#native = undefined;
    // initIndex deletes hnswlib's index before it allocates the new one (one slot): the only way
    // the addon offers to free it before the wrapper object is collected.
    native.initIndex({ maxElements: 1, m: this.m, efConstruction: this.efConstruction, randomSeed: this.randomSeed });
    this.#labelOf.clear();
    this.#idAt.length = 0;
    this.#free.length = 0;
    this.#vectors = new Float32Array(0);
    this.#capacity = 0;
  }

  /** `close()`, for `using index = new VectorIndex(…)`. */
  [Symbol.dispose](): void {
    this.close();
  }

  /** Number of live (not deleted) vectors. */
  get size(): number {
    return this.#labelOf.size;
  }

  /** Slots currently allocated; grows automatically. */
  get capacity(): number {
    return this.#capacity;
  }

  /** Whether the index keeps a JS copy of its vectors (`VectorIndexOptions.keepVectors`). */
  get keepsVectors(): boolean {
    return this.#keepVectors;
  }

  /** Whether the id has a live (not deleted) vector. */
  has(id: string): boolean {
    return this.#labelOf.has(id);
  }

  /** The live ids, each once, in no promised order. Do not insert or delete while iterating. */
  *ids(): IterableIterator<string> {
    yield* this.#labelOf.keys();
  }

  /** Adds a vector, or replaces the vector of an id already present. */
  insert(id: string, vector: VectorLike): void {
    this.#add(requireId(id), this.#prepare(vector, 'vector'));
  }

  /**
   * Adds many vectors: `vectors` is a row-major `Float32Array` of `ids.length × dimension` or one
   * vector per id. Everything is validated before anything is added, so a bad row adds nothing.
   *
   * @example
   * ```ts
   * // Two 3-dimensional rows in one flat array: no per-row array allocation.
   * index.insertBatch(['x', 'y'], new Float32Array([1, 0, 0, 0, 1, 0]));
   * ```
   */
  insertBatch(ids: readonly string[], vectors: Float32Array | readonly VectorLike[]): void {
    this.#assertOpen();
    if (!isArray(ids)) throw new ValidationError('ids must be an array of strings', { field: 'ids' });
    const rows = this.#rows(ids.length, vectors);
    // Index loops rather than forEach/map, which skip holes: a hole must fail its check, not
    // leave a row out of the batch.
    const seen = new Set<string>();
    for (let i = 0; i < ids.length; i++) {
      const id = requireId(ids[i], `ids[${i}]`);
      if (seen.has(id))
        throw new ValidationError(`ids[${i}] '${id}' appears twice in one batch`, { field: `ids[${i}]`, remediation: 'Make batch ids unique.' });
      seen.add(id);
    }
    const prepared = Array.from({ length: rows.length }, (_, i) => this.#prepare(rows[i], `vectors[${i}]`));
    for (let i = 0; i < prepared.length; i++) this.#add(ids[i]!, prepared[i]!);
  }

  /** Removes an id; returns false when it was not present. */
  delete(id: string): boolean {
    const hnsw = this.#hnsw;
    const label = this.#labelOf.get(id);
    if (label === undefined) return false;
    hnsw.markDelete(label);
    this.#labelOf.delete(id);
    this.#idAt[label] = undefined;
    this.#free.push(label);
    return true;
  }

  /**
   * The k nearest ids, ascending by distance (fewer when the index, or the filter, has fewer).
   *
   * @example
   * ```ts
   * // The filter runs inside the graph walk, so k results come back even when most ids are excluded.
   * const hits = index.search(query, 10, { efSearch: 200, filter: (id) => id.startsWith('doc-') });
   * ```
   */
  search(query: VectorLike, k: number, options: IndexSearchOptions = {}): Neighbor[] {
    const { filter } = options;
    // Checked here: hnswlib calls it from native code, where a non-function fails untyped.
    if (filter !== undefined && typeof filter !== 'function') {
      throw new ValidationError('filter must be a function (id) => boolean', { field: 'filter', remediation: 'Pass { filter: (id) => … }, or omit it.' });
    }
    return this.#search(
      query,
      k,
      options.efSearch,
      filter &&
        ((label) => {
          const id = this.#idAt[label];
          return id !== undefined && filter(id);
        }),
    );
  }

  #search(query: VectorLike, k: number, efSearch: number | undefined, labelFilter: ((label: number) => boolean) | undefined): Neighbor[] {
    const hnsw = this.#hnsw;
    const q = this.#prepare(query, 'query');
    requireInteger(k, 'k', 1);
    const ef = requireInteger(efSearch ?? this.efSearch, 'efSearch', 1, 100_000);
    const n = Math.min(k, this.size);
    if (n === 0) return [];
    hnsw.setEf(Math.max(ef, n));
    const result = labelFilter ? hnsw.searchKnn(q, n, labelFilter) : hnsw.searchKnn(q, n);
    return result.neighbors.map((label, i) => ({ id: this.#idAt[label]!, distance: fromHnswDistance(this.metric, result.distances[i]!) }));
  }

  /** Exact k nearest among `ids` (unknown ids are skipped): the brute-force path for selective filters. */
  searchAmong(query: VectorLike, k: number, ids: Iterable<string>): Neighbor[] {
    if (typeof (ids as Partial<Iterable<string>> | null)?.[Symbol.iterator] !== 'function' || typeof ids === 'string') {
      throw new ValidationError('ids must be an iterable of ids (an array or a Set)', {
        field: 'ids',
        remediation: "Pass the candidate ids, e.g. ['a', 'b'].",
      });
    }
    const labels: number[] = [];
    for (const id of ids) {
      const label = this.#labelOf.get(id);
      if (label !== undefined) labels.push(label);
    }
    return this.#scan(query, k, labels);
  }

  /** `vectorOf` reads an id's vector from elsewhere (as the index keeps it); an id it has none for is skipped. */
  #scan(query: VectorLike, k: number, labels: Iterable<number>, vectorOf?: (id: string) => Float32Array | undefined): Neighbor[] {
    this.#assertOpen();
    const q = this.#prepare(query, 'query');
    requireInteger(k, 'k', 1);
    const found: Neighbor[] = [];
    for (const label of labels) {
      const id = this.#idAt[label]!;
      const vector = vectorOf ? vectorOf(id) : this.#vectorAt(label);
      if (vector !== undefined) found.push({ id, distance: exactDistance(this.metric, q, vector) });
    }
    return found.sort((a, b) => a.distance - b.distance).slice(0, k);
  }

  /** A live label's vector as hnswlib keeps it: a view of the copy, or (without copies) read from hnswlib. */
  #vectorAt(label: number): Float32Array {
    const d = this.dimension;
    return this.#keepVectors ? this.#vectors.subarray(label * d, (label + 1) * d) : Float32Array.from(this.#hnsw.getPoint(label));
  }

  /** The vector stored for an id (unit-normalised under `cosine`, as hnswlib keeps it). */
  getVector(id: string): Float32Array | undefined {
    const label = this.#labelOf.get(id);
    return label === undefined ? undefined : this.#vectorAt(label).slice();
  }

  /**
   * The whole index (ids, metric, parameters, graph) as bytes; `VectorIndex.fromBuffer` restores it.
   * Serialises synchronously: hnswlib's async writer runs on a worker thread and would race with
   * inserts made meanwhile, and callers rely on the bytes matching the state at the call.
   */
  async toBuffer(): Promise<Buffer> {
    return this.toBufferSync();
  }

  /** `toBuffer` without the promise: the same bytes, for callers that cannot await. Writes and removes a temp file under the OS temp directory. */
  toBufferSync(): Buffer {
    return this.#serialise(encodeIndexFile).bytes;
  }

  /**
   * `finish` given the header and hnswlib's serialised graph (through a temp file: the addon writes
   * only files). With `keepFileIn`, the file is written in that folder under a new name and left
   * there for the caller (`file`): it is hnswlib's own index, which `restoreFromFile` reads directly.
   */
  #serialise(finish: (header: IndexFileHeader, graph: Buffer) => Buffer, keepFileIn?: string): { readonly bytes: Buffer; readonly file?: KeptFile } {
    const dir = keepFileIn ?? mkdtempSync(join(tmpdir(), 'sochdb-hnsw-'));
    const file = join(dir, keepFileIn === undefined ? 'graph.bin' : `.${process.pid}.${randomUUID()}.tmp`);
    let kept = false;
    try {
      this.#hnsw.writeIndexSync(file);
      const graph = readFileSync(file);
      const bytes = finish(this.#header(), graph);
      kept = keepFileIn !== undefined;
      return kept ? { bytes, file: { path: file, crc32: crc32(graph) } } : { bytes };
    } finally {
      if (keepFileIn === undefined) rmSync(dir, { recursive: true, force: true });
      else if (!kept) rmSync(file, { force: true });
    }
  }

  /**
   * Writes the index to `path` atomically (a temp file renamed into place). When the write or the
   * rename fails (a folder in the way, no space, no permission), the temp file is removed and a
   * DatabaseError says why; whatever was at `path` is left as it was.
   */
  async save(path: string): Promise<void> {
    if (typeof path !== 'string' || path.length === 0) throw new ValidationError('save needs a file path', { field: 'path' });
    const bytes = await this.toBuffer();
    const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
    try {
      await writeFile(tmp, bytes, { mode: 0o600 });
      await rename(tmp, path);
    } catch (error) {
      await rm(tmp, { force: true }).catch(() => undefined);
      const code = (error as { code?: unknown }).code;
      throw new DatabaseError(`cannot save the index to ${path}: ${typeof code === 'string' ? code : error instanceof Error ? error.message : String(error)}`, {
        cause: error,
        remediation: 'Save to a file path in a writable folder (not a folder, and with room for the index).',
      });
    }
  }

  /**
   * Reads an index written by `save` (or by `bulkBuildIndex`).
   *
   * @example
   * ```ts
   * await index.save('./vectors.hnsw');
   * const again = await VectorIndex.load('./vectors.hnsw'); // same ids, metric and parameters
   * ```
   */
  static async load(path: string): Promise<VectorIndex> {
    const { header, graph } = await readIndexFile(path);
    return VectorIndex.#restore(async (file) => {
      await writeFile(file, graph, { mode: 0o600 });
      return { header };
    }, {});
  }

  /**
   * Restores an index from `toBuffer`/`toBufferSync` bytes, as `load` does from a file. Throws
   * VectorFileFormatError for bytes that are not a SochDB index, truncated, or of another format version.
   */
  static async fromBuffer(bytes: Buffer, options: RestoreOptions = {}): Promise<VectorIndex> {
    const { header, graph } = decodeIndexFile(bytes);
    return VectorIndex.#restore(async (file) => {
      await writeFile(file, graph, { mode: 0o600 });
      return { header };
    }, options);
  }

  /**
   * Restores an index from its bytes in pieces (`toBuffer`'s bytes cut anywhere, in order), as
   * `fromBuffer` does from them whole: the graph part goes to hnswlib's file as it arrives, so the
   * whole never sits in memory. A storage that keeps a saved index in chunks loads it this way.
   */
  static async fromChunks(chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, options: RestoreOptions = {}): Promise<VectorIndex> {
    return VectorIndex.#restore(async (file) => ({ header: await writeIndexGraph(chunks, file) }), options);
  }

  /** See `restoreWithoutVectors`. */
  static async #restoreWithoutVectors(
    pieces: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
    vectorsOf: VectorsOf,
    keepVectors: boolean,
    missing?: (id: string) => void,
  ): Promise<VectorIndex | undefined> {
    const copiesFor = keepVectors ? (slots: number, dimension: number) => new Float32Array(slots * dimension) : undefined;
    try {
      return await VectorIndex.#restore(
        async (file) => {
          const written = await writeWithoutVectors(pieces, file, vectorsOf, copiesFor, missing);
          if (written === undefined) throw new NotTheseVectors();
          return written;
        },
        { keepVectors },
      );
    } catch (error) {
      if (error instanceof NotTheseVectors) return undefined;
      throw error;
    }
  }

  /**
   * `writeGraph` writes hnswlib's part to `file` and resolves with the header, and with the
   * vector copies (label-major, as `#vectors` holds them) when it made them on the way.
   */
  static async #restore(
    writeGraph: (file: string) => Promise<{ readonly header: IndexFileHeader; readonly copies?: Float32Array }>,
    options: RestoreOptions,
  ): Promise<VectorIndex> {
    const dir = await mkdtemp(join(tmpdir(), 'sochdb-hnsw-'));
    try {
      const file = join(dir, 'graph.bin');
      const { header, copies } = await writeGraph(file);
      return await VectorIndex.#fromFile(file, header, copies, options);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  /** The index in hnswlib's `file` (read whole: the file may go afterwards) with `header`'s ids and parameters. */
  static async #fromFile(
    file: string,
    header: IndexFileHeader,
    copies: Float32Array | undefined,
    { vectors, keepVectors }: RestoreOptions,
  ): Promise<VectorIndex> {
    const hnsw = new (hnswlib().HierarchicalNSW)(spaceOf(header.metric), header.dimension);
    // hnswlib reads the file on a worker thread: the id maps are built meanwhile (half a second at
    // a million documents).
    const reading = hnsw.readIndex(file);
    const labelOf = new Map<string, number>();
    const idAt: (string | undefined)[] = [];
    const free: number[] = [];
    header.labels.forEach((id, label) => {
      if (id === null) {
        free.push(label);
        idAt.push(undefined);
      } else {
        labelOf.set(id, label);
        idAt.push(id);
      }
    });
    await reading;
    restoring = hnsw;
    const index = new VectorIndex({ ...header, ...(keepVectors === undefined ? {} : { keepVectors }) });
    index.#labelOf = labelOf;
    index.#idAt = idAt;
    index.#free = free;
    const d = header.dimension;
    const filled = new Uint8Array(header.labels.length);
    if (!index.#keepVectors) return index;
    if (copies !== undefined && copies.length === index.#vectors.length) {
      index.#vectors = copies;
      return index;
    }
    // The caller's copies first: asking hnswlib for each vector (getPoint) makes a JS array of
    // numbers per vector, which was a quarter of a collection's open time.
    for await (const [id, vector] of vectors ?? []) {
      const label = index.#labelOf.get(id);
      if (label === undefined || vector.length !== d) continue;
      const slot = index.#vectors.subarray(label * d, (label + 1) * d);
      slot.set(vector);
      // As #add keeps it: hnswlib holds a cosine index's vectors normalised, in float32.
      if (header.metric === 'cosine') normalizeLikeHnswlib(slot);
      filled[label] = 1;
    }
    header.labels.forEach((id, label) => {
      if (id !== null && filled[label] === 0) index.#vectors.set(hnsw.getPoint(label), label * d);
    });
    return index;
  }

  #header(): IndexFileHeader {
    return {
      dimension: this.dimension,
      metric: this.metric,
      m: this.m,
      efConstruction: this.efConstruction,
      efSearch: this.efSearch,
      randomSeed: this.randomSeed,
      capacity: this.capacity,
      labels: Array.from(this.#idAt, (id) => id ?? null),
    };
  }

  static {
    internals = {
      add: (index, id, values, kept) => index.#add(id, values, kept),
      labelOf: (index, id) => index.#labelOf.get(id),
      idAt: (index, label) => index.#idAt[label],
      search: (index, query, k, efSearch, labelFilter) => index.#search(query, k, efSearch, labelFilter),
      scan: (index, query, k, labels, vectorOf) => index.#scan(query, k, labels, vectorOf),
      restoreWithoutVectors: (pieces, vectors, keepVectors, missing) => VectorIndex.#restoreWithoutVectors(pieces, vectors, keepVectors, missing),
      bytesWithoutVectors: (index, keepFileIn) => index.#serialise(stripVectors, keepFileIn),
      restoreFromFile: (file, header) => VectorIndex.#fromFile(file, header, undefined, { keepVectors: false }),
    };
  }

  #prepare(vector: unknown, field: string): number[] {
    return prepareVector(vector, this.dimension, this.metric, field);
  }

  #rows(count: number, vectors: Float32Array | readonly VectorLike[]): readonly VectorLike[] {
    if (vectors instanceof Float32Array) {
      if (vectors.length !== count * this.dimension) {
        throw new ValidationError(
          `a Float32Array of ${count} vectors × ${this.dimension} dimensions must hold ${count * this.dimension} numbers, got ${vectors.length}`,
          { field: 'vectors', remediation: 'Pass a row-major matrix with exactly one row per id.' },
        );
      }
      return Array.from({ length: count }, (_, i) => vectors.subarray(i * this.dimension, (i + 1) * this.dimension));
    }
    if (!isArray(vectors) || vectors.length !== count) {
      throw new ValidationError(`expected ${count} vectors (one per id), got ${Array.isArray(vectors) ? vectors.length : typeof vectors}`, {
        field: 'vectors',
        remediation: 'Pass exactly one vector per id.',
      });
    }
    return vectors;
  }

  #add(id: string, vector: number[], kept?: Float32Array): void {
    let label = this.#labelOf.get(id);
    if (label === undefined) {
      label = this.#free.pop() ?? this.#idAt.length;
      if (label === this.#idAt.length && label >= this.capacity) this.#grow(Math.max(16, this.capacity * 2));
    }
    // addPoint on an existing (or deleted) label updates that slot in place.
    this.#hnsw.addPoint(vector, label);
    this.#labelOf.set(id, label);
    this.#idAt[label] = id;
    if (!this.#keepVectors) return;
    const slot = this.#vectors.subarray(label * this.dimension, (label + 1) * this.dimension);
    if (kept) slot.set(kept);
    else {
      slot.set(vector);
      if (this.metric === 'cosine') normalizeLikeHnswlib(slot);
    }
  }

  #grow(capacity: number): void {
    this.#hnsw.resizeIndex(capacity);
    this.#capacity = capacity;
    if (!this.#keepVectors) return;
    const vectors = new Float32Array(capacity * this.dimension);
    vectors.set(this.#vectors);
    this.#vectors = vectors;
  }
}

/**
 * Package-internal (not exported from index.ts): inserts a vector a collection already checked
 * with `prepareStoredVector`, skipping a second validation pass over every component. `kept`, when
 * given, is the vector as the graph keeps it (normalised under cosine, see doc-vector.ts), made
 * off the main thread for large writes.
 */
export function insertChecked(index: VectorIndex, id: string, vector: Float32Array, kept?: Float32Array): void {
  internals.add(index, id, plainArray(vector), kept);
}

/**
 * Package-internal: the graph slot ("label") of an id. Labels are dense small integers, so a
 * collection can keep per-label data in an array for filters that run once per visited node.
 */
export function labelOf(index: VectorIndex, id: string): number | undefined {
  return internals.labelOf(index, id);
}

/** Package-internal: the id in a graph label, or undefined when the label is free (see `labelOf`). */
export function idAt(index: VectorIndex, label: number): string | undefined {
  return internals.idAt(index, label);
}

/** Package-internal: `search` with a filter on labels (see `labelOf`) instead of ids. */
export function searchByLabel(index: VectorIndex, query: VectorLike, k: number, efSearch: number | undefined, filter: (label: number) => boolean): Neighbor[] {
  return internals.search(index, query, k, efSearch, filter);
}

/**
 * Package-internal: `searchAmong` over graph labels (see `labelOf`) instead of ids, reading each
 * id's vector (as the index keeps it) from `vectorOf` when given: a collection's index keeps no
 * copies and reads them from storage.
 */
export function searchAmongLabels(
  index: VectorIndex,
  query: VectorLike,
  k: number,
  labels: Iterable<number>,
  vectorOf?: (id: string) => Float32Array | undefined,
): Neighbor[] {
  return internals.scan(index, query, k, labels, vectorOf);
}

/**
 * Package-internal: `toBufferSync` without the vectors of live slots (see graph-without-vectors.ts),
 * for a caller that stores every vector elsewhere and hands them back to `restoreWithoutVectors`.
 */
export function toBytesWithoutVectors(index: VectorIndex): Buffer {
  return internals.bytesWithoutVectors(index).bytes;
}

/** hnswlib's index file left by `toBytesWithoutVectorsKeepingFile`, and the CRC-32 of its bytes. */
export interface KeptFile {
  readonly path: string;
  readonly crc32: number;
}

/**
 * Package-internal: `toBytesWithoutVectors`, and hnswlib's own index file the bytes were made
 * from (every vector in it), left in `folder` for the caller (`restoreFromFile` reads it).
 */
export function toBytesWithoutVectorsKeepingFile(index: VectorIndex, folder: string): { readonly bytes: Buffer; readonly file?: KeptFile } {
  return internals.bytesWithoutVectors(index, folder);
}

/**
 * Package-internal: the index in `file`, hnswlib's own index as `toBytesWithoutVectorsKeepingFile`
 * leaves it (every vector in it), with `header`'s ids and parameters, keeping no JS copies of the
 * vectors. The caller has checked that the two belong together.
 */
export function restoreFromFile(file: string, header: IndexFileHeader): Promise<VectorIndex> {
  return internals.restoreFromFile(file, header);
}

/**
 * Package-internal: restores `toBytesWithoutVectors` bytes (in pieces, cut anywhere), asking
 * `vectorsOf` for the vectors of its ids (as inserted), a batch at a time in the graph's order.
 * Resolves with undefined, nothing left behind, when one is missing or of another size: the bytes
 * do not belong to these vectors. With `onMissing`, ids without a vector are reported instead and
 * keep zeros in their slots, for the caller to delete (a collection repairing a stale saved graph).
 */
export function restoreWithoutVectors(
  pieces: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  vectorsOf: VectorsOf,
  options: { readonly keepVectors: boolean; readonly onMissing?: (id: string) => void },
): Promise<VectorIndex | undefined> {
  return internals.restoreWithoutVectors(pieces, vectorsOf, options.keepVectors, options.onMissing);
}

/** Thrown inside `#restoreWithoutVectors` to stop before hnswlib reads a file missing vectors. */
class NotTheseVectors extends Error {}
