import { decodeKey, type KeyValueReader, type Storage, type WriteOp } from '@sochdb/core';
import { hashDoc } from '../hnsw/doc-vector.js';
import { labelOf, restoreWithoutVectors, toBytesWithoutVectors, toBytesWithoutVectorsKeepingFile, VectorIndex, type KeptFile } from '../hnsw/vector-index.js';
import type { CollectionInfo } from './collection-config.js';
import type { CollectionKeys } from './collection-keys.js';
import { storedVector } from './documents.js';
import { entryBatches } from './entry-batches.js';
import { captureDocsTable } from './saved-docs.js';
import type { FollowedState, GraphMeta, GraphSource, KnownHashes, SavedDocsMeta } from './saved-meta.js';
import { hashesByLabel, putChunks } from './graph-chunks.js';
import { ensureGraphFolder, publishGraphFile, removeOldGraphFiles, restoreFromGraphFile } from './graph-file.js';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { VectorFileFormatError } from '../shared/errors.js';

/** Digests are sums of 64-bit hashes, modulo 2^64. */
export const MASK = (1n << 64n) - 1n;

/** The digest of documents with these hashes. */
export function digestOf(hashes: readonly bigint[]): bigint {
  let digest = 0n;
  for (const hash of hashes) digest += hash;
  return digest & MASK;
}

/** The graph an open collection starts with, and whether it is the saved one (else rebuilt). */
export interface LoadedGraph {
  readonly graph: VectorIndex;
  readonly saved: boolean;
  /** Restored from storage where a graph file could be kept: the next save makes one (see graph-file.ts). */
  readonly withoutFile?: boolean;
  /**
   * For a saved graph taken as it is: each document's graph label, in the order `vectors` lists
   * the documents (`known.ids`, else its hashes' keys), found while checking that the graph holds them all.
   */
  readonly labels?: Int32Array;
  /** The meta of the save it was loaded from (when `saved`). */
  readonly meta?: GraphMeta;
}

/** A saved graph restored, not yet checked against the documents. */
export interface SavedGraph {
  readonly graph: VectorIndex;
  readonly meta: GraphMeta;
  /**
   * Reads the saved documents' hashes by label, when the graph was saved with them (then it may be
   * repaired); read only when the graph turns out stale (8 bytes a document).
   */
  readonly hashes?: () => Promise<BigUint64Array | undefined>;
  /** Documents of the saved graph that have no vector now (deleted since): zeros, to delete. */
  readonly missing: readonly string[];
  /** Read from its graph file (see graph-file.ts), not restored from storage. */
  readonly fromFile: boolean;
}

/**
 * The stored vectors, read in key order by whichever part of an open needs them all (a graph
 * saved with its vectors filling its copies, the check without the records' hashes, a rebuild),
 * hashed on the way (each document's digest contribution).
 */
export class StoredVectors {
  #hashes: Map<string, bigint> | undefined = new Map();
  /** The records' ids and hashes, in key order, when `useKnown` took them as the vectors'. */
  #known: KnownHashes | undefined;
  digest = 0n;
  /** Whether the hashes and `digest` describe every stored vector. */
  complete = false;
  readonly #store: KeyValueReader;
  readonly #keys: CollectionKeys;

  constructor(store: KeyValueReader, keys: CollectionKeys) {
    this.#store = store;
    this.#keys = keys;
  }

  /** Each document's hash by id (made on first use when `useKnown` gave them as arrays). */
  get hashes(): ReadonlyMap<string, bigint> {
    if (this.#hashes === undefined) {
      const { ids, hashes } = this.#known!;
      this.#hashes = new Map(ids.map((id, i) => [id, hashes[i]!]));
    }
    return this.#hashes;
  }

  /** Number of documents hashed. */
  get size(): number {
    return this.#known?.ids.length ?? this.#hashes!.size;
  }

  /** The records' ids and hashes in key order, when they are the documents' (see `useKnown`). */
  get known(): KnownHashes | undefined {
    return this.#known;
  }

