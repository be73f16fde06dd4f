import { ValidationError } from '@sochdb/core';
import { groupFrequencies, groupPostings, type DocTerms, type GroupedPostings } from './grouped-postings.js';
import { tokenize } from './tokenizer.js';
import { checkInteger } from './validate.js';

export interface Bm25Options {
  /** Term-frequency saturation, default 1.2. */
  readonly k1?: number;
  /** Length normalisation, default 0.75. */
  readonly b?: number;
}

export interface KeywordHit {
  readonly id: string;
  readonly score: number;
}

/**
 * An in-memory BM25 inverted index (Okapi BM25, k1 = 1.2, b = 0.75 by default):
 *
 *   score(q, d) = Σ_{t ∈ q} idf(t) · tf(t,d)·(k1+1) / (tf(t,d) + k1·(1 − b + b·|d|/avgdl))
 *   idf(t)      = ln((N − df(t) + 0.5) / (df(t) + 0.5) + 1)
 *
 * A query term repeated counts once. Collections persist the same postings in Storage and load
 * them into one of these on open.
 */
export class Bm25Index {
  readonly k1: number;
  readonly b: number;
  // Documents live in integer slots so a query accumulates scores in a typed array instead of a
  // Map keyed by string: scoring 10k matching documents stays well under a millisecond.
  readonly #slotOf = new Map<string, number>();
  #idAt: (string | undefined)[] = [];
  readonly #freeSlots: number[] = [];
  #lengths = new Float64Array(64);
  /** Bumped when a slot's document is removed: postings carry the generation they were made in. */
  #generations = new Uint32Array(64);
  /**
   * Each slot's document as a position in the group it was added with, whose doc-major arrays
   * list its terms, so removing a document touches only its own postings without a term list
   * per document (100k documents × 60 terms of those lists were a large share of GC work).
   */
  readonly #groupAt: (DocTerms | undefined)[] = [];
  #docAt = new Int32Array(64);
  /** term → its postings, in append-only typed arrays (a Map per term cost ~40% of a build). */
  readonly #postings = new Map<string, Postings>();
  #scores = new Float64Array(64);
  #totalLength = 0;

  constructor(options: Bm25Options = {}) {
    this.k1 = nonNegative(options.k1 ?? 1.2, 'k1');
    this.b = nonNegative(options.b ?? 0.75, 'b');
    if (this.b > 1) throw new ValidationError('b must be between 0 and 1', { field: 'b' });
  }

  /** Number of indexed documents (N). */
  get size(): number {
    return this.#slotOf.size;
  }

  get averageLength(): number {
    return this.size === 0 ? 0 : this.#totalLength / this.size;
  }

  has(id: string): boolean {
    return this.#slotOf.has(id);
  }

  documentFrequency(term: string): number {
    return this.#postings.get(term)?.live ?? 0;
  }

  /** Indexes a document's text, replacing what was indexed under the id before. */
  add(id: string, text: string): void {
    this.addGrouped([id], groupPostings([text]));
  }

  /**
   * Indexes pre-computed term frequencies (positive integers), replacing what was indexed under
   * the id before. The document's length is the sum of its frequencies.
   */
  addTerms(id: string, frequencies: ReadonlyMap<string, number>): void {
    for (const [term, tf] of frequencies) {
      if (!Number.isInteger(tf) || tf < 1 || tf > 0x7fffffff) throw new ValidationError(`the frequency of '${term}' must be a positive integer, got ${tf}`, { field: 'frequencies' });
    }
    this.addGrouped([id], groupFrequencies(frequencies));
  }

