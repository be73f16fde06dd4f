import { randomBytes } from 'node:crypto';
import { DatabaseError, decodeKey, type KeyValueStore, type WriteOp } from '@sochdb/core';
import type { PreparedChunk } from '../prepare/chunk-work.js';
import { postingCount, selectDocs } from '../text/grouped-postings.js';
import { decodeChunk, encodeChunk, type PostingsChunk } from '../text/postings-chunk.js';
import type { CollectionKeys } from './collection-keys.js';

/**
 * The persisted BM25 inverted index, in segments (as Lucene does): each write call adds one
 * segment, itself an inverted index of the documents it wrote, stored in chunks of up to
 * `CHUNK_DOCS` documents (`['p', segment, chunk]`, see postings-chunk.ts). Search never reads
 * postings from storage (an open collection serves them from memory), so a segment needs no key
 * per term: a write of 1,000 documents stores one postings value instead of thousands.
 *
 * A document's stored record names its segment, and a posting counts only in the segment its
 * document names: deleting or replacing a document rewrites no posting (so writers of different
 * documents conflict on postings only when both compact one segment), and its old postings are
 * dead from that commit on. Dead postings are dropped by compaction: once at most half of a
 * segment's postings are live, the write that removed them also rewrites that segment without
 * them (or deletes it).
 *
 * Segments written before chunks (one key per term, `['p', segment, term]` holding JSON
 * `[id, tf, id, tf, …]`) are still read and compacted.
 */
export type PostingList = (string | number)[];

/** Per segment: postings stored, and how many of them are live. */
export interface SegmentStats {
  entries: number;
  live: number;
}

/**
 * What compaction reads of an open collection's committed in-memory state, and where it reports
 * a committed compaction: CollectionState provides it (an interface here, so this module does not
 * depend on the state that depends on it).
 */
export interface CompactionState {
  /** Each committed document's segment and its number of distinct terms (postings) there. */
  readonly docs: ReadonlyMap<string, { readonly segment: string; readonly terms: number }>;
  readonly segments: ReadonlyMap<string, SegmentStats>;
  /** Segments with at most half their postings live, waiting for a write to compact them. */
  readonly compactable: ReadonlySet<string>;
  /** A compaction committed: the segment now stores `kept` postings. */
  applyCompaction(segment: string, kept: number): void;
}

/** A new segment id: random, so concurrent writers never share one and ids are never reused. */
export function newSegmentId(): string {
  return randomBytes(9).toString('base64url');
}

/** One put per chunk of the write that has postings. */
export function segmentOps(keys: CollectionKeys, segment: string, chunks: readonly PreparedChunk[]): WriteOp[] {
  const ops: WriteOp[] = [];
  chunks.forEach((chunk, i) => {
    if (postingCount(chunk.postings) === 0) return;
    const { bytes } = chunk;
    ops.push({ type: 'put', key: keys.postingChunk(segment, i), value: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) });
  });
  return ops;
}

/** A legacy per-term postings value. */
export function decodePostings(value: Buffer): PostingList {
  return JSON.parse(value.toString('utf8')) as PostingList;
}

/**
 * Rewrites one segment without its dead postings (deleting values left empty); resolves with the
 * number of postings kept. `isLive` may call a dead posting live (it is then kept until a later
 * compaction) but must never call a live one dead.
 */
export async function compactSegment(store: KeyValueStore, keys: CollectionKeys, segment: string, isLive: (id: string) => boolean): Promise<number> {
  const ops: WriteOp[] = [];
  let kept = 0;
  for await (const [key, value] of store.iterator(keys.segment(segment))) {
    const parts = decodeKey(key);
    if (typeof parts[parts.length - 1] === 'number') {
      const chunk = readChunk(value, keys);
      const { group, kept: docs } = selectDocs(chunk.postings, (d) => isLive(chunk.ids[d]!));
      if (postingCount(group) === 0) ops.push({ type: 'del', key });
      else if (group !== chunk.postings)
        ops.push({
          type: 'put',
          key,
          value: encodeChunk(
            docs.map((d) => chunk.ids[d]!),
            group,
          ),
        });
      kept += postingCount(group);
      continue;
    }
    const list = decodePostings(value);
    const live: PostingList = [];
    for (let i = 0; i < list.length; i += 2) if (isLive(list[i] as string)) live.push(list[i]!, list[i + 1]!);
    if (live.length === 0) ops.push({ type: 'del', key });
    else if (live.length < list.length) ops.push({ type: 'put', key, value: JSON.stringify(live) });
    kept += live.length / 2;
  }
  if (ops.length > 0) await store.batch(ops);
  return kept;
}

/** A stored chunk, or a DatabaseError naming the collection when its bytes are not one. */
export function readChunk(value: Uint8Array, keys: CollectionKeys): PostingsChunk {
  try {
    return decodeChunk(value);
  } catch (error) {
    throw new DatabaseError(`collection '${keys.name}' in namespace '${keys.namespace}' has an unreadable postings chunk: ${(error as Error).message}`, {
      remediation:
        'The database files are damaged or were written by a newer version; restore from a backup, or re-insert the documents into a new collection.',
    });
  }
}

/** How many segments left over by earlier writes one write compacts at most, to bound its cost. */
const LEFTOVERS_PER_WRITE = 4;

/**
 * Called by every write, with the committed documents it removes (deletes or replaces): compacts,
 * in the same write, each of their segments left with at most half its postings live, and up to
 * a few segments that earlier writes left in that state (writes running concurrently each judge
 * from the committed state they started from, so none of them may have compacted). Liveness comes
 * from the committed in-memory state, which errs only towards "live": a posting dead in storage
 * stays dead (segment ids are never reused), and a segment's documents enter the state together,
 * after its commit.
 */
export async function compactAfterRemoving(
  store: KeyValueStore,
  keys: CollectionKeys,
  state: CompactionState,
  ids: readonly string[],
  afterCommit: (callback: () => void) => void,
  leftovers = LEFTOVERS_PER_WRITE,
): Promise<void> {
  const removed = new Map<string, number>();
  for (const id of ids) {
    const entry = state.docs.get(id);
    if (entry && entry.terms > 0) removed.set(entry.segment, (removed.get(entry.segment) ?? 0) + entry.terms);
  }
  const segments: string[] = [];
  for (const [segment, count] of removed) {
    const stats = state.segments.get(segment);
    if (stats && (stats.live - count) * 2 <= stats.entries) segments.push(segment);
  }
  for (const segment of state.compactable) {
    if (segments.length >= removed.size + leftovers) break;
    if (!removed.has(segment)) segments.push(segment);
  }
  if (segments.length === 0) return;
  const gone = new Set(ids);
  for (const segment of segments) {
    const kept = await compactSegment(store, keys, segment, (id) => !gone.has(id) && state.docs.get(id)?.segment === segment);
    afterCommit(() => state.applyCompaction(segment, kept));
  }
}
