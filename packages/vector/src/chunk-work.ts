import { hashDoc, normalizeLikeHnswlib } from './doc-vector.js';
import { groupPostings, type GroupedPostings } from './grouped-postings.js';
import { encodeChunk } from './postings-chunk.js';

/**
 * A chunk of a write, ready to store and to index: its postings and their stored bytes, each
 * document's digest contribution (`hashDoc`), and under cosine the unit vectors the graph keeps
 * (row d at `d × dimension`).
 */
export interface PreparedChunk {
  readonly ids: readonly string[];
  readonly postings: GroupedPostings;
  readonly bytes: Uint8Array;
  readonly hashes: BigUint64Array;
  readonly unitVectors: Float32Array | undefined;
}

/** A chunk's vectors, row-major in one array (one copy to the worker instead of one per row). */
export interface ChunkVectors {
  readonly values: Float32Array;
  readonly dimension: number;
  /** Also return them unit-normalised (cosine collections). */
  readonly normalize: boolean;
}

/**
 * A chunk's texts travel to the worker as one string plus their lengths: cloning one string is a
 * copy, while cloning thousands of strings cost the main thread more than the text work it saved.
 */
export interface ChunkRequest {
  readonly seq: number;
  readonly ids: PackedTexts;
  readonly texts: PackedTexts;
  readonly vectors: ChunkVectors;
}

export interface PackedTexts {
  readonly joined: string;
  readonly lengths: Int32Array;
}

export type ChunkReply =
  | { readonly seq: number; readonly chunk: Omit<PreparedChunk, 'ids'>; readonly error?: undefined }
  | { readonly seq: number; readonly error: string };

export function packTexts(texts: readonly string[]): PackedTexts {
  return { joined: texts.join(''), lengths: Int32Array.from(texts, (t) => t.length) };
}

export function unpackTexts({ joined, lengths }: PackedTexts): string[] {
  const texts = new Array<string>(lengths.length);
  let at = 0;
  for (let i = 0; i < lengths.length; i++) texts[i] = joined.slice(at, (at += lengths[i]!));
  return texts;
}

/** Copies equally long vectors into one row-major array. */
export function packVectors(rows: readonly Float32Array[], dimension: number, normalize: boolean): ChunkVectors {
  const values = new Float32Array(rows.length * dimension);
  rows.forEach((row, i) => values.set(row, i * dimension));
  return { values, dimension, normalize };
}

/** The work done for one chunk, on the main thread or in the worker alike. */
export function prepareChunk(ids: readonly string[], texts: readonly string[], vectors: ChunkVectors): PreparedChunk {
  const postings = groupPostings(texts);
  const { values, dimension, normalize } = vectors;
  const hashes = new BigUint64Array(ids.length);
  const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  for (let d = 0; d < ids.length; d++) hashes[d] = hashDoc(ids[d]!, bytes.subarray(d * dimension * 4, (d + 1) * dimension * 4));
  let unitVectors: Float32Array | undefined;
  if (normalize) {
    unitVectors = values.slice();
    for (let d = 0; d < ids.length; d++) normalizeLikeHnswlib(unitVectors.subarray(d * dimension, (d + 1) * dimension));
  }
  return { ids, postings, bytes: encodeChunk(ids, postings), hashes, unitVectors };
}
