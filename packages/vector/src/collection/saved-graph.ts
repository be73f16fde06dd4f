import { decodeKey, type KeyValueReader, type Storage, type WriteOp } from '@sochdb/core';
import { hashDoc } from '../hnsw/doc-vector.js';
import { restoreWithoutVectors, toBytesWithoutVectors, VectorIndex } from '../hnsw/vector-index.js';
import type { CollectionInfo } from './collection-config.js';
import type { CollectionKeys } from './collection-keys.js';
import { storedVector } from './documents.js';
import { VectorFileFormatError } from '../shared/errors.js';

/** Digests are sums of 64-bit hashes, modulo 2^64. */
export const MASK = (1n << 64n) - 1n;
/** Bytes per stored chunk of a saved graph. */
const CHUNK = 4 << 20;

/** What is stored beside a saved graph: the state it was saved from. */
export interface GraphMeta {
  readonly digest: string;
  readonly count: number;
  readonly chunks: number;
  /**
   * 'records': the graph was saved without the vectors of its documents, which load from their
   * records (graph-without-vectors.ts). Absent in graphs saved before: they hold every vector.
   */
  readonly vectors?: 'records';
}

/** What `saveGraph` reads of a collection's state. */
export interface GraphSource {
  readonly digest: bigint;
  readonly docs: { readonly size: number };
  graph(): VectorIndex | undefined;
  dirty: boolean;
}

/** The graph an open collection starts with, and whether it is the saved one (else rebuilt). */
export interface LoadedGraph {
  readonly graph: VectorIndex;
  readonly saved: boolean;
}

/** A saved graph restored, not yet checked against the documents. */
export interface SavedGraph {
  readonly graph: VectorIndex;
  readonly meta: GraphMeta;
}

/**
 * The stored vectors, read in key order by whichever part of an open needs them all (a graph
 * saved with its vectors filling its copies, the check without the records' hashes, a rebuild),
 * hashed on the way (each document's digest contribution).
 */
export class StoredVectors {
  /** Each document's hash, once a stream (or `useKnown`) has covered every vector record. */
  hashes = new Map<string, bigint>();
  digest = 0n;
  /** Whether `hashes` and `digest` describe every stored vector. */
  complete = false;
  readonly #store: KeyValueReader;
  readonly #keys: CollectionKeys;

  constructor(store: KeyValueReader, keys: CollectionKeys) {
    this.#store = store;
    this.#keys = keys;
  }

  /** Every stored vector as [id, vector], as inserted. */
  async *stream(): AsyncGenerator<readonly [string, Float32Array]> {
    this.hashes = new Map();
    this.digest = 0n;
    this.complete = false;
    for await (const [k, v] of this.#store.iterator(this.#keys.range('v'))) {
      const id = this.#keys.idOf(k);
      this.#add(id, hashDoc(id, v));
      yield [id, storedVector(v)];
    }
    this.complete = true;
  }

  /** The stored bytes of the vectors of `ids`, in order; undefined where one is missing. */
  of(ids: readonly string[]): Promise<(Buffer | undefined)[]> {
    return this.#store.getMany(ids.map((id) => this.#keys.vector(id)));
  }

  /** Takes the records' hashes as the vectors' (no vector read); the map is adopted, not copied (a million entries at scale). */
  useKnown(known: Map<string, bigint>): void {
    this.hashes = known;
    let digest = 0n;
    for (const hash of known.values()) digest += hash;
    this.digest = digest & MASK;
    this.complete = true;
  }

  #add(id: string, hash: bigint): void {
    this.hashes.set(id, hash);
    this.digest = (this.digest + hash) & MASK;
  }
}

/**
 * Restores the saved graph (undefined when none is saved, a chunk is missing, or a graph saved
 * without its vectors did not get every one of them from `vectors`), not yet checked against the
 * documents. An open starts it before it reads the records: most of it is file and native work.
 * Vectors are read from `vectors` only for a graph saved without them, or for the index's copies.
 */
export async function restoreSavedGraph(
  store: KeyValueReader,
  keys: CollectionKeys,
  vectors: StoredVectors,
  keepVectors: boolean,
): Promise<SavedGraph | undefined> {
  const raw = await store.get(keys.graphMeta());
  if (raw === undefined) return undefined;
  const meta = JSON.parse(raw.toString('utf8')) as GraphMeta;
  let missing = false;
  const chunks = async function* (): AsyncGenerator<Buffer> {
    for (let i = 0; i < meta.chunks; i++) {
      const chunk = await store.get(keys.graphChunk(i));
      if (chunk === undefined) {
        // Thrown, not returned: hnswlib must never read a cut-short file.
        missing = true;
        throw new Error(`graph chunk ${i} is missing`);
      }
      yield chunk;
    }
  };
  try {
    const graph =
      meta.vectors === 'records'
        ? await restoreWithoutVectors(chunks(), (ids) => vectors.of(ids), { keepVectors })
        : await VectorIndex.fromChunks(chunks(), { keepVectors, ...(keepVectors ? { vectors: vectors.stream() } : {}) });
    return graph && { graph, meta };
  } catch (error) {
    // A saved graph is a cache of the records: one that cannot be read is rebuilt, not fatal.
    if (missing || error instanceof VectorFileFormatError) return undefined;
    throw error;
  }
}

