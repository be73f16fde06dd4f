import type { Bm25Segment } from './bm25-segment.js';

// Top-k BM25 without scoring every match: MaxScore (Turtle & Flood, 1995), term at a time.
// Terms are taken from the one that can add the most to a score down to the one that can add the
// least (a common word: the longest postings, the smallest idf). Once the k-th best score so far
// exceeds what all remaining terms together could still add, no document they alone match can
// reach the top k: the remaining terms then only add to documents already found that could still
// make it, each by a binary search of that term's postings, and the long lists are never walked.
// The top k come out exactly as exhaustive scoring gives them: the documents near the cut are
// scored again in the query's own term order, so scores are bit-identical, ties included.

/** One analysed query term: the term and its weight, idf × how often the query repeats it. */
export interface WeightedTerm {
  readonly term: string;
  readonly weight: number;
}

/** What a pruned search reads of a Bm25Index (its private arrays, shared, not copied). */
export interface ScoringView {
  readonly k1: number;
  readonly b: number;
  readonly averageLength: number;
  readonly segments: readonly Bm25Segment[];
  /** Per slot: its document's length, generation, segment and position there. */
  readonly lengths: Float64Array;
  readonly generations: Uint32Array;
  readonly segmentAt: readonly (Bm25Segment | undefined)[];
  readonly docAt: Int32Array;
  /** Per slot, zero on entry; left zero. */
  readonly scores: Float64Array;
}

/**
 * One term's contribution to a document's score. Every path computes it with this very expression
 * in this order, so exhaustive and pruned scores are the same floating-point numbers.
 */
export function contribution(weight: number, tf: number, k1: number, b: number, length: number, averageLength: number): number {
  return (weight * tf * (k1 + 1)) / (tf + k1 * (1 - b + (b * length) / averageLength));
}

/** Relative slack for comparisons between sums added in different orders (a few ulps apart). */
const SLACK = 1e-9;

/**
 * What a pruned search needs of an index: `Bm25Index`'s in-memory segments (`segmentSource`), or
 * the postings a collection's query read from storage (collection/keyword-index.ts).
 */
export interface PostingSource {
  readonly k1: number;
  readonly b: number;
  readonly averageLength: number;
  /** Per slot: its document's length. */
  readonly lengths: Float64Array;
  /** Per slot, zero on entry; left zero. */
  readonly scores: Float64Array;
  /** The most `term` can add to any document's score. */
  upperBound(term: WeightedTerm): number;
  /** Adds the term's contribution to every live, allowed document it occurs in, pushing slots first scored onto `touched`. */
  scoreWhole(term: WeightedTerm, touched: number[], allowed: ((slot: number) => boolean) | undefined): void;
  /** A live document's frequency of `term` (0 when it lacks it). */
  frequencyOf(slot: number, term: string): number;
}

/** A `Bm25Index`'s segments as a `PostingSource`. */
export function segmentSource(view: ScoringView): PostingSource {
  return {
    k1: view.k1,
    b: view.b,
    averageLength: view.averageLength,
    lengths: view.lengths,
    scores: view.scores,
    upperBound: (term) => upperBound(view, term),
    scoreWhole: (term, touched, allowed) => scoreWhole(view, term, touched, allowed),
    frequencyOf: (slot, term) => frequencyOf(view, slot, term),
  };
}

/**
 * The slots of the k best documents (fewer when fewer match), each with its exact score, in no
 * particular order; `allowed` excludes slots (a filter). `terms` in query order.
 */
