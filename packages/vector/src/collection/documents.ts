import type { Metadata } from '../metadata/filter.js';
import type { PreparedChunk } from '../prepare/chunk-work.js';
import { CHUNK_DOCS } from '../text/postings-chunk.js';

// A collection's documents as they pass between its modules: the record storage holds, and a
// write checked and prepared for storage and for the in-memory state. Writing (collection-write),
// applying committed writes (collection-state) and following other writers (collection-follow)
// all use these shapes, so they live here rather than in one of those modules.

/** A document's stored record (`['m', id]`); see collection-keys.ts. */
export interface StoredDoc {
  readonly metadata: Metadata;
  /** Only in records written before text moved to its own key (`['t', id]`): read it with `contentOf`. */
  readonly content?: string;
  /** The postings segment of this version, and its BM25 length (number of tokens). */
  readonly segment: string;
  readonly length: number;
  /**
   * The document's digest contribution (`hashDoc` of id and vector, hex), so an open checks its
   * saved graph against the records without reading every vector. Absent in older records.
   */
  readonly hash?: string;
}

/** What an open needs of a record: not its metadata (see `recordSummary`). */
export interface RecordSummary {
  readonly segment: string;
  readonly length: number;
  /** Absent in records written before they carried hashes. */
  readonly hash: bigint | undefined;
}

/**
 * A record's segment, length and hash, read from its last bytes when it ends as records are
 * written (else parsed whole): an open reads every record, and parsing each one's metadata, which
 * it does not keep (label-columns.ts), was most of that work. The tail is matched from the end
 * (`,"segment":"…","length":N,"hash":"hex"}`), and the segment cannot hold a quote, so metadata
 * cannot be mistaken for it; a segment that is not plain printable ASCII, or any other shape, is
 * parsed whole.
 */
export function recordSummary(record: Buffer): RecordSummary {
  const tail = summaryFromTail(record);
  if (tail !== undefined) return tail;
  const doc = JSON.parse(record.toString('utf8')) as StoredDoc;
  return { segment: doc.segment, length: doc.length, hash: doc.hash === undefined ? undefined : BigInt(`0x${doc.hash}`) };
}

const QUOTE = 0x22;
const HASH_FIELD = Buffer.from(',"hash":"', 'latin1');
const LENGTH_FIELD = Buffer.from('","length":', 'latin1');
const SEGMENT_FIELD = Buffer.from(',"segment":"', 'latin1');

/** Whether `bytes` holds `literal` ending just before `end`. */
function endsWith(bytes: Buffer, end: number, literal: Buffer): boolean {
  const start = end - literal.length;
  if (start < 0) return false;
  for (let i = 0; i < literal.length; i++) if (bytes[start + i] !== literal[i]) return false;
  return true;
}

/**
 * The summary from a record's tail, read byte by byte from the end, or undefined when it does not
 * end as written. Hand-written rather than a regular expression over a latin1 copy of the tail:
 * at a million records the copy, the match and the hex string for `BigInt` were a second of an open.
 */
