import { createHash } from 'node:crypto';
import { decodeKey, type KeyValueReader, type Storage, type WriteOp } from '@sochdb/core';
import { Bm25Index } from './bm25.js';
import type { CollectionInfo } from './collection-config.js';
import type { CollectionKeys } from './collection-keys.js';
import type { Metadata } from './filter.js';
import { VectorIndex } from './vector-index.js';

export interface DocEntry {
  /** A private copy (never the caller's object), read by filters. */
  readonly metadata: Metadata;
  /** The same metadata as JSON: search results parse it so callers get their own copy. */
  readonly metadataJson: string;
  readonly content: string | undefined;
  /** Contribution to the collection digest (see `digestOf`). */
  readonly hash: bigint;
}

const MASK = (1n << 64n) - 1n;
const CHUNK = 4 << 20;

/** 64 bits of SHA-1 over id and vector bytes; the digest is their sum mod 2^64, so order-free. */
export function hashDoc(id: string, vectorBytes: Uint8Array): bigint {
  const h = createHash('sha1').update(id).update('\0').update(vectorBytes).digest();
  return h.readBigUInt64LE(0);
}

/**
 * What an open collection keeps in memory: the HNSW graph, the BM25 index and every document's
 * metadata and content (filters run inside the graph search, so they must not wait on storage, and
 * serving results from memory spares each search k storage reads). It changes
 * only through `applyInsert`/`applyDelete`, which writers call after their commit.
 */
export class CollectionState {
  index: VectorIndex | undefined;
  readonly bm25 = new Bm25Index();
  readonly docs = new Map<string, DocEntry>();
  /** Every id in an array (swap-removed on delete), so filters can sample documents in O(sample). */
  readonly order: string[] = [];
  readonly #position = new Map<string, number>();
  digest = 0n;
  /** The graph changed since it was last saved or loaded. */
  dirty = false;

  constructor(public info: CollectionInfo) {}

  applyInsert(id: string, vector: readonly number[], entry: DocEntry, frequencies: ReadonlyMap<string, number>): void {
    const previous = this.docs.get(id);
    if (previous) {
      this.bm25.remove(id);
      this.digest = (this.digest - previous.hash) & MASK;
    }
    this.#ensureIndex(vector.length).insert(id, vector);
    this.bm25.addTerms(id, frequencies);
    this.#track(id, entry);
    this.digest = (this.digest + entry.hash) & MASK;
    this.dirty = true;
  }

  /** Records a document in `docs` and `order` (used by loading too). */
  track(id: string, entry: DocEntry): void {
    this.#track(id, entry);
  }

  #track(id: string, entry: DocEntry): void {
    if (!this.docs.has(id)) {
      this.#position.set(id, this.order.length);
      this.order.push(id);
    }
    this.docs.set(id, entry);
  }

  applyDelete(id: string): void {
    const previous = this.docs.get(id);
    if (!previous) return;
    this.index?.delete(id);
    this.bm25.remove(id);
    this.docs.delete(id);
    const at = this.#position.get(id)!;
    const last = this.order.pop()!;
    if (last !== id) {
      this.order[at] = last;
      this.#position.set(last, at);
    }
    this.#position.delete(id);
    this.digest = (this.digest - previous.hash) & MASK;
    this.dirty = true;
  }

  #ensureIndex(dimension: number): VectorIndex {
    if (!this.index) {
      if (this.info.dimension === null) this.info = { ...this.info, dimension };
      this.index = newIndex(this.info, 1024);
    }
    return this.index;
  }
}

function newIndex(info: CollectionInfo, capacity: number): VectorIndex {
  return new VectorIndex({ dimension: info.dimension!, metric: info.metric, m: info.m, efConstruction: info.efConstruction, efSearch: info.efSearch, capacity });
}

interface GraphMeta {
  readonly digest: string;
  readonly count: number;
  readonly chunks: number;
}

/**
 * Loads a collection's state. The saved graph is used only when its digest and count equal those
 * of the stored vectors (so it reflects exactly this data); otherwise the graph is rebuilt from
 * the stored vectors in key order.
 */