export function prunedTopK(
  view: PostingSource,
  terms: readonly WeightedTerm[],
  k: number,
  allowed: ((slot: number) => boolean) | undefined,
): Map<number, number> {
  const { scores } = view;
  const bounds = terms.map((t) => view.upperBound(t));
  const order = terms.map((_, i) => i).sort((x, y) => bounds[y]! - bounds[x]!);
  // rest[i]: the most the terms order[i…] can add to any document.
  const rest = new Float64Array(order.length + 1);
  for (let i = order.length - 1; i >= 0; i--) rest[i] = rest[i + 1]! + bounds[order[i]!]!;
  const touched: number[] = [];
  let i = 0;
  let threshold = 0;
  for (; i < order.length; i++) {
    if (i > 0) {
      threshold = kthLargest(scores, touched, k);
      if (threshold > rest[i]! * (1 + SLACK)) break;
    }
    view.scoreWhole(terms[order[i]!]!, touched, allowed);
  }
  let candidates = touched;
  for (; i < order.length; i++) {
    // Only documents that can still reach the k-th score get this term, by lookup.
    const reach = threshold * (1 - SLACK) - rest[i]!;
    candidates = candidates.filter((slot) => scores[slot]! >= reach);
    const term = terms[order[i]!]!;
    for (const slot of candidates) {
      const tf = view.frequencyOf(slot, term.term);
      if (tf > 0) scores[slot]! += contribution(term.weight, tf, view.k1, view.b, view.lengths[slot]!, view.averageLength);
    }
    threshold = kthLargest(scores, candidates, k);
  }
  // Scored again in query order: everything at or near the k-th score, to restore the exact sums.
  const cut = kthLargest(scores, candidates, k) * (1 - SLACK);
  const exact = new Map<number, number>();
  for (const slot of candidates) {
    if (scores[slot]! < cut) continue;
    let score = 0;
    for (const term of terms) {
      const tf = view.frequencyOf(slot, term.term);
      if (tf > 0) score += contribution(term.weight, tf, view.k1, view.b, view.lengths[slot]!, view.averageLength);
    }
    exact.set(slot, score);
  }
  for (const slot of touched) scores[slot] = 0;
  return exact;
}

/** Adds a term's contribution to every live, allowed document it occurs in (exhaustive scoring is this for every term). */
export function scoreWhole(view: ScoringView, term: WeightedTerm, touched: number[], allowed: ((slot: number) => boolean) | undefined): void {
  const { scores, lengths, generations, k1, b, averageLength } = view;
  for (const segment of view.segments) {
    const t = segment.termOf(term.term);
    if (t === undefined) continue;
    const { termStart, docs, tfs } = segment.postings;
    const { slots, gens } = segment;
    for (let p = termStart[t]!; p < termStart[t + 1]!; p++) {
      const d = docs[p]!;
      const slot = slots[d]!;
      if (gens[d] !== generations[slot]) continue;
      if (allowed !== undefined && !allowed(slot)) continue;
      if (scores[slot] === 0) touched.push(slot);
      scores[slot]! += contribution(term.weight, tfs[p]!, k1, b, lengths[slot]!, averageLength);
    }
  }
}

/** The most `term` can add to any document: its best frequency in its shortest document, per segment. */
function upperBound(view: ScoringView, term: WeightedTerm): number {
  let bound = 0;
  for (const segment of view.segments) {
    const t = segment.termOf(term.term);
    if (t === undefined) continue;
    const { maxTf, minLength } = segment.termMaxima();
    bound = Math.max(bound, contribution(term.weight, maxTf[t]!, view.k1, view.b, minLength[t]!, view.averageLength));
  }
  return bound;
}

/** A live document's frequency of `term` (its postings are all in its current segment). */
function frequencyOf(view: ScoringView, slot: number, term: string): number {
  const segment = view.segmentAt[slot]!;
  const t = segment.termOf(term);
  return t === undefined ? 0 : segment.frequency(t, view.docAt[slot]!);
}

/** The k-th largest score among `slots` (0 when there are fewer than k), by a min-heap of k. */
function kthLargest(scores: Float64Array, slots: readonly number[], k: number): number {
  if (slots.length < k) return 0;
  const heap = new Float64Array(k);
  let size = 0;
  for (const slot of slots) {
    const s = scores[slot]!;
    if (size < k) {
      let i = size++;
      heap[i] = s;
      while (i > 0) {
        const parent = (i - 1) >>> 1;
        if (heap[parent]! <= heap[i]!) break;
        [heap[parent], heap[i]] = [heap[i]!, heap[parent]!];
        i = parent;
      }
    } else if (s > heap[0]!) {
      heap[0] = s;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < k && heap[l]! < heap[m]!) m = l;
        if (r < k && heap[r]! < heap[m]!) m = r;
        if (m === i) break;
        [heap[m], heap[i]] = [heap[i]!, heap[m]!];
        i = m;
      }
    }
  }
  return heap[0]!;
}
