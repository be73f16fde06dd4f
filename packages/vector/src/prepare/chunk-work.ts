import { hashDoc, normalizeLikeHnswlib } from '../hnsw/doc-vector.js';
import type { Metadata } from '../metadata/filter.js';
import type { TextAnalysis } from '../text/analyzer.js';
import { groupPostings, type GroupedPostings } from '../text/grouped-postings.js';
import { encodeBuckets, type EncodedBuckets } from '../text/posting-block.js';
import { searchableText } from '../text/searchable-text.js';

/**
 * A chunk of a write, ready to store and to index: its postings and their stored bytes, each
 * document's stored record (see `StoredDoc`; UTF-8 JSON, document d at [recordEnds[d − 1],
 * recordEnds[d]) of `records`), each document's digest contribution (`hashDoc`), and under
 * cosine the unit vectors the graph keeps (row d at `d × dimension`).
 */
export interface PreparedChunk {
  readonly ids: readonly string[];
  readonly postings: GroupedPostings;
  /** The postings as the chunk's stored segment holds them (see collection/postings.ts). */
  readonly buckets: EncodedBuckets;
  readonly records: Uint8Array;
  readonly recordEnds: Int32Array;
  readonly hashes: BigUint64Array;
  readonly unitVectors: Float32Array | undefined;
}

/** What one chunk is made from: up to CHUNK_DOCS documents of a write, checked. */
export interface ChunkInput {
  readonly ids: readonly string[];
  readonly contents: readonly (string | undefined)[];
  readonly metadataJsons: readonly string[];
  readonly vectors: ChunkVectors;
  /** The postings segment the write's records name. */
  readonly segment: string;
  /** The collection's text analysis (stop words, stemming), the same on the worker as inline. */
  readonly text: TextAnalysis;
}

/** A chunk's vectors, row-major in one array (one copy to the worker instead of one per row). */
export interface ChunkVectors {
  readonly values: Float32Array;
  readonly dimension: number;
  /** Also return them unit-normalised (cosine collections). */
  readonly normalize: boolean;
}

/**
 * A chunk's strings travel to the worker as one string plus their lengths (−1: absent): cloning
 * one string is a copy, while cloning thousands of strings cost the main thread more than the
 * work it saved.
 */
export interface ChunkRequest {
  readonly seq: number;
  readonly ids: PackedTexts;
  readonly contents: PackedTexts;
  readonly metadataJsons: PackedTexts;
  readonly vectors: ChunkVectors;
  readonly segment: string;
  /** Plain strings (and a short array for custom stop words): cloned to the worker as is. */
  readonly text: TextAnalysis;
}

export interface PackedTexts {
  readonly joined: string;
  readonly lengths: Int32Array;
}

export type ChunkReply =
  { readonly seq: number; readonly chunk: Omit<PreparedChunk, 'ids'>; readonly error?: undefined } | { readonly seq: number; readonly error: string };

export function packTexts(texts: readonly (string | undefined)[]): PackedTexts {
  let joined = '';
  const lengths = new Int32Array(texts.length);
  texts.forEach((t, i) => {
    if (t === undefined) lengths[i] = -1;
    else {
      joined += t;
      lengths[i] = t.length;
    }
  });
  return { joined, lengths };
}

export function unpackTexts({ joined, lengths }: PackedTexts): (string | undefined)[] {
  const texts = new Array<string | undefined>(lengths.length);
  let at = 0;
  for (let i = 0; i < lengths.length; i++) texts[i] = lengths[i]! < 0 ? undefined : joined.slice(at, (at += lengths[i]!));
  return texts;
}

export function toRequest(seq: number, input: ChunkInput): ChunkRequest {
  return {
    seq,
    ids: packTexts(input.ids),
    contents: packTexts(input.contents),
    metadataJsons: packTexts(input.metadataJsons),
    vectors: input.vectors,
    segment: input.segment,
    text: input.text,
  };
}

export function fromRequest(request: ChunkRequest): ChunkInput {
  return {
    ids: unpackTexts(request.ids) as string[],
    contents: unpackTexts(request.contents),
    metadataJsons: unpackTexts(request.metadataJsons) as string[],
    vectors: request.vectors,
    segment: request.segment,
    text: request.text,
  };
}

/** Copies equally long vectors into one row-major array. */
export function packVectors(rows: readonly Float32Array[], dimension: number, normalize: boolean): ChunkVectors {
  const values = new Float32Array(rows.length * dimension);
  rows.forEach((row, i) => values.set(row, i * dimension));
  return { values, dimension, normalize };
}

/** The work done for one chunk, on the main thread or in the worker alike. */
export function prepareChunk({ ids, contents, metadataJsons, vectors, segment, text }: ChunkInput): PreparedChunk {
  const postings = groupPostings(
    ids.map((_, d) => searchableText(contents[d], JSON.parse(metadataJsons[d]!) as Metadata)),
    text,
  );
  const { values, dimension, normalize } = vectors;
  const hashes = new BigUint64Array(ids.length);
  const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  for (let d = 0; d < ids.length; d++) hashes[d] = hashDoc(ids[d]!, bytes.subarray(d * dimension * 4, (d + 1) * dimension * 4));
  let unitVectors: Float32Array | undefined;
  if (normalize) {
    unitVectors = values.slice();
    for (let d = 0; d < ids.length; d++) normalizeLikeHnswlib(unitVectors.subarray(d * dimension, (d + 1) * dimension));
  }
  const { records, recordEnds } = encodeRecords(metadataJsons, segment, postings.lengths, hashes);
  return { ids, postings, buckets: encodeBuckets(postings), records, recordEnds, hashes, unitVectors };
}

/**
 * Each document's stored record as `JSON.stringify({ metadata, segment, length, hash })` would
 * write it (the metadata's JSON is reused as is; the fields in this order, as an open reads the
 * last three from the record's end: see `recordSummary`), all in one buffer: made here, off the main
 * thread for large writes, the records of a build are not ~400-byte strings per document that
 * the main thread's garbage collector copies while their transaction commits.
 */
function encodeRecords(metadataJsons: readonly string[], segment: string, lengths: Int32Array, hashes: BigUint64Array) {
  const segmentJson = JSON.stringify(segment);
  const parts = metadataJsons.map(
    (metadataJson, d) => `{"metadata":${metadataJson},"segment":${segmentJson},"length":${lengths[d]},"hash":"${hashes[d]!.toString(16)}"}`,
  );
  const records = Buffer.from(parts.join(''), 'utf8');
  const recordEnds = new Int32Array(parts.length);
  let end = 0;
  parts.forEach((part, d) => (recordEnds[d] = end += Buffer.byteLength(part, 'utf8')));
  // Its own buffer (not a slice of Node's pool), so it can move from the worker without a copy.
  return { records: records.byteOffset === 0 && records.byteLength === records.buffer.byteLength ? records : Uint8Array.from(records), recordEnds };
}
