import { fromTermMajor, type GroupedPostings } from './grouped-postings.js';

/**
 * A stored chunk of a postings segment: the ids of up to `CHUNK_DOCS` documents written together
 * and their postings, term-major. Binary, because a chunk holds ~60 postings per document and
 * JSON spends most of its time on numbers:
 *
 *   u8 version (1) · u32 LE header length · header: JSON { ids, terms, postings } (UTF-8) · zero padding to
 *   a multiple of 4 · Int32 LE arrays: lengths (one per id), termStart (terms + 1), docs, tfs
 *   (termStart[terms] each).
 */
export interface PostingsChunk {
  readonly ids: readonly string[];
  readonly postings: GroupedPostings;
}

const VERSION = 1;
/** Documents per stored chunk: bounds a value's size (~0.5 MB at 60 terms a document). */
export const CHUNK_DOCS = 2048;
const LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;

export function encodeChunk(ids: readonly string[], postings: GroupedPostings): Buffer {
  if (ids.length !== postings.lengths.length)
    throw new RangeError(`a chunk needs one id per document (${ids.length} ids, ${postings.lengths.length} documents)`);
  const header = Buffer.from(JSON.stringify({ ids, terms: postings.terms, postings: postings.docs.length }), 'utf8');
  const start = align(5 + header.length);
  const arrays = [postings.lengths, postings.termStart, postings.docs, postings.tfs];
  const out = Buffer.alloc(start + arrays.reduce((n, a) => n + a.byteLength, 0));
  out[0] = VERSION;
  out.writeUInt32LE(header.length, 1);
  header.copy(out, 5);
  let at = start;
  for (const a of arrays) {
    out.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), at);
    if (!LITTLE_ENDIAN) out.subarray(at, at + a.byteLength).swap32();
    at += a.byteLength;
  }
  return out;
}

/** Decodes a chunk; throws a RangeError saying what is wrong when the bytes are not one. */
export function decodeChunk(value: Uint8Array): PostingsChunk {
  if (value.length < 5 || value[0] !== VERSION) throw new RangeError(`unknown postings chunk version ${value[0]}`);
  const bytes = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  const headerLength = bytes.readUInt32LE(1);
  const start = align(5 + headerLength);
  if (start > bytes.length || (bytes.length - start) % 4 !== 0) throw new RangeError('postings chunk is truncated');
  const { ids, terms, postings: p } = parseHeader(bytes.toString('utf8', 5, 5 + headerLength));
  // One aligned copy of the arrays: storage hands out buffers at any offset.
  const ints = new Int32Array((bytes.length - start) / 4);
  new Uint8Array(ints.buffer).set(bytes.subarray(start));
  if (!LITTLE_ENDIAN) Buffer.from(ints.buffer).swap32();
  const n = ids.length;
  if (ints.length !== n + terms.length + 1 + 2 * p) throw new RangeError('postings chunk arrays do not match its header');
  const lengths = ints.subarray(0, n);
  const termStart = ints.subarray(n, n + terms.length + 1);
  const docs = ints.subarray(n + terms.length + 1, n + terms.length + 1 + p);
  const tfs = ints.subarray(n + terms.length + 1 + p);
  for (const length of lengths) if (length < 0) throw new RangeError('postings chunk has a negative document length');
  for (const tf of tfs) if (tf < 1) throw new RangeError('postings chunk has a term frequency below 1');
  for (let t = 0; t < terms.length; t++) if (termStart[t + 1]! <= termStart[t]!) throw new RangeError(`postings chunk term '${terms[t]}' has no postings`);
  return { ids, postings: fromTermMajor(terms, lengths, termStart, docs, tfs) };
}

function parseHeader(text: string): { ids: string[]; terms: string[]; postings: number } {
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch {
    throw new RangeError('postings chunk header is not JSON');
  }
  const { ids, terms, postings } = (header ?? {}) as { ids?: unknown; terms?: unknown; postings?: unknown };
  const strings = (a: unknown): a is string[] => Array.isArray(a) && a.every((x) => typeof x === 'string');
  if (!strings(ids) || !strings(terms) || !Number.isInteger(postings) || (postings as number) < 0) {
    throw new RangeError('postings chunk header needs ids and terms (strings) and a posting count');
  }
  // No check that ids and terms are unique: chunks are written from groups that are unique by
  // construction, and hashing every term of every chunk was a tenth of a collection's open time.
  // A repeated one (only from a damaged value) would skew scores, not crash.
  return { ids, terms, postings: postings as number };
}

function align(n: number): number {
  return (n + 3) & ~3;
}
