import { ValidationError } from '@sochdb/core';
import { termFrequencies, tokenize } from './tokenizer.js';
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
  /** Each slot's distinct terms, so removing a document touches only its own postings. */
  #termsAt: (string[] | undefined)[] = [];
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
    this.addTerms(id, termFrequencies(tokenize(text)));
  }

  /** Indexes pre-computed term frequencies, replacing what was indexed under the id before. */
  addTerms(id: string, frequencies: ReadonlyMap<string, number>): void {
    this.remove(id);
    // The slot is fresh after `remove`, so each term is new to it: one slot lookup, no per-term checks.
    const slot = this.#slot(id);
    const generation = this.#generations[slot]!;
    const terms: string[] = [];
    let length = 0;
    for (const [term, tf] of frequencies) {
      this.#postingsOf(term).append(slot, generation, tf);
      terms.push(term);
      length += tf;
    }
    this.#termsAt[slot] = terms;
    this.#totalLength += length;
    this.#lengths[slot] = length;
  }

  /**
   * Indexes several documents at once (replacing what was indexed under their ids) from their
   * lengths and their postings grouped by term: `byTerm` maps a term to `[doc, tf, doc, tf, …]`
   * where `doc` is a position in `ids`. Scores as `addTerms` per document would.
   */
  addDocuments(ids: readonly string[], lengths: readonly number[], byTerm: ReadonlyMap<string, readonly number[]>): void {
    if (ids.length !== lengths.length) throw new ValidationError(`addDocuments needs one length per id (${ids.length} ids, ${lengths.length} lengths)`, { field: 'lengths' });
    // Each document's term list is allocated at its final size (growing 50 pushes reallocates
    // it several times): count each document's postings first.
    const distinct = new Int32Array(ids.length);
    for (const list of byTerm.values()) for (let i = 0; i < list.length; i += 2) distinct[list[i]!]!++;
    const filled = new Int32Array(ids.length);
    const slots = ids.map((id, i) => {
      this.remove(id);
      const slot = this.#slot(id);
      this.#termsAt[slot] = new Array<string>(distinct[i]!);
      this.#totalLength += lengths[i]!;
      this.#lengths[slot] = lengths[i]!;
      return slot;
    });
    const generations = this.#generations;
    for (const [term, list] of byTerm) {
      const postings = this.#postingsOf(term);
      for (let i = 0; i < list.length; i += 2) {
        const doc = list[i]!;
        const slot = slots[doc]!;
        postings.append(slot, generations[slot]!, list[i + 1]!);
        this.#termsAt[slot]![filled[doc]!++] = term;
      }
    }
  }

  /**
   * Adds one posting without touching lengths: for bulk loading, followed by `setLength`. Each
   * (term, id) pair must be loaded once.
   */
  loadPosting(term: string, id: string, tf: number): void {
    const slot = this.#slot(id);
    this.#postingsOf(term).append(slot, this.#generations[slot]!, tf);
    (this.#termsAt[slot] ??= []).push(term);
  }

  setLength(id: string, length: number): void {
    const slot = this.#slot(id);
    this.#totalLength += length - this.#lengths[slot]!;
    this.#lengths[slot] = length;
  }

  remove(id: string): boolean {
    const slot = this.#slotOf.get(id);
    if (slot === undefined) return false;
    // The slot's postings die with its generation; each term's arrays are compacted once half dead.
    this.#generations[slot]!++;
    for (const term of this.#termsAt[slot] ?? []) {
      const postings = this.#postings.get(term)!;
      postings.live--;
      if (postings.live === 0) this.#postings.delete(term);
      else if (postings.live * 2 < postings.length) postings.compact(this.#generations);
    }
    this.#totalLength -= this.#lengths[slot]!;
    this.#lengths[slot] = 0;
    this.#termsAt[slot] = undefined;
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

  append(slot: number, generation: number, tf: number): void {
    if (this.length === this.slots.length) {
      const size = this.length * 2;
      this.slots = grown(this.slots, new Int32Array(size));
      this.gens = grown(this.gens, new Uint32Array(size));
      this.tfs = grown(this.tfs, new Float64Array(size));
    }
    this.slots[this.length] = slot;
    this.gens[this.length] = generation;
    this.tfs[this.length] = tf;
    this.length++;
    this.live++;
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
