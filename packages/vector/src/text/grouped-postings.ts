import { ValidationError } from '@sochdb/core';
import { isArray } from '../shared/validate.js';
import { analyzerOf, resolveTextAnalysis, type TextAnalysisOptions } from './analyzer.js';

/**
 * The BM25 postings of a group of documents (one write, or one chunk of a large write), in typed
 * arrays, in both orders:
 *   - term-major, to append each term's postings to the in-memory index in one run and to store
 *     them: term t's postings are `docs`/`tfs` at [termStart[t], termStart[t + 1]), docs ascending;
 *   - doc-major, to remove a document later without keeping a term list per document: document
 *     d's terms are `terms[docTerms[i]]` for i in [docStart[d], docStart[d + 1]).
 * Documents are positions 0…n−1 in the group. Typed arrays rather than a Map of arrays per term:
 * at ~60 tokens a document, the per-term arrays and per-document term lists were the largest
 * share of a collection's build time, mostly garbage collection; typed arrays also move to and
 * from a worker thread without copying (see text-grouping.ts).
 */
export interface GroupedPostings {
  /** Distinct terms, in first-seen order. */
  readonly terms: readonly string[];
  /** Per document: its number of tokens (its BM25 length). */
  readonly lengths: Int32Array;
  /** `terms.length + 1` offsets into `docs`/`tfs`: term t's postings are [termStart[t], termStart[t + 1]). */
  readonly termStart: Int32Array;
  /** Per posting, term-major: the document (a position in the group), ascending within a term. */
  readonly docs: Int32Array;
  /** Per posting, aligned with `docs`: how many times the term occurs in that document. */
  readonly tfs: Int32Array;
  /** `n + 1` offsets into `docTerms`: document d's postings are [docStart[d], docStart[d + 1]). */
  readonly docStart: Int32Array;
  /** Per posting, doc-major: the index into `terms` of each distinct term of the document. */
  readonly docTerms: Int32Array;
}

/**
 * Analyses each text (`analyze(text, options)`: tokenize, then optional stop words and stemming;
 * without options just `tokenize`) and groups the terms into postings. A document's length is
 * its number of terms, so stop words do not count. Index a group only into a `Bm25Index` with the
 * same text options, or its queries will not find the terms. ValidationError for invalid options.
 */
export function groupPostings(texts: readonly string[], options?: TextAnalysisOptions): GroupedPostings {
  return groupAnalyzed(texts, analyzerOf(resolveTextAnalysis(options)));
}

/** `groupPostings` with a compiled analyser (see `analyzerOf`). */
export function groupAnalyzed(texts: readonly string[], analyze: (text: string) => string[]): GroupedPostings {
  if (!isArray(texts)) throw new ValidationError('texts must be an array of strings, one per document', { field: 'texts' });
  for (let d = 0; d < texts.length; d++) {
    if (typeof texts[d] !== 'string')
      throw new ValidationError(`texts[${d}] must be a string, got ${typeof texts[d]}`, {
        field: `texts[${d}]`,
        remediation: "Use '' for a document without text.",
      });
  }
  const index = new Map<string, number>();
  const terms: string[] = [];
  // Per term: the last document it was seen in, and where that document's posting of it is.
  let lastDoc: Int32Array = new Int32Array(256).fill(-1);
  let at: Int32Array = new Int32Array(256);
  let docTerms: Int32Array = new Int32Array(1024);
  let docTfs: Int32Array = new Int32Array(1024);
  let p = 0;
  const lengths = new Int32Array(texts.length);
  const docStart = new Int32Array(texts.length + 1);
  for (let d = 0; d < texts.length; d++) {
    const tokens = analyze(texts[d]!); // checked to be a string above
    lengths[d] = tokens.length;
    for (const token of tokens) {
      let t = index.get(token);
      if (t === undefined) {
        t = terms.length;
        index.set(token, t);
        terms.push(token);
        if (t === lastDoc.length) {
          lastDoc = grow(lastDoc, -1);
          at = grow(at, 0);
        }
      }
      if (lastDoc[t] === d) {
        docTfs[at[t]!]!++;
        continue;
      }
      if (p === docTerms.length) {
        docTerms = grow(docTerms, 0);
        docTfs = grow(docTfs, 0);
      }
      lastDoc[t] = d;
      at[t] = p;
      docTerms[p] = t;
      docTfs[p] = 1;
      p++;
    }
    docStart[d + 1] = p;
  }
  docTerms = docTerms.slice(0, p);
  docTfs = docTfs.subarray(0, p);
  // Term-major by a counting sort of the doc-major postings (documents stay ascending per term).
  const termStart = new Int32Array(terms.length + 1);
  for (let i = 0; i < p; i++) termStart[docTerms[i]! + 1]!++;
  for (let t = 0; t < terms.length; t++) termStart[t + 1]! += termStart[t]!;
  const fill = termStart.slice(0, terms.length);
  const docs = new Int32Array(p);
  const tfs = new Int32Array(p);
  for (let d = 0; d < texts.length; d++) {
    for (let i = docStart[d]!; i < docStart[d + 1]!; i++) {
      const to = fill[docTerms[i]!]!++;
      docs[to] = d;
      tfs[to] = docTfs[i]!;
    }
  }
  return { terms, lengths, termStart, docs, tfs, docStart, docTerms };
}

