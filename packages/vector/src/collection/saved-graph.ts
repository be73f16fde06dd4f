import { decodeKey, type KeyValueReader, type Storage, type WriteOp } from '@sochdb/core';
import { hashDoc } from '../hnsw/doc-vector.js';
import { VectorIndex } from '../hnsw/vector-index.js';
import type { CollectionInfo } from './collection-config.js';
import type { CollectionKeys } from './collection-keys.js';
import { storedVector } from './documents.js';

/** Digests are sums of 64-bit hashes, modulo 2^64. */
export const MASK = (1n << 64n) - 1n;
/** Bytes per stored chunk of a saved graph. */
const CHUNK = 4 << 20;

/** What is stored beside a saved graph: the state it was saved from. */
export interface GraphMeta {
  readonly digest: string;
  readonly count: number;
  readonly chunks: number;
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

/** How `loadGraph` may check and fill the graph it loads. */
export interface GraphLoadOptions {
  /**
   * Every document's digest contribution, when their records all carry one: the saved graph is
   * then checked without reading a single vector (undefined: read them all to hash them).
   */
  readonly known: ReadonlyMap<string, bigint> | undefined;
  /** Whether the graph keeps JS copies of its vectors (see `VectorIndexOptions.keepVectors`). */
  readonly keepVectors: boolean;
  /** The saved graph, its restore started earlier (`restoreSavedGraph`; without `keepVectors` only). */
  readonly saved?: Promise<SavedGraph | undefined>;
}

/** A saved graph restored, not yet checked against the documents. */
export interface SavedGraph {
  readonly graph: VectorIndex;
  readonly meta: GraphMeta;
}

/**
 * Restores the saved graph without vector copies (undefined when none is saved or a chunk is
 * missing), so an open can start it (file and native work, mostly off the main thread) before
 * it has read the documents the graph is then checked against (`GraphLoadOptions.saved`).
 */
export async function restoreSavedGraph(store: KeyValueReader, keys: CollectionKeys): Promise<SavedGraph | undefined> {
  const raw = await store.get(keys.graphMeta());
  if (raw === undefined) return undefined;
  const meta = JSON.parse(raw.toString('utf8')) as GraphMeta;
  const graph = await loadSavedGraph(store, keys, meta, undefined, false);
  return graph === undefined ? undefined : { graph, meta };
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
 * Records each document's hash in `hashes` and returns the collection's graph: the saved one when
 * it was saved from exactly these vectors (same digest, count and ids) and with the collection's
 * settings, else one rebuilt from the stored vectors (undefined when there are none, or no
 * dimension yet).
 *
 * With `known` hashes and no vector copies to fill, the saved graph is checked without reading
 * any vector: an open then reads only the graph. Otherwise the saved graph is loaded first, on
 * trust, while the vector records stream past once: each adds to the digest (and fills the
 * index's copy of its vector), and the check comes at the end. Holding every vector record until
 * the check (as a list) cost a third copy of the vectors at the peak of an open; a graph that
 * fails the check (rare: a crash between a write and the next save) is dropped and the vectors
 * are read again to rebuild it.
 */
export async function loadGraph(
  store: KeyValueReader,
  keys: CollectionKeys,
  info: CollectionInfo,
  hashes: Map<string, bigint>,
  { known, keepVectors, saved: started }: GraphLoadOptions,
): Promise<LoadedGraph | undefined> {
  let digest = 0n;
  let complete = false;
  const records = async function* (): AsyncGenerator<readonly [string, Float32Array]> {
    hashes.clear();
    digest = 0n;
    for await (const [k, v] of store.iterator(keys.range('v'))) {
      const id = lastPart(k);
      const hash = hashDoc(id, v);
      hashes.set(id, hash);
      digest = (digest + hash) & MASK;
      yield [id, storedVector(v)];
    }
    complete = true;
  };
  let restored: SavedGraph | undefined;
  if (!keepVectors) {
    // No copies to fill: the graph needs the documents only for its check.
    restored = info.dimension === null ? undefined : await (started ?? restoreSavedGraph(store, keys));
    try {
      if (known !== undefined) {
        hashes.clear();
        for (const [id, hash] of known) {
          hashes.set(id, hash);
          digest = (digest + hash) & MASK;
        }
        complete = true;
      } else if (restored !== undefined) for await (const _ of records());
    } catch (error) {
      restored?.graph.close();
      throw error;
    }
  } else {
    const raw = await store.get(keys.graphMeta());
    const meta = raw === undefined ? undefined : (JSON.parse(raw.toString('utf8')) as GraphMeta);
    if (meta !== undefined && info.dimension !== null) {
      const graph = await loadSavedGraph(store, keys, meta, records(), true);
      restored = graph && { graph, meta };
    }
  }
  if (restored !== undefined) {
    const { graph: saved, meta } = restored;
    // A graph built with other settings (saved by a process that had not yet seen a reindex)
    // would answer with the old metric; one saved from other vectors, with other answers.
    const sameSettings = saved.metric === info.metric && saved.m === info.m && saved.efConstruction === info.efConstruction;
    const sameVectors = complete && meta.digest === digest.toString() && meta.count === hashes.size && saved.size === hashes.size;
    if (sameSettings && sameVectors && [...hashes.keys()].every((id) => saved.has(id))) return { graph: saved, saved: true };
    saved.close();
  }
  const vectors: Float32Array[] = [];
  const ids: string[] = [];
  for await (const [id, vector] of records()) {
    ids.push(id);
    vectors.push(vector);
  }
  if (ids.length === 0 || info.dimension === null) return undefined;
  const graph = newIndex(info, Math.max(1024, ids.length), keepVectors);
  ids.forEach((id, i) => graph.insert(id, vectors[i]!));
  return { graph, saved: false };
}

/**
 * The saved graph, streamed one chunk at a time into hnswlib's file (never whole in memory), its
 * vector copies (with `keepVectors`) filled from `vectors` (which it reads to the end); undefined
 * when a chunk is missing, before hnswlib reads anything.
 */
async function loadSavedGraph(
  store: KeyValueReader,
  keys: CollectionKeys,
  meta: GraphMeta,
  vectors: AsyncIterable<readonly [string, Float32Array]> | undefined,
  keepVectors: boolean,
): Promise<VectorIndex | undefined> {
  let missing = false;
  const chunks = async function* () {
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
    return await VectorIndex.fromChunks(chunks(), { ...(vectors === undefined ? {} : { vectors }), keepVectors });
  } catch (error) {
    if (missing) return undefined;
    throw error;
  }
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
  const bytes = index ? index.toBufferSync() : Buffer.alloc(0);
  const chunks = Math.ceil(bytes.length / CHUNK);
  for (let i = 0; i < chunks; i++) ops.push({ type: 'put', key: keys.graphChunk(i), value: bytes.subarray(i * CHUNK, (i + 1) * CHUNK) });
  for (let i = chunks; i < oldChunks; i++) ops.push({ type: 'del', key: keys.graphChunk(i) });
  const meta: GraphMeta = { digest, count, chunks };
  ops.push({ type: 'put', key: keys.graphMeta(), value: JSON.stringify(meta) });
  state.dirty = false;
  await storage.batch(ops);
}