export function newIndex(info: CollectionInfo, capacity: number, keepVectors: boolean): VectorIndex {
  return new VectorIndex({
    keepVectors,
    dimension: info.dimension!,
    metric: info.metric,
    m: info.m,
    efConstruction: info.efConstruction,
    efSearch: info.efSearch,
    capacity,
  });
}

export function lastPart(key: Buffer): string {
  const parts = decodeKey(key);
  return parts[parts.length - 1] as string;
}

/**
 * The collection's graph: the saved one (`saved`, restored meanwhile) when it was saved from
 * exactly these vectors (same digest, count and ids) and with the collection's settings, else one
 * rebuilt from the stored vectors (undefined when there are none, or no dimension yet). `vectors`
 * then holds every document's hash.
 *
 * A saved graph is checked by the digest of the vectors' hashes: the records' own (`known`) when
 * they all carry one, so a graph that held its vectors loads without reading any; otherwise each
 * vector is read and hashed (during the restore, when it needs them anyway). A graph that fails
 * the check (rare: a crash between a write and the next save) is dropped and the vectors are read
 * again to rebuild it.
 */
export async function loadGraph(
  info: CollectionInfo,
  vectors: StoredVectors,
  known: Map<string, bigint> | undefined,
  saved: Promise<SavedGraph | undefined>,
  keepVectors: boolean,
): Promise<LoadedGraph | undefined> {
  const restored = await saved;
  if (restored !== undefined) {
    const { graph: graph, meta } = restored;
    try {
      if (!vectors.complete) {
        if (known !== undefined) vectors.useKnown(known);
        else for await (const _ of vectors.stream());
      }
    } catch (error) {
      graph.close();
      throw error;
    }
    // A graph built with other settings (saved by a process that had not yet seen a reindex)
    // would answer with the old metric; one saved from other vectors, with other answers.
    const sameSettings = graph.metric === info.metric && graph.m === info.m && graph.efConstruction === info.efConstruction;
    const { hashes } = vectors;
    const sameVectors = meta.digest === vectors.digest.toString() && meta.count === hashes.size && graph.size === hashes.size;
    if (sameSettings && sameVectors && [...hashes.keys()].every((id) => graph.has(id))) return { graph, saved: true };
    graph.close();
  }
  const ids: string[] = [];
  const rows: Float32Array[] = [];
  for await (const [id, vector] of vectors.stream()) {
    ids.push(id);
    rows.push(vector);
  }
  if (ids.length === 0 || info.dimension === null) return undefined;
  const graph = newIndex(info, Math.max(1024, ids.length), keepVectors);
  ids.forEach((id, i) => graph.insert(id, rows[i]!));
  return { graph, saved: false };
}

/** Saves the graph into storage (one atomic batch) so the next open loads instead of rebuilding. */
export async function saveGraph(storage: Storage, keys: CollectionKeys, state: GraphSource): Promise<void> {
  const ops: WriteOp[] = [];
  const old = await storage.get(keys.graphMeta());
  const oldChunks = old ? (JSON.parse(old.toString('utf8')) as GraphMeta).chunks : 0;
  // Digest, count and graph bytes are taken in one synchronous step so they describe one state.
  const digest = state.digest.toString();
  const count = state.docs.size;
  const index = state.graph();
  // Without the documents' vectors: each is in its record already (see GraphMeta.vectors).
  const bytes = index ? toBytesWithoutVectors(index) : Buffer.alloc(0);
  const chunks = Math.ceil(bytes.length / CHUNK);
  for (let i = 0; i < chunks; i++) ops.push({ type: 'put', key: keys.graphChunk(i), value: bytes.subarray(i * CHUNK, (i + 1) * CHUNK) });
  for (let i = chunks; i < oldChunks; i++) ops.push({ type: 'del', key: keys.graphChunk(i) });
  const meta: GraphMeta = { digest, count, chunks, vectors: 'records' };
  ops.push({ type: 'put', key: keys.graphMeta(), value: JSON.stringify(meta) });
  state.dirty = false;
  await storage.batch(ops);
}
