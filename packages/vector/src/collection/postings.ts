import { randomBytes } from 'node:crypto';
import type { KeyValueStore, WriteOp } from '@sochdb/core';
import { bucketCount, decodeBlock, encodeBuckets, readBucket, type EncodedBuckets } from '../text/posting-block.js';
import type { CollectionKeys } from './collection-keys.js';
import type { PreparedWrite, StoredDoc } from './documents.js';
import type { KeywordIndex } from './keyword-index.js';
import { decodeHeader, encodeHeader, originAt, readStored, type MergeResult, type SegmentDocs } from './segment-header.js';

/**
 * The persisted BM25 inverted index, in segments (as Lucene keeps one): each write call's chunk
 * of up to `CHUNK_DOCS` documents is a segment, an inverted index of those documents stored as a
 * header (`['s', segment]`: which document each number is, see segment-header.ts) and its
 * postings split by term hash into buckets of ~128 terms (`['q', segment, n]`, see
 * posting-block.ts). A keyword query reads one bucket per query term and segment; an open reads
 * the headers and no postings (keyword-index.ts keeps ~150 bytes a document in memory instead).
 * Why buckets rather than a value per term: a write of 1,000 documents of ~1 KB text has ~15,000
 * distinct terms (most of them rare); a key per term made writes 2.5× slower and filled the
 * commit feed that other processes follow, while ~120 buckets cost a query only the scan of a
 * bucket's term bytes.
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

/**
 * The ops storing one segment: its buckets (every one, empty ones too: a missing bucket means the
 * segment is gone) and its header; nothing when it has no postings.
 */
export function segmentOps(keys: CollectionKeys, segment: string, docs: SegmentDocs, buckets: EncodedBuckets): WriteOp[] {
  const { values, ends } = buckets;
  if (ends.length === 0) return [];
  const bytes = Buffer.from(values.buffer, values.byteOffset, values.byteLength);
  const ops: WriteOp[] = [];
  for (let n = 0; n < ends.length; n++) ops.push({ type: 'put', key: keys.bucket(segment, n), value: bytes.subarray(n === 0 ? 0 : ends[n - 1], ends[n]) });
  ops.push({ type: 'put', key: keys.segmentHeader(segment), value: encodeHeader({ ...docs, buckets: ends.length }) });
  return ops;
}

/** The ops storing a write's postings: one segment per chunk, its buckets encoded with the chunk (see chunk-work.ts). */
export function writeSegmentOps(keys: CollectionKeys, write: PreparedWrite): WriteOp[] {
  return write.chunks.flatMap((chunk, c) => segmentOps(keys, chunkSegmentId(write.segment, c), { ids: chunk.ids, origins: [write.segment] }, chunk.buckets));
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
  const merged = new Map<string, { readonly docs: number[]; readonly tfs: number[] }>();
  for (const [k, segment] of segments.entries()) {
    const map = renumber[k]!;
    for await (const [key, value] of store.iterator(keys.buckets(segment))) {
      ops.push({ type: 'del', key });
      for (const { term, block } of readStored(keys, () => readBucket(value))) {
        const { docs, tfs } = readStored(keys, () => decodeBlock(block));
        for (let i = 0; i < docs.length; i++) {
          const d = map[docs[i]!] ?? -1;
          if (d < 0) continue;
          let postings = merged.get(term);
          if (!postings) merged.set(term, (postings = { docs: [], tfs: [] }));
          postings.docs.push(d);
          postings.tfs.push(tfs[i]!);
        }
      }
    }
    ops.push({ type: 'del', key: keys.segmentHeader(segment) });
  }
  const terms = [...merged.keys()];
  const termStart = new Int32Array(terms.length + 1);
  terms.forEach((term, t) => (termStart[t + 1] = termStart[t]! + merged.get(term)!.docs.length));
  const docs = new Int32Array(termStart[terms.length]!);
  const tfs = new Int32Array(docs.length);
  terms.forEach((term, t) => {
    docs.set(merged.get(term)!.docs, termStart[t]);
    tfs.set(merged.get(term)!.tfs, termStart[t]);
  });
  const id = newSegmentId();
  const segmentDocs: SegmentDocs = origins.length === 1 ? { ids, origins } : { ids, origins, originOf };
  const written = segmentOps(keys, id, segmentDocs, encodeBuckets({ terms, termStart, docs, tfs }));
  await store.batch([...ops, ...written]);
  if (written.length === 0) return { removed: wanted };
  return { removed: wanted, added: { id, header: { ...segmentDocs, buckets: bucketCount(terms.length) } } };
}

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

