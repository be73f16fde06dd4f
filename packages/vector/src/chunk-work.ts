import { groupPostings, type GroupedPostings } from './grouped-postings.js';
import { encodeChunk } from './postings-chunk.js';

/** A chunk of a write, ready to store and to index: its postings and their stored bytes. */
export interface PreparedChunk {
  readonly ids: readonly string[];
  readonly postings: GroupedPostings;
  readonly bytes: Uint8Array;
}

export interface ChunkRequest {
  readonly seq: number;
  readonly ids: readonly string[];
  readonly texts: readonly string[];
}

export type ChunkReply =
  | { readonly seq: number; readonly postings: GroupedPostings; readonly bytes: Uint8Array; readonly error?: undefined }
  | { readonly seq: number; readonly error: string };

/** The work done for one chunk, on the main thread or in the worker alike. */
export function prepareChunk(ids: readonly string[], texts: readonly string[]): PreparedChunk {
  const postings = groupPostings(texts);
  return { ids, postings, bytes: encodeChunk(ids, postings) };
}
