import { ChangeFeedGapError, TransactionConflictError, type KeyValueReader, type Storage, type WriteOp } from '@sochdb/core';
import { idAt, type VectorIndex } from '../hnsw/vector-index.js';
import type { CollectionKeys } from './collection-keys.js';
import { hashesByLabel, putChunks } from './graph-chunks.js';
import type { DocsSource, FollowedState, GraphMeta, GraphSource, KnownHashes, SavedDocsMeta } from './saved-meta.js';

/**
 * The saved documents' table: per graph label, what an open otherwise reads from every record
 * (its write segment and BM25 length; its hash is in the saved hashes already), saved with the
 * graph so an open that can prove no document changed since the save skips the records scan (at a
 * million documents, half of a 7 s open; issue 25).
 *
 * The proof is by LSN. The save captures the table with `appliedLsn` A, the LSN through which its
 * state holds every commit (the follower's, read in the same synchronous step); the state may also
 * hold commits after A (this process's own, applied as they commit), never any made after the
 * capture. The save's batch commits after the capture, so at an LSN above A. An open trusts the
 * table when no commit after A touched the documents' keys: either the database's newest LSN is
 * A + 1 (the save's batch is the only commit since A, so the state captured was exactly the
 * documents at A), or the commit feed, which still reaches back to A, shows no commit on them.
 * Anything else (a commit the feed no longer holds, a newer LSN after a restart) scans the records
 * as before: the table is never needed to be right, only to be trusted when provably so.
 */

/** The table's rows, in label order: each live label's document (see `readDocsTable`). */
export interface DocsTable extends KnownHashes {
  readonly labels: Int32Array;
  readonly origins: readonly string[];
  readonly lengths: readonly number[];
}

const FREE = 0xffffffff;
/** Bytes per label: u32 segment index (FREE for a free label), u32 BM25 length. */
const ROW = 8;

/**
 * The table of `source` and `index` (as `saveGraph` takes them, in its synchronous step), or
 * undefined when they do not describe the same documents (then nothing is saved and opens scan).
 */
export function captureDocsTable(source: DocsSource, index: VectorIndex): { readonly bytes: Buffer; readonly segments: readonly string[] } | undefined {
  const bytes = Buffer.alloc(ROW * source.labels);
  const segments: string[] = [];
  const segmentIndex = new Map<string, number>();
  let live = 0;
  for (let label = 0; label < source.labels; label++) {
    const entry = source.entryAt(label);
    if (entry === undefined) {
      bytes.writeUInt32LE(FREE, label * ROW);
      continue;
    }
    const id = idAt(index, label);
    const length = id === undefined ? undefined : source.keywords.lengthOf(id);
    if (id === undefined || length === undefined || source.docs.get(id) !== entry) return undefined;
    let at = segmentIndex.get(entry.segment);
    if (at === undefined) {
      segmentIndex.set(entry.segment, (at = segments.length));
      segments.push(entry.segment);
    }
    bytes.writeUInt32LE(at, label * ROW);
    bytes.writeUInt32LE(length, label * ROW + 4);
    live++;
  }
  if (live !== source.docs.size || live !== index.size) return undefined;
  return { bytes, segments };
}

/**
 * Whether no commit after `appliedLsn` touched the collection's documents, as far as `storage`
 * can prove it (`latest`: its newest LSN when the open began).
 */
export async function unchangedSince(storage: Storage, keys: CollectionKeys, appliedLsn: bigint, latest: bigint): Promise<boolean> {
  if (latest === appliedLsn + 1n) return true;
  if (latest <= appliedLsn) return false; // not this database's history (a restore, another folder)
  try {
    for (const kind of ['m', 'v', 't'] as const) {
      const range = keys.range(kind);
      let after = appliedLsn;
      for (;;) {
        const batch = await storage.changesAfter(after, range);
        if (batch.commits.some((commit) => commit.lsn <= latest)) return false;
        if (!batch.more || batch.lsn >= latest) break;
        after = batch.lsn;
      }
    }
    return true;
  } catch (error) {
    if (error instanceof ChangeFeedGapError) return false;
    throw error;
  }
}

/**
 * The saved table's rows for the live labels of `graph` (restored from the same save), or
 * undefined when a chunk is missing or the table does not match the graph and hashes.
 */
export async function readDocsTable(
  store: KeyValueReader,
  keys: CollectionKeys,
  meta: SavedDocsMeta,
  graph: VectorIndex,
  hashes: BigUint64Array,
): Promise<DocsTable | undefined> {
  const chunks = await store.getMany(Array.from({ length: meta.chunks }, (_, i) => keys.graphDocs(i)));
  if (chunks.some((chunk) => chunk === undefined)) return undefined;
  const bytes = Buffer.concat(chunks as Buffer[]);
  if (bytes.length !== ROW * hashes.length) return undefined;
  const ids: string[] = [];
  const known: bigint[] = [];
  const origins: string[] = [];
  const lengths: number[] = [];
  const labels: number[] = [];
  for (let label = 0; label < hashes.length; label++) {
    const segment = bytes.readUInt32LE(label * ROW);
    const id = idAt(graph, label);
    if (segment === FREE) {
      if (id !== undefined) return undefined;
      continue;
    }
    const origin = meta.segments[segment];
    if (id === undefined || origin === undefined) return undefined;
    ids.push(id);
    known.push(hashes[label]!);
    origins.push(origin);
    lengths.push(bytes.readUInt32LE(label * ROW + 4));
    labels.push(label);
  }
  if (ids.length !== graph.size) return undefined;
  return { ids, hashes: known, origins, lengths, labels: Int32Array.from(labels) };
}

/**
 * Saves only the documents' table (and the hashes beside it) for a graph an open loaded as saved
 * but could not trust the table of (none yet, or commits since it the open could not see past):
 * the next opens then skip the records scan again without the whole graph being saved. Only while
 * the state is still exactly that graph (not dirty) and the stored meta is still the one it was
 * loaded from, checked in the transaction that writes (a save committed meanwhile wins).
 */
export async function saveDocsTable(storage: Storage, keys: CollectionKeys, state: GraphSource, follow: FollowedState): Promise<void> {
  const loaded = state.untrustedSave;
  state.untrustedSave = undefined;
  if (loaded === undefined) return;
  await follow.catchUp();
  // Captured in one synchronous step, as saveGraph does.
  const index = follow.state === state && !state.dirty ? state.graph() : undefined;
  if (index === undefined) return;
  const appliedLsn = follow.lsn;
  const hashes = hashesByLabel(state);
  const table = captureDocsTable(state, index);
  if (table === undefined) return;
  const txn = storage.beginTransaction();
  try {
    const raw = await txn.get(keys.graphMeta());
    const current = raw === undefined ? undefined : (JSON.parse(raw.toString('utf8')) as GraphMeta);
    if (current === undefined || JSON.stringify(current) !== JSON.stringify(loaded)) return;
    const ops: WriteOp[] = [];
    const hashChunks = putChunks(ops, keys.graphHashes.bind(keys), hashes, current.hashChunks);
    const chunks = putChunks(ops, keys.graphDocs.bind(keys), table.bytes, current.docs?.chunks);
    const meta: GraphMeta = { ...current, hashChunks, docs: { appliedLsn: appliedLsn.toString(), chunks, segments: table.segments } };
    ops.push({ type: 'put', key: keys.graphMeta(), value: JSON.stringify(meta) });
    await txn.batch(ops);
    await txn.commit();
  } catch (error) {
    // Another save committed first: its table is the newer one.
    if (!(error instanceof TransactionConflictError)) throw error;
  } finally {
    if (txn.state === 'active') await txn.abort();
  }
}