/** How much a write's maintenance does (see `maintainSegments`). */
export type Maintenance =
  /** Everything: the write's own half-dead segments, up to a few left by earlier writes, one merge of small segments. */
  | 'write'
  /**
   * Only the segments the write itself leaves at most half live: for writes in a caller's
   * transaction, which a conflict fails instead of retrying (merges are left to the next write or
   * `flush`, which run in transactions of their own).
   */
  | 'own'
  /** `flush`: every segment at most half live, and one merge of small segments. */
  | 'all';

/**
 * Called by every write in its transaction, with the documents it removes or replaces: rewrites
 * the segments they leave at most half live (and up to `LEFTOVERS_PER_WRITE` more left so by
 * earlier writes), and merges one size class of small segments once `MERGE_FACTOR` share it, as
 * `maintenance` allows. Chosen from what this process knows of (errs only towards doing less);
 * what is live is read through the transaction, so a merge never drops a live posting, whatever
 * this process knows. `afterCommit` updates the in-memory index once the write commits.
 */
export async function maintainSegments(
  store: KeyValueStore,
  keys: CollectionKeys,
  index: KeywordIndex,
  removing: readonly string[],
  afterCommit: (callback: () => void) => void,
  maintenance: Maintenance = 'write',
): Promise<void> {
  const groups = plan(index, removing, maintenance);
  for (const group of groups) {
    const result = await mergeSegments(store, keys, group);
    afterCommit(() => index.applyMerge(result));
  }
}

/** Whether a maintenance pass (`maintainSegments` with no removals) has anything to do: `flush` runs one then. */
export function needsMaintenance(index: KeywordIndex): boolean {
  return plan(index, [], 'all').length > 0;
}

/** Which merges to run: each a list of segments merged into one. */
function plan(index: KeywordIndex, removing: readonly string[], maintenance: Maintenance): string[][] {
  // Every segment's slots brought up to date first, so each removed document's segment is known.
  const segments = index.segments;
  const lost = new Map<string, number>();
  for (const id of removing) {
    const segment = index.segmentOf(id);
    if (segment) lost.set(segment, (lost.get(segment) ?? 0) + 1);
  }
  const groups: string[][] = [];
  const chosen = new Set<string>();
  let spare = maintenance === 'write' ? LEFTOVERS_PER_WRITE : maintenance === 'all' ? Infinity : 0;
  for (const [id, segment] of segments) {
    const live = segment.live - (lost.get(id) ?? 0);
    const size = segment.header.ids.length;
    if (live * 2 > size) continue;
    if (!lost.has(id) && spare-- <= 0) continue;
    groups.push([id]);
    chosen.add(id);
  }
  if (maintenance === 'own') return groups;
  // One size class of small segments, the smallest that has enough.
  const tiers = new Map<number, string[]>();
  for (const [id, segment] of segments) {
    const size = segment.header.ids.length;
    if (chosen.has(id) || size > MERGE_MAX_DOCS) continue;
    const tier = Math.floor(Math.log(Math.max(1, size)) / Math.log(MERGE_FACTOR));
    const same = tiers.get(tier);
    if (same) same.push(id);
    else tiers.set(tier, [id]);
  }
  const full = [...tiers].filter(([, ids]) => ids.length >= MERGE_FACTOR).sort(([a], [b]) => a - b)[0];
  if (full) groups.push(full[1].slice(0, MERGE_FACTOR));
  return groups;
}
