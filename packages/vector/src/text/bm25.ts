import { ValidationError } from '@sochdb/core';
import { Bm25Segment, mergeSegments, tierOf, MERGE_FACTOR } from './bm25-segment.js';
import { analyzerOf, resolveTextAnalysis, type TextAnalysis, type TextAnalysisOptions } from './analyzer.js';
import { groupAnalyzed, groupFrequencies, requireGroup, type GroupedPostings } from './grouped-postings.js';
import { requireId, requireInteger } from '../shared/validate.js';
import { prunedTopK, scoreWhole, segmentSource, type ScoringView, type WeightedTerm } from './bm25-prune.js';

/** BM25 parameters of `new Bm25Index(options)`. */
export interface Bm25Options {
  /** Term-frequency saturation, default 1.2. */
  readonly k1?: number;
  /** Length normalisation, default 0.75. */
  readonly b?: number;
  /**
   * Text analysis of documents and queries alike (see `analyze`): `{ stemming: 'english' |
   * 'none', stopWords: 'english' | 'none' | string[] }`, both `'none'` by default.
   */
  readonly text?: TextAnalysisOptions;
}

/** One result of `Bm25Index.search`. */
export interface KeywordHit {
  /** The document's id. */
  readonly id: string;
  /** Its BM25 score for the query (> 0; larger is better). */
  readonly score: number;
}

/**
 * An in-memory BM25 inverted index (Okapi BM25, k1 = 1.2, b = 0.75 by default):
 *
 *   score(q, d) = Σ_{t ∈ q} qtf(t) · idf(t) · tf(t,d)·(k1+1) / (tf(t,d) + k1·(1 − b + b·|d|/avgdl))
 *   idf(t)      = ln((N − df(t) + 0.5) / (df(t) + 0.5) + 1)
 *
 * qtf(t) is how often the query repeats the term: each occurrence counts, as in Lucene, rank-bm25
 * and bm25s. Documents and queries go through the same analysis (`options.text`, see `analyze`):
 * tokenize, drop stop words, stem; |d| counts the terms left, so stop words do not lengthen a
 * document (as Lucene's StopFilter). Collections persist the same postings in Storage and load
 * them into one of these on open.
 */
export class Bm25Index {
  /** Term-frequency saturation in effect (≥ 0). */
  readonly k1: number;
  /** Length normalisation in effect (0 = none, 1 = full). */
  readonly b: number;
  /** Text analysis in effect, resolved (see `analyze`); the same for documents and queries. */
  readonly text: TextAnalysis;
  readonly #analyze: (text: string) => string[];
  // Documents live in integer slots so a query accumulates scores in a typed array instead of a
  // Map keyed by string: scoring 10k matching documents stays well under a millisecond.
  readonly #slotOf = new Map<string, number>();
  #idAt: (string | undefined)[] = [];
  readonly #freeSlots: number[] = [];
  #lengths = new Float64Array(64);
  /** Bumped when a slot's document is removed: segments remember the generation they indexed. */
  #generations = new Uint32Array(64);
  /** Each slot's segment and its position there (to find its terms when it is removed). */
  readonly #segmentAt: (Bm25Segment | undefined)[] = [];
  #docAt = new Int32Array(64);
  /** The postings, in segments (see bm25-segment.ts). */
  #segments: Bm25Segment[] = [];
  /** term → number of live documents containing it. */
  readonly #df = new Map<string, number>();
  #scores = new Float64Array(64);
  #totalLength = 0;

  constructor(options: Bm25Options = {}) {
    this.k1 = nonNegative(options.k1 ?? 1.2, 'k1');
    this.b = nonNegative(options.b ?? 0.75, 'b');
    if (this.b > 1) throw new ValidationError('b must be between 0 and 1', { field: 'b' });
    this.text = resolveTextAnalysis(options.text);
    this.#analyze = analyzerOf(this.text);
  }

