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
  /** Each slot's distinct terms, so removing a document touches only its own postings. */
  #termsAt: (string[] | undefined)[] = [];
  /** term → (slot → term frequency). */
  readonly #postings = new Map<string, Map<number, number>>();
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
    return this.#postings.get(term)?.size ?? 0;
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
    const terms: string[] = [];
    let length = 0;
    for (const [term, tf] of frequencies) {
      let posting = this.#postings.get(term);
      if (!posting) this.#postings.set(term, (posting = new Map()));
      posting.set(slot, tf);
      terms.push(term);
      length += tf;
    }
    this.#termsAt[slot] = terms;
    this.#totalLength += length;
    this.#lengths[slot] = length;
  }

  /** Adds one posting without touching lengths: for bulk loading, followed by `setLength`. */
  loadPosting(term: string, id: string, tf: number): void {
    const slot = this.#slot(id);
    let posting = this.#postings.get(term);
    if (!posting) this.#postings.set(term, (posting = new Map()));
    if (!posting.has(slot)) (this.#termsAt[slot] ??= []).push(term);
    posting.set(slot, tf);
  }

  setLength(id: string, length: number): void {
    const slot = this.#slot(id);
    this.#totalLength += length - this.#lengths[slot]!;
    this.#lengths[slot] = length;
  }

  remove(id: string): boolean {
    const slot = this.#slotOf.get(id);
    if (slot === undefined) return false;
    for (const term of this.#termsAt[slot] ?? []) {
      const posting = this.#postings.get(term);
      if (posting?.delete(slot) && posting.size === 0) this.#postings.delete(term);
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
    const allowed = new Map<number, boolean>();
    for (const term of new Set(tokenize(query))) {
      const posting = this.#postings.get(term);
      if (!posting) continue;
      const idf = this.idf(term);
      for (const [slot, tf] of posting) {
        if (filter) {
          let ok = allowed.get(slot);
          if (ok === undefined) allowed.set(slot, (ok = filter(this.#idAt[slot]!)));
          if (!ok) continue;
        }
        if (scores[slot] === 0) touched.push(slot);
        scores[slot]! += (idf * tf * (k1 + 1)) / (tf + k1 * (1 - b + (b * this.#lengths[slot]!) / avgdl));
      }
    }
    return touched;
  }

  #reset(touched: readonly number[]): void {
    for (const slot of touched) this.#scores[slot] = 0;
  }

  #slot(id: string): number {
    let slot = this.#slotOf.get(id);
    if (slot !== undefined) return slot;
    slot = this.#freeSlots.pop() ?? this.#idAt.length;
    if (slot >= this.#lengths.length) {
      const grow = (a: Float64Array) => {
        const next = new Float64Array(a.length * 2);
        next.set(a);
        return next;
      };
      this.#lengths = grow(this.#lengths);
      this.#scores = grow(this.#scores);
    }
    this.#slotOf.set(id, slot);
    this.#idAt[slot] = id;
    return slot;
  }
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
