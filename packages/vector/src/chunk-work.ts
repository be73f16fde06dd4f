import { groupPostings, type GroupedPostings } from './grouped-postings.js';
import { encodeChunk } from './postings-chunk.js';

/** A chunk of a write, ready to store and to index: its postings and their stored bytes. */
export interface PreparedChunk {
  readonly ids: readonly string[];
  readonly postings: GroupedPostings;
  readonly bytes: Uint8Array;
}

/**
 * A chunk's texts travel to the worker as one string plus their lengths: cloning one string is a
 * copy, while cloning thousands of strings cost the main thread more than the text work it saved.
 */
export interface ChunkRequest {
  readonly seq: number;
  readonly ids: PackedTexts;
  readonly texts: PackedTexts;
}

export interface PackedTexts {
  readonly joined: string;
  readonly lengths: Int32Array;
}

export type ChunkReply =
  | { readonly seq: number; readonly postings: GroupedPostings; readonly bytes: Uint8Array; readonly error?: undefined }
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

/** The work done for one chunk, on the main thread or in the worker alike. */
export function prepareChunk(ids: readonly string[], texts: readonly string[]): PreparedChunk {
  const postings = groupPostings(texts);
  return { ids, postings, bytes: encodeChunk(ids, postings) };
}