  /** Number of indexed documents (N). */
  get size(): number {
    return this.#slotOf.size;
  }

  /** Mean document length in tokens (avgdl), 0 when the index is empty. */
  get averageLength(): number {
    return this.size === 0 ? 0 : this.#totalLength / this.size;
  }

  /** Whether a document is indexed under the id. */
  has(id: string): boolean {
    return this.#slotOf.has(id);
  }

  /**
   * df(t): how many indexed documents contain the term. `term` is a term as this index's analysis
   * makes it (`analyze(text, index.text)`: lowercased, NFKC, stemmed when stemming is on); 0 when none.
   */
  documentFrequency(term: string): number {
    return this.#df.get(term) ?? 0;
  }

  /** Indexes a document's text, replacing what was indexed under the id before. */
  add(id: string, text: string): void {
    requireId(id);
    requireText(text, 'text');
    this.#addGrouped([id], groupAnalyzed([text], this.#analyze));
  }

  /**
   * Indexes pre-computed term frequencies (positive integers), replacing what was indexed under
   * the id before. The document's length is the sum of its frequencies. The terms are taken as
   * given: analyse them as this index does (see `text`) for queries to find them.
   */
  addTerms(id: string, frequencies: ReadonlyMap<string, number>): void {
    requireId(id);
    if (!(frequencies instanceof Map))
      throw new ValidationError('frequencies must be a Map of term → count', { field: 'frequencies', remediation: "Pass new Map([['cat', 2]])." });
    for (const [term, tf] of frequencies) {
      if (typeof term !== 'string') throw new ValidationError(`every term must be a string, got ${typeof term}`, { field: 'frequencies' });
      if (!Number.isInteger(tf) || tf < 1 || tf > 0x7fffffff)
        throw new ValidationError(`the frequency of '${term}' must be a positive integer, got ${tf}`, { field: 'frequencies' });
    }
    this.#addGrouped([id], groupFrequencies(frequencies));
  }

  /**
   * Indexes a group of documents at once (replacing what was indexed under their ids) from their
   * postings grouped by term (see `groupPostings`): `ids[d]` is the group's document d. Scores as
   * `add` per document would when the group was made with this index's text options
   * (`groupPostings(texts, index.text)`). The index keeps the group's arrays, so the caller must
   * not change them afterwards.
   */
  addGrouped(ids: readonly string[], group: GroupedPostings): void {
    if (!Array.isArray(ids)) throw new ValidationError('ids must be an array of strings', { field: 'ids' });
    requireGroup(group);
    for (let d = 0; d < ids.length; d++) requireId(ids[d], `ids[${d}]`);
    this.#addGrouped(ids, group);
  }

