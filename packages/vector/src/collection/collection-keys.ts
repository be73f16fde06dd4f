import { decodeKey, encodeKey, keyRange, type KeyPart, type Range } from '@sochdb/core';

/**
 * Storage layout of collections (all under the package prefix `vec`):
 *   ['vec', ns, 'c', name]                 collection config (JSON)
 *   ['vec', ns, 'd', name, 'v', id]        vector, little-endian float32
 *   ['vec', ns, 'd', name, 'm', id]             { metadata, segment, length } (JSON; see StoredDoc)
 *   ['vec', ns, 'd', name, 't', id]             the document's text as a JSON string (absent when it has none)
 *   ['vec', ns, 'd', name, 'q', segment, n]     bucket n of a segment's BM25 postings: the terms hashing to it (posting-block.ts)
 *   ['vec', ns, 'd', name, 's', segment]        a segment's header: its documents, the writes their postings came from, its bucket count
 *   ['vec', ns, 'd', name, 'p', segment, chunk] earlier formats of postings, converted at open (legacy-postings.ts):
 *   ['vec', ns, 'd', name, 'p', segment, term]  whole segments in chunks, or one key per term
 *   ['vec', ns, 'd', name, 'g', …]              saved HNSW graph (meta, chunks, per-label document hashes)
 * Configs sit apart from data so listing a namespace's collections reads only configs. Text sits
 * apart from the small record, so opening a collection (which reads every record) reads no text.
 * Records written before that split hold the text as `content` (see `contentOf`). A keyword
 * query reads one bucket per query term and segment; an open reads no postings (see `postings.ts`).
 */
export class CollectionKeys {
  readonly #data: readonly KeyPart[];
  /** Where the id starts in a record's, vector's or text's key (their kinds are one letter each). */
  readonly #idAt: number;
  constructor(
    readonly namespace: string,
    readonly name: string,
  ) {
    this.#data = ['vec', namespace, 'd', name];
    this.#idAt = encodeKey([...this.#data, 'm']).length;
  }
  static config(namespace: string, name: string): Buffer {
    return encodeKey(['vec', namespace, 'c', name]);
  }
  static configs(namespace: string) {
    return keyRange(['vec', namespace, 'c']);
  }
  static namespace(namespace: string) {
    return keyRange(['vec', namespace]);
  }
  get config(): Buffer {
    return CollectionKeys.config(this.namespace, this.name);
  }
  get all() {
    return keyRange(this.#data);
  }
  vector(id: string): Buffer {
    return encodeKey([...this.#data, 'v', id]);
  }
  doc(id: string): Buffer {
    return encodeKey([...this.#data, 'm', id]);
  }
  /** A document's text (its UTF-8 bytes). */
  text(id: string): Buffer {
    return encodeKey([...this.#data, 't', id]);
  }
  /** The document records after `afterId` (all of them without it), in id order. */
  docsAfter(afterId: string | undefined): Range {
    const all = this.range('m');
    return afterId === undefined ? all : { gt: this.doc(afterId), lt: all.lt };
  }
  /**
   * The id a document's record, vector or text key names: only that part is decoded (an open and
   * a filter's first use decode every record's key; decoding all six parts was a fifth of that).
   */
  idOf(key: Buffer): string {
    return decodeKey(key.subarray(this.#idAt))[0] as string;
  }
  /** Bucket n of a segment's postings. */
  bucket(segment: string, n: number): Buffer {
    return encodeKey([...this.#data, 'q', segment, n]);
  }
  /** Every bucket of a segment. */
  buckets(segment: string) {
    return keyRange([...this.#data, 'q', segment]);
  }
  segmentHeader(segment: string): Buffer {
    return encodeKey([...this.#data, 's', segment]);
  }
  /** A chunk of a segment in the earlier postings format (see legacy-postings.ts). */
  legacyChunk(segment: string, chunk: number): Buffer {
    return encodeKey([...this.#data, 'p', segment, chunk]);
  }
  /** Every key of one segment in the earlier postings formats. */
  legacySegment(segment: string) {
    return keyRange([...this.#data, 'p', segment]);
  }
  graphMeta(): Buffer {
    return encodeKey([...this.#data, 'g', 'meta']);
  }
  graphChunk(i: number): Buffer {
    return encodeKey([...this.#data, 'g', 'chunk', i]);
  }
  /** Chunk i of the saved graph's per-label document hashes (see saved-graph.ts). */
  graphHashes(i: number): Buffer {
    return encodeKey([...this.#data, 'g', 'hashes', i]);
  }
  /** Chunk i of the saved graph's per-label document table (see saved-docs.ts). */
  graphDocs(i: number): Buffer {
    return encodeKey([...this.#data, 'g', 'docs', i]);
  }
  range(kind: 'v' | 'm' | 't' | 'p' | 'q' | 's' | 'g') {
    return keyRange([...this.#data, kind]);
  }
}