  /** Every stored vector as [id, vector], as inserted. */
  async *stream(): AsyncGenerator<readonly [string, Float32Array]> {
    this.#hashes = new Map();
    this.#known = undefined;
    this.digest = 0n;
    this.complete = false;
    for await (const batch of entryBatches(this.#store, this.#keys.range('v'))) {
      for (const [k, v] of batch) {
        const id = this.#keys.idOf(k);
        this.#add(id, hashDoc(id, v));
        yield [id, storedVector(v)];
      }
    }
    this.complete = true;
  }

  /** The stored bytes of the vectors of `ids`, in order; undefined where one is missing. */
  of(ids: readonly string[]): Promise<(Buffer | undefined)[]> {
    return this.#store.getMany(ids.map((id) => this.#keys.vector(id)));
  }

  /**
   * Takes the records' hashes as the vectors' (no vector read), as arrays (adopted, not copied): a
   * map by id is made only if asked for (a repair), a million entries at scale.
   */
  useKnown(known: KnownHashes, digest = digestOf(known.hashes)): void {
    this.#known = known;
    this.#hashes = undefined;
    this.digest = digest;
    this.complete = true;
  }

  #add(id: string, hash: bigint): void {
    this.#hashes!.set(id, hash);
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
  folder?: string,
): Promise<SavedGraph | undefined> {
  const raw = await store.get(keys.graphMeta());
  if (raw === undefined) return undefined;
  const meta = JSON.parse(raw.toString('utf8')) as GraphMeta;
  const hashes = meta.vectors === 'records' && meta.hashChunks !== undefined ? () => savedHashes(store, keys, meta.hashChunks!) : undefined;
  if (folder !== undefined && meta.file !== undefined && !keepVectors) {
    // A graph file that cannot be read is restored from storage instead (it is a cache of it).
    const graph = await restoreFromGraphFile(store, keys, folder, meta.file, meta.chunks).catch(() => undefined);
    if (graph !== undefined) return { graph, meta, missing: [], fromFile: true, ...(hashes ? { hashes } : {}) };
  }
  const deleted: string[] = [];
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
        ? await restoreWithoutVectors(chunks(), (ids) => vectors.of(ids), { keepVectors, ...(hashes ? { onMissing: (id: string) => deleted.push(id) } : {}) })
        : await VectorIndex.fromChunks(chunks(), { keepVectors, ...(keepVectors ? { vectors: vectors.stream() } : {}) });
    return graph && { graph, meta, missing: deleted, fromFile: false, ...(hashes ? { hashes } : {}) };
  } catch (error) {
    // A saved graph is a cache of the records: one that cannot be read is rebuilt, not fatal.
    if (missing || error instanceof VectorFileFormatError) return undefined;
    throw error;
  }
}