  #addGrouped(ids: readonly string[], group: GroupedPostings): void {
    if (ids.length !== group.lengths.length) {
      throw new ValidationError(`addGrouped needs one id per document of the group (${ids.length} ids, ${group.lengths.length} documents)`, {
        field: 'ids',
        remediation: 'Pass ids[d] for document d of groupPostings(texts): one id per text.',
      });
    }
    if (new Set(ids).size !== ids.length) throw new ValidationError('an id appears twice in one group', { field: 'ids' });
    if (ids.length === 0) return;
    const slots = new Int32Array(ids.length);
    const gens = new Uint32Array(ids.length);
    for (let d = 0; d < ids.length; d++) {
      const id = ids[d]!;
      this.remove(id);
      const slot = this.#slot(id);
      slots[d] = slot;
      gens[d] = this.#generations[slot]!;
      this.#totalLength += group.lengths[d]!;
      this.#lengths[slot] = group.lengths[d]!;
    }
    const segment = new Bm25Segment(group, slots, gens);
    this.#place(segment);
    const { terms, termStart } = group;
    for (let t = 0; t < terms.length; t++) this.#df.set(terms[t]!, (this.#df.get(terms[t]!) ?? 0) + termStart[t + 1]! - termStart[t]!);
    this.#segments.push(segment);
    this.#mergeTier(tierOf(segment));
  }

  /** Removes a document's postings; returns false when the id was not indexed. */
  remove(id: string): boolean {
    const slot = this.#slotOf.get(id);
    if (slot === undefined) return false;
    const segment = this.#segmentAt[slot]!;
    const d = this.#docAt[slot]!;
    const { terms, docStart, docTerms } = segment.postings;
    for (let i = docStart[d]!; i < docStart[d + 1]!; i++) {
      const term = terms[docTerms[i]!]!;
      const df = this.#df.get(term)! - 1;
      if (df === 0) this.#df.delete(term);
      else this.#df.set(term, df);
    }
    // The slot's postings die with its generation.
    this.#generations[slot]!++;
    this.#totalLength -= this.#lengths[slot]!;
    this.#lengths[slot] = 0;
    this.#segmentAt[slot] = undefined;
    this.#idAt[slot] = undefined;
    this.#slotOf.delete(id);
    this.#freeSlots.push(slot);
    segment.live--;
    // A segment at most half live is rewritten without its dead documents (or dropped when empty).
    if (segment.live * 2 <= segment.size) {
      this.#segments = this.#segments.filter((s) => s !== segment);
      if (segment.live > 0) {
        const compacted = mergeSegments([segment], this.#generations);
        this.#place(compacted);
        this.#segments.push(compacted);
      }
    }
    return true;
  }

  /** idf(t) of the formula above for a token (see `documentFrequency`); always > 0, largest for a term no document has. */
  idf(term: string): number {
    const df = this.documentFrequency(term);
    return Math.log((this.size - df + 0.5) / (df + 0.5) + 1);
  }

  /** Every matching document's score (documents sharing no term with the query are absent). */
  scoreAll(query: string, filter?: (id: string) => boolean): Map<string, number> {
    requireText(query, 'query');
    optionalFilter(filter);
    const out = new Map<string, number>();
    const touched = this.#score(query, filter);
    for (const slot of touched) out.set(this.#idAt[slot]!, this.#scores[slot]!);
    this.#reset(touched);
    return out;
  }

  /**
   * The k best documents for `query`, by score descending (ties by id, for stable order): exactly
   * those, with exactly the scores, of `scoreAll`, found without scoring every match (MaxScore,
   * see bm25-prune.ts): the long postings of common query words are mostly skipped.
   */
  search(query: string, k: number, filter?: (id: string) => boolean): KeywordHit[] {
    requireInteger(k, 'k', 1);
    if (typeof query !== 'string') throw new ValidationError('the keyword query must be a string', { field: 'textQuery' });
    optionalFilter(filter);
    const terms = this.#weightedTerms(query);
    if (terms.length === 0) return [];
    const found = prunedTopK(segmentSource(this.#view()), terms, k, this.#allowed(filter));
    // Keep the best k in a small sorted array: one pass, no sort of every candidate.
    const best: KeywordHit[] = [];
    for (const [slot, score] of found) keepBest(best, { id: this.#idAt[slot]!, score }, k);
    return best;
  }

  /**
   * The query's terms the index has, in query order, each weighted by idf × its occurrences: a
   * term the query repeats counts once per occurrence, as in Lucene, rank-bm25 and bm25s
   * ("python python tutorial" leans toward python).
   */
  #weightedTerms(query: string): WeightedTerm[] {
    const occurrences = new Map<string, number>();
    for (const term of this.#analyze(query)) occurrences.set(term, (occurrences.get(term) ?? 0) + 1);
    const terms: WeightedTerm[] = [];
    for (const [term, count] of occurrences) if (this.#df.has(term)) terms.push({ term, weight: this.idf(term) * count });
    return terms;
  }

  /** A slot filter from an id filter, asking it once per document. */
  #allowed(filter: ((id: string) => boolean) | undefined): ((slot: number) => boolean) | undefined {
    if (filter === undefined) return undefined;
    const seen = new Map<number, boolean>();
    return (slot) => {
      let ok = seen.get(slot);
      if (ok === undefined) seen.set(slot, (ok = filter(this.#idAt[slot]!)));
      return ok;
    };
  }

  #score(query: string, filter: ((id: string) => boolean) | undefined): number[] {
    const touched: number[] = [];
    const view = this.#view();
    const allowed = this.#allowed(filter);
    for (const term of this.#weightedTerms(query)) scoreWhole(view, term, touched, allowed);
    return touched;
  }

  /** What scoring reads of this index (its arrays, shared, not copied; see bm25-prune.ts). */
  #view(): ScoringView {
    return {
      k1: this.k1,
      b: this.b,
      averageLength: this.averageLength || 1,
      segments: this.#segments,
      lengths: this.#lengths,
      generations: this.#generations,
      segmentAt: this.#segmentAt,
      docAt: this.#docAt,
      scores: this.#scores,
    };
  }

  #reset(touched: readonly number[]): void {
    for (const slot of touched) this.#scores[slot] = 0;
  }

  /** Points each live document of a segment at it. */
  #place(segment: Bm25Segment): void {
    for (let d = 0; d < segment.size; d++) {
      if (!segment.isLive(d, this.#generations)) continue;
      const slot = segment.slots[d]!;
      this.#segmentAt[slot] = segment;
      this.#docAt[slot] = d;
    }
  }

  /** Merges the segments of a size class once `MERGE_FACTOR` share it (and so on upwards). */
  #mergeTier(tier: number): void {
    const same = this.#segments.filter((s) => tierOf(s) === tier);
    if (same.length < MERGE_FACTOR) return;
    const merged = mergeSegments(same, this.#generations);
    this.#segments = this.#segments.filter((s) => !same.includes(s));
    if (merged.size === 0) return;
    this.#place(merged);
    this.#segments.push(merged);
    if (tierOf(merged) !== tier) this.#mergeTier(tierOf(merged));
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

function grown<T extends Int32Array | Uint32Array | Float64Array>(from: T, to: T): T {
  to.set(from);
  return to;
}

function before(a: KeywordHit, b: KeywordHit): boolean {
  return a.score > b.score || (a.score === b.score && a.id < b.id);
}

/**
 * Adds a hit to `best`, the k best so far sorted by score descending (ties by id), if it is one
 * of them: one pass over the candidates, no sort of all of them.
 */
export function keepBest(best: KeywordHit[], hit: KeywordHit, k: number): void {
  if (best.length === k && !before(hit, best[k - 1]!)) return;
  let i = best.length === k ? k - 1 : best.length;
  while (i > 0 && before(hit, best[i - 1]!)) {
    best[i] = best[i - 1]!;
    i--;
  }
  best[i] = hit;
}

/** The k highest entries of a score map, descending, ties broken by id. */
export function topK(scores: ReadonlyMap<string, number>, k: number): KeywordHit[] {
  const hits = Array.from(scores, ([id, score]) => ({ id, score }));
  hits.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return hits.slice(0, k);
}

function requireText(text: unknown, field: string): string {
  if (typeof text !== 'string') throw new ValidationError(`${field} must be a string, got ${text === null ? 'null' : typeof text}`, { field });
  return text;
}

function optionalFilter(filter: unknown): ((id: string) => boolean) | undefined {
  if (filter !== undefined && typeof filter !== 'function') {
    throw new ValidationError('filter must be a function (id) => boolean', { field: 'filter', remediation: 'Pass (id) => …, or omit it.' });
  }
  return filter as ((id: string) => boolean) | undefined;
}

function nonNegative(x: number, field: string): number {
  if (typeof x !== 'number' || !Number.isFinite(x) || x < 0) throw new ValidationError(`${field} must be a finite number ≥ 0`, { field });
  return x;
}