function summaryFromTail(r: Buffer): RecordSummary | undefined {
  let at = r.length - 1;
  if (at < 1 || r[at] !== 0x7d || r[at - 1] !== QUOTE) return undefined;
  // The hash: 1–16 lowercase hex digits (found from the end, read from the start) into two 32-bit halves.
  const hexEnd = at - 1;
  for (at = hexEnd - 1; at >= 0 && r[at] !== QUOTE; at--);
  const digits = hexEnd - 1 - at;
  if (at < 0 || digits < 1 || digits > 16) return undefined;
  let hi = 0;
  let lo = 0;
  for (let i = at + 1; i < hexEnd; i++) {
    const c = r[i]!;
    const digit = c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x61 && c <= 0x66 ? c - 0x57 : -1;
    if (digit < 0) return undefined;
    hi = ((hi << 4) | (lo >>> 28)) >>> 0;
    lo = ((lo << 4) | digit) >>> 0;
  }
  if (!endsWith(r, at + 1, HASH_FIELD)) return undefined;
  // The length: decimal digits.
  const lengthEnd = at + 1 - HASH_FIELD.length;
  let length = 0;
  let scale = 1;
  for (at = lengthEnd - 1; at >= 0 && r[at]! >= 0x30 && r[at]! <= 0x39; at--, scale *= 10) length += (r[at]! - 0x30) * scale;
  if (at === lengthEnd - 1 || !endsWith(r, at + 1, LENGTH_FIELD)) return undefined;
  // The segment: printable ASCII without a quote or a backslash.
  const segmentEnd = at + 1 - LENGTH_FIELD.length;
  for (at = segmentEnd - 1; at >= 0; at--) {
    const c = r[at]!;
    if (c === QUOTE) break;
    if (c < 0x20 || c > 0x7e || c === 0x5c) return undefined;
  }
  if (at < 0 || !endsWith(r, at + 1, SEGMENT_FIELD)) return undefined;
  return { segment: r.toString('latin1', at + 1, segmentEnd), length, hash: (BigInt(hi) << 32n) | BigInt(lo) };
}

/** A document checked and ready to write. */
export interface PreparedDoc {
  readonly id: string;
  /** As stored: float32, a view of `vectorBytes`. */
  readonly vector: Float32Array;
  readonly vectorBytes: Buffer;
  readonly metadata: Metadata;
  readonly metadataJson: string;
  readonly content: string | undefined;
}

/**
 * A write's documents, checked, and their BM25 postings, digest hashes and graph vectors in
 * chunks: document i is document `i % CHUNK_DOCS` of chunk `⌊i / CHUNK_DOCS⌋`.
 */
export interface PreparedWrite {
  readonly docs: readonly PreparedDoc[];
  readonly chunks: readonly PreparedChunk[];
  /** The new postings segment the write's records name. */
  readonly segment: string;
}

/**
 * What the in-memory state takes of a committed write (`CollectionState.applyInserts`), chunked
 * as a `PreparedWrite` is, which is one: per document its digest hash, BM25 length and, under
 * cosine, the unit vector the graph keeps. Other processes' writes are applied from their records
 * (collection-follow.ts), which carry hashes and lengths, so following them tokenizes nothing.
 */
export interface AppliedWrite {
  readonly docs: readonly Pick<PreparedDoc, 'id' | 'vector' | 'metadataJson'>[];
  readonly chunks: readonly AppliedChunk[];
  readonly segment: string;
}

/** A chunk of an `AppliedWrite` (a `PreparedChunk` is one). */
export interface AppliedChunk {
  readonly hashes: BigUint64Array;
  readonly postings: { readonly lengths: Int32Array };
  readonly unitVectors: Float32Array | undefined;
}

/** Document i of a write: its chunk and its position there. */
export function chunkOf<C>(write: { readonly chunks: readonly C[] }, i: number): { readonly chunk: C; readonly d: number } {
  return { chunk: write.chunks[Math.floor(i / CHUNK_DOCS)]!, d: i % CHUNK_DOCS };
}

/**
 * A document's text: its own record (`['t', id]`), else the `content` a record written before the
 * split still holds. Every reader of text goes through here, so old collections read as new ones.
 * The text is stored as a JSON string, not bare UTF-8, because a JS string may hold a lone
 * surrogate, which UTF-8 cannot encode and JSON escapes.
 */
export function contentOf(stored: Pick<StoredDoc, 'content'>, text: Buffer | undefined): string | undefined {
  return text === undefined ? stored.content : (JSON.parse(text.toString('utf8')) as string);
}

/** A document's text record (see `contentOf`). */
export function encodeContent(content: string): Buffer {
  return Buffer.from(JSON.stringify(content), 'utf8');
}

/**
 * A stored vector's bytes (little-endian float32) as a Float32Array of its own: copied, because a
 * value read from storage may start at any byte offset of a shared buffer.
 */
export function storedVector(bytes: Uint8Array): Float32Array {
  const floats = new Float32Array(bytes.byteLength / 4);
  new Uint8Array(floats.buffer).set(bytes);
  return floats;
}