  /**
   * Indexes a group of documents at once (replacing what was indexed under their ids) from their
   * postings grouped by term (see `groupPostings`): `ids[d]` is the group's document d. Scores as
   * `add` per document would. The index keeps the group's doc-major arrays to remove its
   * documents later, so the caller must not change them.
   */
  addGrouped(ids: readonly string[], group: GroupedPostings): void {
    if (ids.length !== group.lengths.length) {
      throw new ValidationError(`addGrouped needs one id per document of the group (${ids.length} ids, ${group.lengths.length} documents)`, { field: 'ids' });
    }
    if (new Set(ids).size !== ids.length) throw new ValidationError('an id appears twice in one group', { field: 'ids' });
    const slots = new Int32Array(ids.length);
    const kept: DocTerms = { terms: group.terms, docStart: group.docStart, docTerms: group.docTerms };
    for (let d = 0; d < ids.length; d++) {
      const id = ids[d]!;
      this.remove(id);
      const slot = this.#slot(id);
      slots[d] = slot;
      this.#groupAt[slot] = kept;
      this.#docAt[slot] = d;
      this.#totalLength += group.lengths[d]!;
      this.#lengths[slot] = group.lengths[d]!;
    }
    const { terms, termStart, docs, tfs } = group;
    for (let t = 0; t < terms.length; t++) this.#postingsOf(terms[t]!).appendRun(docs, tfs, termStart[t]!, termStart[t + 1]!, slots, this.#generations);
  }