/** The saved documents' hashes by label, or undefined when one of their chunks is missing. */
export async function savedHashes(store: KeyValueReader, keys: CollectionKeys, hashChunks: number): Promise<BigUint64Array | undefined> {
  const chunks = await store.getMany(Array.from({ length: hashChunks }, (_, i) => keys.graphHashes(i)));
  if (chunks.some((chunk) => chunk === undefined)) return undefined;
  const bytes = Buffer.concat(chunks as Buffer[]);
  if (bytes.length % 8 !== 0) return undefined;
  // Copied into its own buffer: a BigUint64Array needs 8-aligned bytes, and the values are little-endian as written.
  const hashes = new BigUint64Array(bytes.length / 8);
  for (let i = 0; i < hashes.length; i++) hashes[i] = bytes.readBigUInt64LE(i * 8);
  return hashes;
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
  known: KnownHashes | undefined,
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
    const sameVectors = meta.digest === vectors.digest.toString() && meta.count === vectors.size && graph.size === vectors.size;
    const labels = sameSettings && sameVectors ? labelsOf(graph, vectors.known?.ids ?? vectors.hashes.keys(), vectors.size) : undefined;
    if (labels !== undefined) return { graph, saved: true, withoutFile: !restored.fromFile, labels, meta };
    try {
      // Deleted documents keep zeros in their slots (their vectors are gone), still walked through
      // as deleted nodes are: a few route as well as any, but past a tenth of the graph a rebuild
      // is the safer graph.
      const byLabel = sameSettings && restored.missing.length <= graph.size / 10 ? await restored.hashes?.() : undefined;
      if (byLabel !== undefined) {
        await repairGraph(graph, byLabel, restored.missing, vectors);
        return { graph, saved: false };
      }
    } catch (error) {
      graph.close();
      throw error;
    }
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

/** Each id's label in `graph`, in order, or undefined when the graph lacks one of them. */
function labelsOf(graph: VectorIndex, ids: Iterable<string>, count: number): Int32Array | undefined {
  const labels = new Int32Array(count);
  let i = 0;
  for (const id of ids) {
    const label = labelOf(graph, id);
    if (label === undefined || i >= count) return undefined;
    labels[i++] = label;
  }
  return i === count ? labels : undefined;
}

/** Vectors read at once while repairing a graph (~3 MB at 384 dimensions). */
const REPAIR_BATCH = 2048;

/**
 * Brings a saved graph up to the stored documents, changed since it was saved (the process that
 * changed them never saved it: a crash, a kill, a process that did not close): documents deleted
 * since leave it, and only those inserted or replaced since (their hash differs from the one saved
 * for their label) are inserted again, so an open after a crash costs those documents' graph
 * inserts instead of a rebuild of every one (at 100k documents, a rebuild took minutes).
 * `vectors` has every stored document's hash.
 */
async function repairGraph(graph: VectorIndex, saved: BigUint64Array, missing: readonly string[], vectors: StoredVectors): Promise<void> {
  for (const id of missing) graph.delete(id);
  const { hashes } = vectors;
  // In the graph but not among the documents (a vector left without its record): not a document.
  for (const id of [...graph.ids()]) if (!hashes.has(id)) graph.delete(id);
  const stale: string[] = [];
  for (const [id, hash] of hashes) {
    const label = labelOf(graph, id);
    if (label === undefined || saved[label] !== hash) stale.push(id);
  }
  for (let from = 0; from < stale.length; from += REPAIR_BATCH) {
    const ids = stale.slice(from, from + REPAIR_BATCH);
    const bytes = await vectors.of(ids);
    ids.forEach((id, i) => {
      const vector = bytes[i];
      // Deleted while the open ran (its hash was read before): the follower applies the delete.
      if (vector === undefined) graph.delete(id);
      else graph.insert(id, storedVector(vector));
    });
  }
}

/** The graph's bytes for storage and, given a folder, its graph file on the way; without the file when it cannot be written there. */
function serialise(index: VectorIndex, folder: string | undefined): { readonly bytes: Buffer; readonly file?: KeptFile | undefined } {
  if (folder !== undefined) {
    try {
      return toBytesWithoutVectorsKeepingFile(index, folder);
    } catch {
      // No room or no permission in the database's folder: saved without a graph file, as on storages without a folder.
    }
  }
  return { bytes: toBytesWithoutVectors(index) };
}

/**
 * Saves the graph into storage (one atomic batch) so the next open loads instead of rebuilding,
 * and, given the collection's graph folder, as a graph file the next open reads directly
 * (graph-file.ts). The file is made before the batch that names it commits; one that cannot be
 * made (no space, no permission) leaves the save without it, as on storages without a folder.
 */
export async function saveGraph(storage: Storage, keys: CollectionKeys, state: GraphSource, folder?: string, follow?: FollowedState): Promise<void> {
  const ops: WriteOp[] = [];
  const old = await storage.get(keys.graphMeta());
  const oldMeta = old ? (JSON.parse(old.toString('utf8')) as GraphMeta) : undefined;
  const files = folder !== undefined && (await ensureGraphFolder(folder)) ? folder : undefined;
  // Caught up last, with nothing awaited before the capture: the table is then trusted by more
  // opens (see saved-docs.ts: any commit between the applied LSN and the save's batch loses it).
  if (follow !== undefined) {
    await follow.catchUp();
    // Reloaded meanwhile (the feed had a gap, or the settings changed): `state` was released, and
    // the new one saves itself when it has to.
    if (follow.state !== state) return;
  }
  // Digest, count, graph bytes, hashes, table and applied LSN are taken in one synchronous step so
  // they describe one state.
  const appliedLsn = follow?.lsn;
  const digest = state.digest.toString();
  const count = state.docs.size;
  const index = state.graph();
  // Without the documents' vectors: each is in its record already (see GraphMeta.vectors).
  const { bytes, file: kept } = !index ? { bytes: Buffer.alloc(0), file: undefined } : serialise(index, files);
  const hashes = hashesByLabel(state);
  const table = appliedLsn === undefined || !index ? undefined : captureDocsTable(state, index);
  state.dirty = false;
  state.untrustedSave = undefined;
  const file = kept === undefined ? undefined : await publishGraphFile(files!, kept).catch(() => undefined);
  const chunks = putChunks(ops, keys.graphChunk.bind(keys), bytes, oldMeta?.chunks);
  const hashChunks = putChunks(ops, keys.graphHashes.bind(keys), hashes, oldMeta?.hashChunks);
  const docChunks = putChunks(ops, keys.graphDocs.bind(keys), table?.bytes ?? Buffer.alloc(0), oldMeta?.docs?.chunks);
  const docs: SavedDocsMeta | undefined = table && { appliedLsn: appliedLsn!.toString(), chunks: docChunks, segments: table.segments };
  const meta: GraphMeta = { digest, count, chunks, vectors: 'records', hashChunks, ...(file ? { file } : {}), ...(docs ? { docs } : {}) };
  ops.push({ type: 'put', key: keys.graphMeta(), value: JSON.stringify(meta) });
  try {
    await storage.batch(ops);
  } catch (error) {
    if (file !== undefined) await rm(join(files!, file.name), { force: true }).catch(() => undefined);
    throw error;
  }
  if (files !== undefined) await removeOldGraphFiles(files, file?.name, oldMeta?.file?.name);
}
