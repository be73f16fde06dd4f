/**
 * The BM25 postings of one write, grouped by term as they are tokenized: term → [doc, tf, doc,
 * tf, …] with `doc` the document's position in the write, ascending. One Map lookup per token
 * builds both the stored segment (one key per term) and the in-memory index update, with no
 * per-document term-frequency Map: at ~50 terms a document those Maps and lookups were a large
 * share of a collection's build time.
 */
export class BatchPostings {
  readonly #byTerm = new Map<string, number[]>();
  /** Per document: its number of tokens (its BM25 length). */
  readonly lengths: number[] = [];
  /** Per document: its number of distinct terms (its postings). */
  readonly distinct: number[] = [];

  /** Adds the next document's tokens. */
  add(tokens: readonly string[]): void {
    const doc = this.lengths.length;
    let distinct = 0;
    for (const token of tokens) {
      const list = this.#byTerm.get(token);
      if (list === undefined) {
        this.#byTerm.set(token, [doc, 1]);
        distinct++;
      } else if (list[list.length - 2] === doc) {
        list[list.length - 1]!++;
      } else {
        list.push(doc, 1);
        distinct++;
      }
    }
    this.lengths.push(tokens.length);
    this.distinct.push(distinct);
  }

  get byTerm(): ReadonlyMap<string, readonly number[]> {
    return this.#byTerm;
  }
}