export async function loadState(store: KeyValueReader, keys: CollectionKeys, info: CollectionInfo): Promise<CollectionState> {
  const state = new CollectionState(info);
  const stored = new Map<string, { metadata: Metadata; content?: string }>();
  for await (const [k, v] of store.iterator(keys.range('m'))) {
    stored.set(lastPart(k), JSON.parse(v.toString('utf8')) as { metadata: Metadata; content?: string });
  }
  const vectors: [string, Buffer][] = [];
  const hashes = new Map<string, bigint>();
  for await (const [k, v] of store.iterator(keys.range('v'))) {
    const id = lastPart(k);
    const hash = hashDoc(id, v);
    hashes.set(id, hash);
    state.digest = (state.digest + hash) & MASK;
    vectors.push([id, v]);
  }
  for await (const [k, v] of store.iterator(keys.range('p'))) {
    const parts = decodeKey(k);
    const term = parts[parts.length - 2] as string;
    const id = parts[parts.length - 1] as string;
    state.bm25.loadPosting(term, id, Number(v.toString('latin1')));
  }
  for await (const [k, v] of store.iterator(keys.range('l'))) state.bm25.setLength(lastPart(k), Number(v.toString('latin1')));
  for (const [id, hash] of hashes) {
    const doc = stored.get(id);
    const metadata = doc?.metadata ?? {};
    state.track(id, { metadata, metadataJson: JSON.stringify(metadata), content: doc?.content, hash });
  }

  if (vectors.length > 0 && info.dimension !== null) {
    state.index = (await loadSavedGraph(store, keys, state)) ?? rebuild(info, vectors);
  }
  return state;
}

function rebuild(info: CollectionInfo, vectors: readonly [string, Buffer][]): VectorIndex {
  const index = newIndex(info, Math.max(1024, vectors.length));
  for (const [id, bytes] of vectors) {
    const floats = new Float32Array(bytes.length / 4);
    Buffer.from(floats.buffer).set(bytes);
    index.insert(id, floats);
  }
  return index;
}

async function loadSavedGraph(store: KeyValueReader, keys: CollectionKeys, state: CollectionState): Promise<VectorIndex | undefined> {
  const raw = await store.get(keys.graphMeta());
  if (!raw) return undefined;
  const meta = JSON.parse(raw.toString('utf8')) as GraphMeta;
  if (meta.digest !== state.digest.toString() || meta.count !== state.docs.size) return undefined;
  const chunks = await store.getMany(Array.from({ length: meta.chunks }, (_, i) => keys.graphChunk(i)));
  if (chunks.some((c) => c === undefined)) return undefined;
  const index = await VectorIndex.fromBuffer(Buffer.concat(chunks as Buffer[]));
  if (index.size !== state.docs.size || [...state.docs.keys()].some((id) => !index.has(id))) return undefined;
  return index;
}

/** Saves the graph into storage (one atomic batch) so the next open loads instead of rebuilding. */
export async function saveGraph(storage: Storage, keys: CollectionKeys, state: CollectionState): Promise<void> {
  const ops: WriteOp[] = [];
  const old = await storage.get(keys.graphMeta());
  const oldChunks = old ? (JSON.parse(old.toString('utf8')) as GraphMeta).chunks : 0;
  // Digest, count and graph bytes are taken in one synchronous step so they describe one state.
  const digest = state.digest.toString();
  const count = state.docs.size;
  const bytes = state.index ? state.index.toBufferSync() : Buffer.alloc(0);
  const chunks = Math.ceil(bytes.length / CHUNK);
  for (let i = 0; i < chunks; i++) ops.push({ type: 'put', key: keys.graphChunk(i), value: bytes.subarray(i * CHUNK, (i + 1) * CHUNK) });
  for (let i = chunks; i < oldChunks; i++) ops.push({ type: 'del', key: keys.graphChunk(i) });
  const meta: GraphMeta = { digest, count, chunks };
  ops.push({ type: 'put', key: keys.graphMeta(), value: JSON.stringify(meta) });
  state.dirty = false;
  await storage.batch(ops);
}

function lastPart(key: Buffer): string {
  const parts = decodeKey(key);
  return parts[parts.length - 1] as string;
}
