import { randomBytes } from 'node:crypto';
import type { KeyValueStore, WriteOp } from '@sochdb/core';
import type { BatchPostings } from './batch-postings.js';
import type { CollectionKeys } from './collection-keys.js';
import type { CollectionState } from './collection-state.js';

/**
 * The persisted BM25 inverted index, in segments (as Lucene does): each write call adds one
 * segment, itself an inverted index of the documents it wrote, with one key per (segment, term)
 * holding that term's postings for the whole write: `[id, tf, id, tf, …]`. A batch of 1,000
 * documents with ~50 distinct terms each writes a few thousand posting keys instead of ~50,000.
 *
 * A document's stored record names its segment, and a posting counts only in the segment its
 * document names: deleting or replacing a document rewrites no posting key (so writers of
 * different documents conflict on postings only when both compact one segment), and its old
 * postings are dead from that commit on. Dead postings are dropped by compaction: once at most half of a segment's postings
 * are live, the write that removed them also rewrites that segment without them (or deletes it).
 */
export type PostingList = (string | number)[];

/** Per segment: postings stored, and how many of them are live. */
export interface SegmentStats {
  entries: number;
  live: number;
}

/** A new segment id: random, so concurrent writers never share one and ids are never reused. */
export function newSegmentId(): string {
  return randomBytes(9).toString('base64url');
}

/** One put per distinct term of the write: that term's postings in the new segment. */
export function segmentOps(keys: CollectionKeys, segment: string, ids: readonly string[], postings: BatchPostings): WriteOp[] {
  const ops: WriteOp[] = [];
  for (const [term, list] of postings.byTerm) {
    const stored: PostingList = new Array<string | number>(list.length);
    for (let i = 0; i < list.length; i += 2) {
      stored[i] = ids[list[i]!]!;
      stored[i + 1] = list[i + 1]!;
    }
    // JSON: ids may hold any character, and V8's JSON codec is faster than a hand-written one.
    ops.push({ type: 'put', key: keys.posting(segment, term), value: JSON.stringify(stored) });
  }
  return ops;
}

export function decodePostings(value: Buffer): PostingList {
  return JSON.parse(value.toString('utf8')) as PostingList;
}

/**
 * Rewrites one segment without its dead postings (deleting keys left empty); resolves with the
 * number of postings kept. `isLive` may call a dead posting live (it is then kept until a later
 * compaction) but must never call a live one dead.
 */
export async function compactSegment(store: KeyValueStore, keys: CollectionKeys, segment: string, isLive: (id: string) => boolean): Promise<number> {
  const ops: WriteOp[] = [];
  let kept = 0;
  for await (const [key, value] of store.iterator(keys.segment(segment))) {
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
  state: CollectionState,
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
