import { withLazyDocMajor, type GroupedPostings } from './grouped-postings.js';

/**
 * An immutable part of an in-memory BM25 index: the postings of documents added together (a
 * group: one write of a collection), kept in the group's own typed arrays, plus each document's
 * slot in the index and the slot's generation when it was added. A posting is live while its
 * slot still has that generation (a removed or replaced document bumps it), so removing a
 * document rewrites nothing here.
 *
 * Why segments (as Lucene keeps them) rather than one growing array per term: adding a write of
 * 1,000 documents then costs one object and a df update per term, instead of ~60,000 appends
 * scattered over thousands of arrays that keep being reallocated; those appends and the cache
 * misses they caused were the largest cost of a collection's build after the HNSW insert itself.
 * Searches pay one Map lookup per (query term, segment); `mergeSegments` keeps segments few.
 */
export class Bm25Segment {
  readonly postings: GroupedPostings;
  readonly slots: Int32Array;
  readonly gens: Uint32Array;
  /** Documents still live here. */
  live: number;
  #termIndex: Map<string, number> | undefined;
  #maxima: { readonly maxTf: Int32Array; readonly minLength: Int32Array } | undefined;

  constructor(postings: GroupedPostings, slots: Int32Array, gens: Uint32Array) {
    this.postings = postings;
    this.slots = slots;
    this.gens = gens;
    this.live = slots.length;
  }

  get size(): number {
    return this.slots.length;
  }

  /** A term's position in this segment; the lookup Map is built by the first search that asks. */
  termOf(term: string): number | undefined {
    if (!this.#termIndex) {
      this.#termIndex = new Map();
      this.postings.terms.forEach((t, i) => this.#termIndex!.set(t, i));
    }
    return this.#termIndex.get(term);
  }

  /**
   * Per term of this segment: the largest frequency and the shortest document among its postings
   * (dead ones included, which only loosens the bound), for the upper bound on a term's score
   * that lets a top-k search skip documents (bm25-prune.ts). Made by the first search that asks.
   */
  termMaxima(): { readonly maxTf: Int32Array; readonly minLength: Int32Array } {
    if (!this.#maxima) {
      const { terms, termStart, docs, tfs, lengths } = this.postings;
      const maxTf = new Int32Array(terms.length);
      const minLength = new Int32Array(terms.length);
      for (let t = 0; t < terms.length; t++) {
        let tf = 0;
        let length = 0x7fffffff;
        for (let i = termStart[t]!; i < termStart[t + 1]!; i++) {
          if (tfs[i]! > tf) tf = tfs[i]!;
          if (lengths[docs[i]!]! < length) length = lengths[docs[i]!]!;
        }
        maxTf[t] = tf;
        minLength[t] = length;
      }
      this.#maxima = { maxTf, minLength };
    }
    return this.#maxima;
  }

  /** Term t's frequency in document d, by binary search of its postings (0 when d lacks it). */
  frequency(t: number, d: number): number {
    const { termStart, docs, tfs } = this.postings;
    let lo = termStart[t]!;
    let hi = termStart[t + 1]! - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const at = docs[mid]!;
      if (at === d) return tfs[mid]!;
      if (at < d) lo = mid + 1;
      else hi = mid - 1;
    }
    return 0;
  }

  isLive(d: number, generations: Uint32Array): boolean {
    return generations[this.slots[d]!] === this.gens[d];
  }
}

/**
 * One segment holding the live documents of `segments`, in order (so each term's documents stay
 * ascending); the doc-major arrays for removal are derived when first needed (`withLazyDocMajor`).
 */
export function mergeSegments(segments: readonly Bm25Segment[], generations: Uint32Array): Bm25Segment {
  let n = 0;
  for (const s of segments) n += s.live;
  const slots = new Int32Array(n);
  const gens = new Uint32Array(n);
  const lengths = new Int32Array(n);
  const renumbered = segments.map((s) => new Int32Array(s.size).fill(-1));
  let next = 0;
  segments.forEach((s, k) => {
    for (let d = 0; d < s.size; d++) {
      if (!s.isLive(d, generations)) continue;
      renumbered[k]![d] = next;
      slots[next] = s.slots[d]!;
      gens[next] = s.gens[d]!;
      lengths[next] = s.postings.lengths[d]!;
      next++;
    }
  });
  // Pass 1: each term's number of live postings, over all segments.
  const termIndex = new Map<string, number>();
  const terms: string[] = [];
  const counts: number[] = [];
  const termMaps = segments.map((s, k) => {
    const { terms: segTerms, termStart, docs } = s.postings;
    const map = new Int32Array(segTerms.length);
    for (let t = 0; t < segTerms.length; t++) {
      let c = 0;
      for (let i = termStart[t]!; i < termStart[t + 1]!; i++) if (renumbered[k]![docs[i]!]! >= 0) c++;
      if (c === 0) {
        map[t] = -1;
        continue;
      }
      let to = termIndex.get(segTerms[t]!);
      if (to === undefined) {
        to = terms.length;
        termIndex.set(segTerms[t]!, to);
        terms.push(segTerms[t]!);
        counts.push(0);
      }
      map[t] = to;
      counts[to]! += c;
    }
    return map;
  });
  const termStart = new Int32Array(terms.length + 1);
  for (let t = 0; t < terms.length; t++) termStart[t + 1] = termStart[t]! + counts[t]!;
  // Pass 2: fill, segment by segment, so documents stay ascending within each term.
  const fill = termStart.slice(0, terms.length);
  const docs = new Int32Array(termStart[terms.length]!);
  const tfs = new Int32Array(docs.length);
  segments.forEach((s, k) => {
    const { termStart: from, docs: segDocs, tfs: segTfs } = s.postings;
    const map = termMaps[k]!;
    for (let t = 0; t < map.length; t++) {
      const to = map[t]!;
      if (to < 0) continue;
      for (let i = from[t]!; i < from[t + 1]!; i++) {
        const d = renumbered[k]![segDocs[i]!]!;
        if (d < 0) continue;
        const at = fill[to]!++;
        docs[at] = d;
        tfs[at] = segTfs[i]!;
      }
    }
  });
  return new Bm25Segment(withLazyDocMajor(terms, lengths, termStart, docs, tfs), slots, gens);
}

/** Segments of a size class merge once this many share it (each class is this factor larger). */
export const MERGE_FACTOR = 16;

/** The size class of a segment: sizes within a factor of `MERGE_FACTOR` share one. */
export function tierOf(segment: Bm25Segment): number {
  return Math.floor(Math.log(Math.max(1, segment.size)) / Math.log(MERGE_FACTOR));
}
