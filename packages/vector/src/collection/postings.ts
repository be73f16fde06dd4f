import { randomBytes } from 'node:crypto';
import type { KeyValueStore, WriteOp } from '@sochdb/core';
import type { GroupedPostings } from '../text/grouped-postings.js';
import { decodeBlock, encodeBlock } from '../text/posting-block.js';
import type { CollectionKeys } from './collection-keys.js';
import type { PreparedWrite, StoredDoc } from './documents.js';
import type { KeywordIndex } from './keyword-index.js';
import { damaged, decodeHeader, decodeTerms, encodeHeader, encodeTerms, originAt, type MergeResult, type SegmentHeader } from './segment-header.js';

/**
 * The persisted BM25 inverted index, in segments (as Lucene keeps one): each write call's chunk
 * of up to `CHUNK_DOCS` documents is a segment, an inverted index of those documents stored as
 * one value per term (`['q', term, segment]`, see posting-block.ts), its header (`['s', segment]`:
 * which document each number is) and its term list (`['l', segment]`, for merging). Keys lead
 * with the term, so a keyword query reads one short range per query term and an open reads no
 * postings at all (keyword-index.ts keeps ~50 bytes a document in memory instead of the postings).
 *
 * A document's stored record names the write that indexed it (`segment`, its origin), and a
 * posting counts only while its document's record names the origin the segment's header gives
 * it: deleting or replacing a document rewrites no posting (so writers of different documents
 * never conflict on postings), and its old postings are dead from that commit on.
 *
 * Writes keep segments few and mostly live (`maintainSegments`): they merge small segments of
 * one size class into one (so a query reads a few values per term even after thousands of
 * one-document inserts), and rewrite a segment without its dead postings once at most half of
 * it is live. A merge writes a new segment and deletes the old ones in the write's transaction:
 * a query's snapshot sees either, never both.
 */

/** A new segment id: random, so concurrent writers never share one and ids are never reused. */
export function newSegmentId(): string {
  return randomBytes(9).toString('base64url');
}

/** The stored segment of a write's chunk c (a write segment id names no stored segment of its own). */
export function chunkSegmentId(writeSegment: string, chunk: number): string {
  return `${writeSegment}.${chunk}`;
}

/** The ops storing one segment: a block per term, its header and term list (nothing when it has no postings). */
export function segmentOps(
  keys: CollectionKeys,
  segment: string,
  header: SegmentHeader,
  group: Pick<GroupedPostings, 'terms' | 'termStart' | 'docs' | 'tfs'>,
): WriteOp[] {
  if (group.docs.length === 0) return [];
  const ops: WriteOp[] = [];
  const { terms, termStart, docs, tfs } = group;
  for (let t = 0; t < terms.length; t++) {
    ops.push({ type: 'put', key: keys.block(terms[t]!, segment), value: encodeBlock(docs, tfs, termStart[t], termStart[t + 1]) });
  }
  ops.push({ type: 'put', key: keys.segmentHeader(segment), value: encodeHeader(header) });
  ops.push({ type: 'put', key: keys.segmentTerms(segment), value: encodeTerms(terms) });
  return ops;
}

/** The ops storing a write's postings: one segment per chunk. */
export function writeSegmentOps(keys: CollectionKeys, write: PreparedWrite): WriteOp[] {
  return write.chunks.flatMap((chunk, c) => segmentOps(keys, chunkSegmentId(write.segment, c), { ids: chunk.ids, origins: [write.segment] }, chunk.postings));
}

/**
 * Rewrites `segments` as one new segment holding only their live postings (a posting is live
 * while its document's record, read through `store`, names the origin the header gives it), in
 * `store`'s transaction. Segments gone already (another process merged them) are left out, and
 * reported removed so this process forgets them too.
 */
