import { contribution, type PostingSource, type WeightedTerm } from '../text/bm25-prune.js';
import type { PostingBlock } from '../text/posting-block.js';
import type { SegmentHeader } from './segment-header.js';

// The postings a collection's keyword query read from storage, as a `PostingSource` for the
// MaxScore search Bm25Index uses (bm25-prune.ts): the query's common words (long postings, small
// idf) are mostly not walked, only looked up for the documents that can still make the top k.

/**
 * A stored postings segment this process has read the header of: per document number, the slot
 * of the document version whose postings count there (−1: none does) and that slot's generation
 * then (a later removal bumps it). `stale` once a write whose documents it holds was applied after
 * the slots were computed (they are computed again before the next query reads the segment).
 */
export interface LoadedSegment {
  readonly id: string;
  readonly header: SegmentHeader;
  slots: Int32Array;
  gens: Uint32Array;
  /** When it was loaded (a count of loads): see `search`. */
  readonly loadedAt: number;
  /** Changes whenever one of its postings may have died or its slots were computed again (unique across segments). */
  version: number;
  /** Documents whose postings still count here (compaction rewrites a segment at most half live). */
  live: number;
  stale: boolean;
}

/**
 * A segment's postings of one term as the postings cache keeps them: `[maxTf, version, live,
 * docs…, tfs…]`. `live` counts the postings live as of the segment's `version` (recounted when
 * the segment changed since), so a query's df costs no pass over a common word's postings.
 */
export const HEADER = 3;

/** A block packed for the cache (see `HEADER`); its live count is not known yet. */
export function packBlock({ docs, tfs }: PostingBlock): Int32Array {
  const n = docs.length;
  const out = new Int32Array(HEADER + 2 * n);
  let maxTf = 0;
  for (let i = 0; i < n; i++) if (tfs[i]! > maxTf) maxTf = tfs[i]!;
  out[0] = maxTf;
  out[1] = -1;
  out.set(docs, HEADER);
  out.set(tfs, HEADER + n);
  return out;
}

/** A segment's lack of a term. */
export const NO_POSTINGS = new Int32Array(HEADER);

/** What scoring reads of the keyword index: its per-slot arrays, shared. */
export interface SlotState {
  readonly lengths: Float64Array;
  readonly scores: Float64Array;
  readonly generations: Uint32Array;
  readonly segmentAt: readonly (LoadedSegment | undefined)[];
  readonly numberAt: Int32Array;
}

/** One query term's postings: per segment holding it, its packed block. */
export type TermPostings = ReadonlyMap<LoadedSegment, Int32Array>;

/** The number of live postings in a packed block of `segment`, cached in the block until the segment changes. */
export function liveCount(segment: LoadedSegment, block: Int32Array, generations: Uint32Array): number {
  if (block[1] === segment.version) return block[2]!;
  const n = (block.length - HEADER) / 2;
  let live = 0;
  for (let i = 0; i < n; i++) {
    const j = block[HEADER + i]!;
    const slot = segment.slots[j];
    if (slot !== undefined && slot >= 0 && segment.gens[j] === generations[slot]) live++;
  }
  block[1] = segment.version;
  block[2] = live;
  return live;
}

/**
 * The query's postings as a PostingSource: `postings[term]` for each weighted term. Bounds use the
 * largest tf and a length of 0 (no per-document lengths are stored with postings): looser than
 * Bm25Index's, still exact results.
 */
export function storedSource(state: SlotState, postings: ReadonlyMap<string, TermPostings>, k1: number, b: number, averageLength: number): PostingSource {
  const { lengths, scores, generations } = state;
  return {
    k1,
    b,
    averageLength,
    lengths,
    scores,
    upperBound(term: WeightedTerm): number {
      let maxTf = 0;
      for (const block of postings.get(term.term)?.values() ?? []) if (block[0]! > maxTf) maxTf = block[0]!;
      return contribution(term.weight, maxTf, k1, b, 0, averageLength);
    },
    scoreWhole(term, touched, allowed): void {
      for (const [segment, block] of postings.get(term.term) ?? []) {
        const n = (block.length - HEADER) / 2;
        const { slots, gens } = segment;
        for (let i = 0; i < n; i++) {
          const j = block[HEADER + i]!;
          const slot = slots[j]!;
          if (slot < 0 || gens[j] !== generations[slot]) continue;
          if (allowed !== undefined && !allowed(slot)) continue;
          if (scores[slot] === 0) touched.push(slot);
          scores[slot]! += contribution(term.weight, block[HEADER + n + i]!, k1, b, lengths[slot]!, averageLength);
        }
      }
    },
    frequencyOf(slot, term): number {
      const blocks = postings.get(term);
      if (blocks === undefined) return 0;
      // The segment where the document's postings count, else (rarely: one loaded meanwhile) any that has it live.
      const home = state.segmentAt[slot];
      const block = home && blocks.get(home);
      if (home && block) return tfIn(block, state.numberAt[slot]!);
      for (const [segment, other] of blocks) {
        const n = (other.length - HEADER) / 2;
        for (let i = 0; i < n; i++) {
          const j = other[HEADER + i]!;
          if (segment.slots[j] === slot && segment.gens[j] === generations[slot]) return other[HEADER + n + i]!;
        }
      }
      return 0;
    },
  };
}

/** Document number j's tf in a packed block (0 when absent), by binary search. */
function tfIn(block: Int32Array, j: number): number {
  const n = (block.length - HEADER) / 2;
  let lo = 0;
  let hi = n - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const at = block[HEADER + mid]!;
    if (at === j) return block[HEADER + n + mid]!;
    if (at < j) lo = mid + 1;
    else hi = mid - 1;
  }
  return 0;
}