  remove(id: string): boolean {
    const slot = this.#slotOf.get(id);
    if (slot === undefined) return false;
    // The slot's postings die with its generation; each term's arrays are compacted once half dead.
    this.#generations[slot]!++;
    const group = this.#groupAt[slot]!;
    const d = this.#docAt[slot]!;
    for (let i = group.docStart[d]!; i < group.docStart[d + 1]!; i++) {
      const term = group.terms[group.docTerms[i]!]!;
      const postings = this.#postings.get(term)!;
      postings.live--;
      if (postings.live === 0) this.#postings.delete(term);
      else if (postings.live * 2 < postings.length) postings.compact(this.#generations);
    }
    this.#totalLength -= this.#lengths[slot]!;
    this.#lengths[slot] = 0;
    this.#groupAt[slot] = undefined;
    this.#idAt[slot] = undefined;
    this.#slotOf.delete(id);
    this.#freeSlots.push(slot);
    return true;
  }

  idf(term: string): number {
    const df = this.documentFrequency(term);
    return Math.log((this.size - df + 0.5) / (df + 0.5) + 1);
  }

  /** Every matching document's score (documents sharing no term with the query are absent). */
  scoreAll(query: string, filter?: (id: string) => boolean): Map<string, number> {
    const out = new Map<string, number>();
    const touched = this.#score(query, filter);
    for (const slot of touched) out.set(this.#idAt[slot]!, this.#scores[slot]!);
    this.#reset(touched);
    return out;
  }

  /** The k best documents for `query`, by score descending (ties by id, for stable order). */
  search(query: string, k: number, filter?: (id: string) => boolean): KeywordHit[] {
    checkInteger(k, 'k', 1);
    if (typeof query !== 'string') throw new ValidationError('the keyword query must be a string', { field: 'textQuery' });
    const touched = this.#score(query, filter);
    // Keep the best k in a small sorted array: one pass, no sort of every match.
    const best: KeywordHit[] = [];
    for (const slot of touched) {
      const hit = { id: this.#idAt[slot]!, score: this.#scores[slot]! };
      if (best.length === k && !before(hit, best[k - 1]!)) continue;
      let i = best.length === k ? k - 1 : best.length;
      while (i > 0 && before(hit, best[i - 1]!)) {
        best[i] = best[i - 1]!;
        i--;
      }
      best[i] = hit;
    }
    this.#reset(touched);
    return best;
  }

  #score(query: string, filter: ((id: string) => boolean) | undefined): number[] {
    const touched: number[] = [];
    const avgdl = this.averageLength || 1;
    const { k1, b } = this;
    const scores = this.#scores;
    const generations = this.#generations;
    const allowed = new Map<number, boolean>();
    for (const term of new Set(tokenize(query))) {
      const postings = this.#postings.get(term);
      if (!postings) continue;
      const idf = this.idf(term);
      const { slots, gens, tfs, length } = postings;
      for (let i = 0; i < length; i++) {
        const slot = slots[i]!;
        if (gens[i] !== generations[slot]) continue;
        if (filter) {
          let ok = allowed.get(slot);
          if (ok === undefined) allowed.set(slot, (ok = filter(this.#idAt[slot]!)));
          if (!ok) continue;
        }
        const tf = tfs[i]!;
        if (scores[slot] === 0) touched.push(slot);
        scores[slot]! += (idf * tf * (k1 + 1)) / (tf + k1 * (1 - b + (b * this.#lengths[slot]!) / avgdl));
      }
    }
    return touched;
  }

  #reset(touched: readonly number[]): void {
    for (const slot of touched) this.#scores[slot] = 0;
  }

  #postingsOf(term: string): Postings {
    let postings = this.#postings.get(term);
    if (!postings) this.#postings.set(term, (postings = new Postings()));
    return postings;
  }

  #slot(id: string): number {
    let slot = this.#slotOf.get(id);
    if (slot !== undefined) return slot;
    slot = this.#freeSlots.pop() ?? this.#idAt.length;
    if (slot >= this.#lengths.length) {
      const size = this.#lengths.length * 2;
      this.#lengths = grown(this.#lengths, new Float64Array(size));
      this.#scores = grown(this.#scores, new Float64Array(size));
      this.#generations = grown(this.#generations, new Uint32Array(size));
      this.#docAt = grown(this.#docAt, new Int32Array(size));
    }
    this.#slotOf.set(id, slot);
    this.#idAt[slot] = id;
    return slot;
  }
}

/**
 * One term's postings: parallel arrays of (slot, generation, tf), appended in insertion order.
 * An entry is live while its generation equals its slot's; dead entries stay until compaction.
 */
class Postings {
  slots = new Int32Array(4);
  gens = new Uint32Array(4);
  tfs = new Float64Array(4);
  /** Entries stored, live or dead. */
  length = 0;
  /** Live entries: the term's document frequency. */
  live = 0;

  /** Appends postings from[i]…to[i]: document `docs[i]` of a group, in slot `slots[docs[i]]`. */
  appendRun(docs: Int32Array, tfs: Int32Array, from: number, to: number, slots: Int32Array, generations: Uint32Array): void {
    const need = this.length + to - from;
    if (need > this.slots.length) {
      let size = this.slots.length * 2;
      while (size < need) size *= 2;
      this.slots = grown(this.slots, new Int32Array(size));
      this.gens = grown(this.gens, new Uint32Array(size));
      this.tfs = grown(this.tfs, new Float64Array(size));
    }
    let at = this.length;
    for (let i = from; i < to; i++, at++) {
      const slot = slots[docs[i]!]!;
      this.slots[at] = slot;
      this.gens[at] = generations[slot]!;
      this.tfs[at] = tfs[i]!;
    }
    this.live += to - from;
    this.length = at;
  }

  /** Drops dead entries, keeping the order of the live ones. */
  compact(generations: Uint32Array): void {
    let to = 0;
    for (let i = 0; i < this.length; i++) {
      if (this.gens[i] !== generations[this.slots[i]!]) continue;
      this.slots[to] = this.slots[i]!;
      this.gens[to] = this.gens[i]!;
      this.tfs[to] = this.tfs[i]!;
      to++;
    }
    this.length = to;
  }
}

function grown<T extends Int32Array | Uint32Array | Float64Array>(from: T, to: T): T {
  to.set(from);
  return to;
}

function before(a: KeywordHit, b: KeywordHit): boolean {
  return a.score > b.score || (a.score === b.score && a.id < b.id);
}

/** The k highest entries of a score map, descending, ties broken by id. */
export function topK(scores: ReadonlyMap<string, number>, k: number): KeywordHit[] {
  const hits = Array.from(scores, ([id, score]) => ({ id, score }));
  hits.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return hits.slice(0, k);
}

function nonNegative(x: number, field: string): number {
  if (typeof x !== 'number' || !Number.isFinite(x) || x < 0) throw new ValidationError(`${field} must be a finite number ≥ 0`, { field });
  return x;
}