export async function mergeSegments(store: KeyValueStore, keys: CollectionKeys, wanted: readonly string[]): Promise<MergeResult> {
  const headerValues = await store.getMany(wanted.map((s) => keys.segmentHeader(s)));
  const segments = wanted.filter((_, k) => headerValues[k] !== undefined);
  const headers = headerValues.filter((v) => v !== undefined).map((v) => decodeHeader(v, keys));
  if (segments.length === 0) return { removed: wanted };
  const termValues = await store.getMany(segments.map((s) => keys.segmentTerms(s)));
  const termLists = termValues.map((v) => {
    if (v === undefined) throw damaged(keys, 'a postings segment has a header but no term list');
    return decodeTerms(v, keys);
  });
  // Each document's new number (−1: dead), segments in order, so each term's documents stay ascending.
  const ids: string[] = [];
  const origins: string[] = [];
  const originIndex = new Map<string, number>();
  const originOf: number[] = [];
  const renumber: Int32Array[] = [];
  for (const header of headers) {
    const records = await store.getMany(header.ids.map((id) => keys.doc(id)));
    const map = new Int32Array(header.ids.length).fill(-1);
    header.ids.forEach((id, j) => {
      const record = records[j];
      const origin = originAt(header, j);
      if (record === undefined || (JSON.parse(record.toString('utf8')) as StoredDoc).segment !== origin) return;
      let o = originIndex.get(origin);
      if (o === undefined) originIndex.set(origin, (o = origins.push(origin) - 1));
      map[j] = ids.push(id) - 1;
      originOf.push(o);
    });
    renumber.push(map);
  }
  const ops: WriteOp[] = [];
  const id = newSegmentId();
  const terms = new Map<string, number[]>();
  termLists.forEach((list, k) => {
    for (const term of list) {
      const holders = terms.get(term);
      if (holders) holders.push(k);
      else terms.set(term, [k]);
    }
  });
  const kept: string[] = [];
  // Blocks are read a few thousand at a time: one getMany per term cost more than the merge.
  const pending: [string, readonly number[]][] = [];
  let batched = 0;
  const flush = async () => {
    const blockKeys = pending.flatMap(([term, holders]) => holders.map((k) => keys.block(term, segments[k]!)));
    const values = await store.getMany(blockKeys);
    let at = 0;
    for (const [term, holders] of pending) {
      const docs: number[] = [];
      const tfs: number[] = [];
      for (const k of holders) {
        const key = blockKeys[at]!;
        const value = values[at++];
        if (value === undefined) continue; // listed but never written: nothing to carry over
        ops.push({ type: 'del', key });
        let block;
        try {
          block = decodeBlock(value);
        } catch (error) {
          throw damaged(keys, (error as Error).message);
        }
        const map = renumber[k]!;
        for (let i = 0; i < block.docs.length; i++) {
          const d = map[block.docs[i]!] ?? -1;
          if (d < 0) continue;
          docs.push(d);
          tfs.push(block.tfs[i]!);
        }
      }
      if (docs.length === 0) continue;
      kept.push(term);
      ops.push({ type: 'put', key: keys.block(term, id), value: encodeBlock(docs, tfs) });
    }
    pending.length = 0;
    batched = 0;
  };
  for (const entry of terms) {
    pending.push(entry);
    batched += entry[1].length;
    if (batched >= READ_BATCH) await flush();
  }
  await flush();
  for (const s of segments) ops.push({ type: 'del', key: keys.segmentHeader(s) }, { type: 'del', key: keys.segmentTerms(s) });
  let added: MergeResult['added'];
  if (kept.length > 0) {
    const header: SegmentHeader = origins.length === 1 ? { ids, origins } : { ids, origins, originOf };
    ops.push({ type: 'put', key: keys.segmentHeader(id), value: encodeHeader(header) });
    ops.push({ type: 'put', key: keys.segmentTerms(id), value: encodeTerms(kept) });
    added = { id, header };
  }
  await store.batch(ops);
  return { removed: wanted, ...(added ? { added } : {}) };
}

/** Block keys a merge reads per getMany. */
const READ_BATCH = 4096;

/** Segments of one size class merge once this many share it; each class is this factor larger. */
export const MERGE_FACTOR = 16;
/**
 * Segments larger than this are not merged with others (only rewritten without their dead
 * postings): a merge runs inside a write, and merging ever larger segments would make an
 * occasional write rewrite most of the collection. A query then reads one value per such
 * segment and term: ~30 per term at a million documents.
 */
export const MERGE_MAX_DOCS = 4096;
/** How many segments left at most half live one write rewrites at most, to bound its cost. */
const LEFTOVERS_PER_WRITE = 4;

/**
 * Called by every write in its transaction, with the documents it removes or replaces: rewrites
 * the segments they leave at most half live (and up to `leftovers` more left so by earlier
 * writes), and merges one size class of small segments once `MERGE_FACTOR` share it. Chosen from
 * what this process has loaded (errs only towards doing less); what is live is read through the
 * transaction, so a merge never drops a live posting, whatever this process knows.
 * `afterCommit` updates the in-memory index once the write commits.
 */
export async function maintainSegments(
  store: KeyValueStore,
  keys: CollectionKeys,
  index: KeywordIndex,
  removing: readonly string[],
  afterCommit: (callback: () => void) => void,
  leftovers = LEFTOVERS_PER_WRITE,
): Promise<void> {
  const groups = plan(index, removing, leftovers);
  for (const group of groups) {
    const result = await mergeSegments(store, keys, group);
    afterCommit(() => index.applyMerge(result));
  }
}

/** Whether a maintenance pass (`maintainSegments` with no removals) has anything to do: `flush` runs one then. */
export function needsMaintenance(index: KeywordIndex): boolean {
  return plan(index, [], Infinity).length > 0;
}

/** Which merges to run: each a list of segments merged into one. */
function plan(index: KeywordIndex, removing: readonly string[], leftovers: number): string[][] {
  const lost = new Map<string, number>();
  for (const id of removing) {
    const segment = index.segmentOf(id);
    if (segment) lost.set(segment, (lost.get(segment) ?? 0) + 1);
  }
  const groups: string[][] = [];
  const chosen = new Set<string>();
  let spare = leftovers;
  for (const [id, segment] of index.segments) {
    if (segment.stale) continue;
    const live = segment.live - (lost.get(id) ?? 0);
    const size = segment.header.ids.length;
    if (live * 2 > size) continue;
    if (!lost.has(id) && spare-- <= 0) continue;
    groups.push([id]);
    chosen.add(id);
  }
  // One size class of small segments, the smallest that has enough.
  const tiers = new Map<number, string[]>();
  for (const [id, segment] of index.segments) {
    const size = segment.header.ids.length;
    if (chosen.has(id) || segment.stale || size > MERGE_MAX_DOCS) continue;
    const tier = Math.floor(Math.log(Math.max(1, size)) / Math.log(MERGE_FACTOR));
    const same = tiers.get(tier);
    if (same) same.push(id);
    else tiers.set(tier, [id]);
  }
  const full = [...tiers].filter(([, ids]) => ids.length >= MERGE_FACTOR).sort(([a], [b]) => a - b)[0];
  if (full) groups.push(full[1].slice(0, MERGE_FACTOR));
  return groups;
}