/**
 * A group from its term-major arrays (as stored), deriving the doc-major ones. Checks that the
 * arrays describe a group, since they come from storage: throws a RangeError naming what is wrong.
 */
export function fromTermMajor(terms: readonly string[], lengths: Int32Array, termStart: Int32Array, docs: Int32Array, tfs: Int32Array): GroupedPostings {
  const n = lengths.length;
  const p = docs.length;
  if (termStart.length !== terms.length + 1 || termStart[0] !== 0 || termStart[terms.length] !== p || tfs.length !== p) {
    throw new RangeError('postings arrays disagree in length');
  }
  const docStart = new Int32Array(n + 1);
  for (let t = 0; t < terms.length; t++) {
    if (termStart[t + 1]! < termStart[t]!) throw new RangeError('term offsets go backwards');
    for (let i = termStart[t]!; i < termStart[t + 1]!; i++) {
      const d = docs[i]!;
      if (d < 0 || d >= n || (i > termStart[t]! && d <= docs[i - 1]!)) throw new RangeError('a posting names a document out of range or out of order');
      docStart[d + 1]!++;
    }
  }
  for (let d = 0; d < n; d++) docStart[d + 1]! += docStart[d]!;
  const fill = docStart.slice(0, n);
  const docTerms = new Int32Array(p);
  for (let t = 0; t < terms.length; t++) for (let i = termStart[t]!; i < termStart[t + 1]!; i++) docTerms[fill[docs[i]!]!++] = t;
  return { terms, lengths, termStart, docs, tfs, docStart, docTerms };
}

/**
 * A group whose doc-major arrays are derived (by `fromTermMajor`) the first time they are read.
 * A merged BM25 segment needs them only once one of its documents is removed, which a build that
 * only inserts never does; deriving them eagerly was a third of the cost of each merge.
 */
export function withLazyDocMajor(terms: readonly string[], lengths: Int32Array, termStart: Int32Array, docs: Int32Array, tfs: Int32Array): GroupedPostings {
  let derived: GroupedPostings | undefined;
  const derive = () => (derived ??= fromTermMajor(terms, lengths, termStart, docs, tfs));
  return {
    terms,
    lengths,
    termStart,
    docs,
    tfs,
    get docStart() {
      return derive().docStart;
    },
    get docTerms() {
      return derive().docTerms;
    },
  };
}

/**
 * The group restricted to the documents `keep` accepts, renumbered 0…m−1 in order; terms left
 * without postings are dropped. Returns the kept positions too.
 */
export function selectDocs(group: GroupedPostings, keep: (d: number) => boolean): { readonly group: GroupedPostings; readonly kept: readonly number[] } {
  const n = group.lengths.length;
  const renumber = new Int32Array(n).fill(-1);
  const kept: number[] = [];
  for (let d = 0; d < n; d++) if (keep(d)) renumber[d] = kept.push(d) - 1;
  if (kept.length === n) return { group, kept };
  const terms: string[] = [];
  const termStart = [0];
  const docs: number[] = [];
  const tfs: number[] = [];
  for (let t = 0; t < group.terms.length; t++) {
    for (let i = group.termStart[t]!; i < group.termStart[t + 1]!; i++) {
      const d = renumber[group.docs[i]!]!;
      if (d < 0) continue;
      docs.push(d);
      tfs.push(group.tfs[i]!);
    }
    if (docs.length > termStart[termStart.length - 1]!) {
      terms.push(group.terms[t]!);
      termStart.push(docs.length);
    }
  }
  const lengths = Int32Array.from(kept, (d) => group.lengths[d]!);
  return { group: fromTermMajor(terms, lengths, Int32Array.from(termStart), Int32Array.from(docs), Int32Array.from(tfs)), kept };
}

/** One document's group from its term frequencies (for `Bm25Index.addTerms`). */
export function groupFrequencies(frequencies: ReadonlyMap<string, number>): GroupedPostings {
  const terms = [...frequencies.keys()];
  const tfs = Int32Array.from(frequencies.values());
  let length = 0;
  for (const tf of tfs) length += tf;
  const all = Int32Array.from(terms, (_, t) => t);
  return {
    terms,
    lengths: Int32Array.of(length),
    termStart: Int32Array.from({ length: terms.length + 1 }, (_, t) => t),
    docs: new Int32Array(terms.length),
    tfs,
    docStart: Int32Array.of(0, terms.length),
    docTerms: all,
  };
}

function grow(from: Int32Array, fill: number): Int32Array<ArrayBuffer> {
  const to = new Int32Array(from.length * 2);
  to.set(from);
  if (fill !== 0) to.fill(fill, from.length);
  return to;
}

/**
 * Checks that a group's arrays describe one group (see `GroupedPostings`), so a hand-built or
 * mangled one cannot leave postings pointing at other documents' slots or at no term. Linear in
 * its size.
 */
export function requireGroup(group: GroupedPostings): GroupedPostings {
  const fail = (field: string, what: string) =>
    new ValidationError(`group.${field} ${what}`, { field: `group.${field}`, remediation: 'Pass a group made by groupPostings(texts), unchanged.' });
  if (group === null || typeof group !== 'object') throw new ValidationError('group must be the result of groupPostings(texts)', { field: 'group' });
  const { terms, lengths, termStart, docs, tfs } = group;
  if (!Array.isArray(terms)) throw fail('terms', 'must be an array of strings');
  for (const name of ['lengths', 'termStart', 'docs', 'tfs', 'docStart', 'docTerms'] as const) {
    if (!(group[name] instanceof Int32Array)) throw fail(name, 'must be an Int32Array');
  }
  const n = lengths.length;
  const p = docs.length;
  for (let t = 0; t < terms.length; t++) if (typeof terms[t] !== 'string') throw fail('terms', `[${t}] is not a string`);
  for (let d = 0; d < n; d++) if (lengths[d]! < 0) throw fail('lengths', `[${d}] is negative`);
  if (termStart.length !== terms.length + 1 || termStart[0] !== 0 || termStart[terms.length] !== p) {
    throw fail('termStart', `must hold ${terms.length + 1} offsets from 0 to ${p} (one per term, plus the end)`);
  }
  if (tfs.length !== p) throw fail('tfs', `must hold one frequency per posting (${p}), got ${tfs.length}`);
  // Postings per document, counted term-major, to compare with the doc-major arrays below.
  const perDoc = new Int32Array(n);
  for (let t = 0; t < terms.length; t++) {
    if (termStart[t + 1]! < termStart[t]!) throw fail('termStart', `goes backwards at term ${t}`);
    for (let i = termStart[t]!; i < termStart[t + 1]!; i++) {
      const d = docs[i]!;
      if (d < 0 || d >= n || (i > termStart[t]! && d <= docs[i - 1]!)) throw fail('docs', `[${i}] names document ${d}: out of range or out of order`);
      if (tfs[i]! < 1) throw fail('tfs', `[${i}] is below 1`);
      perDoc[d]!++;
    }
  }
  const { docStart, docTerms } = group;
  if (docStart.length !== n + 1 || docStart[0] !== 0 || docTerms.length !== p) throw fail('docStart', `must hold ${n + 1} offsets into ${p} postings`);
  for (let d = 0; d < n; d++) {
    if (docStart[d + 1]! - docStart[d]! !== perDoc[d])
      throw fail('docStart', `gives document ${d} ${docStart[d + 1]! - docStart[d]!} terms, the postings ${perDoc[d]}`);
  }
  for (let i = 0; i < p; i++) if (docTerms[i]! < 0 || docTerms[i]! >= terms.length) throw fail('docTerms', `[${i}] names term ${docTerms[i]}, out of range`);
  return group;
}
