/**
 * One term's postings in one stored segment (inside a bucket, see below and collection/postings.ts):
 * the segment-local document numbers, ascending, and how often the term occurs in each.
 *
 *   varint count · count × (varint gap to the previous document number (the first: the number
 *   itself) · varint tf)
 *
 * Unsigned LEB128 varints, as Lucene's and protobuf's: most gaps and tfs fit one byte, so a
 * posting costs ~2 bytes instead of the 8 of two Int32s. Written by hand: the format is two
 * loops, and no maintained npm codec packs (gap, tf) pairs into one buffer without per-value
 * allocations.
 */
export interface PostingBlock {
  /** Segment-local document numbers, ascending. */
  readonly docs: Int32Array;
  /** Per document of `docs`: the term's frequency there (≥ 1). */
  readonly tfs: Int32Array;
}

/** Encodes postings [from, to) of `docs`/`tfs` (docs ascending, tfs ≥ 1) as one block. */
export function encodeBlock(docs: ArrayLike<number>, tfs: ArrayLike<number>, from = 0, to = docs.length): Buffer {
  const out = Buffer.allocUnsafe(5 + (to - from) * 10);
  let at = writeVarint(out, 0, to - from);
  let previous = 0;
  for (let i = from; i < to; i++) {
    at = writeVarint(out, at, docs[i]! - previous);
    previous = docs[i]!;
    at = writeVarint(out, at, tfs[i]!);
  }
  return Buffer.from(out.subarray(0, at));
}

/** Decodes a block; a RangeError saying what is wrong when the bytes are not one. */
export function decodeBlock(bytes: Uint8Array): PostingBlock {
  const cursor = { at: 0 };
  const count = readVarint(bytes, cursor);
  // Every posting takes at least two bytes: a larger count is damage, not an allocation to make.
  if (count * 2 > bytes.length) throw new RangeError('postings block is truncated');
  const docs = new Int32Array(count);
  const tfs = new Int32Array(count);
  let doc = 0;
  for (let i = 0; i < count; i++) {
    const gap = readVarint(bytes, cursor);
    if (i > 0 && gap === 0) throw new RangeError('postings block repeats a document');
    doc += gap;
    if (doc > 0x7fffffff) throw new RangeError('postings block names a document number out of range');
    docs[i] = doc;
    const tf = readVarint(bytes, cursor);
    if (tf < 1 || tf > 0x7fffffff) throw new RangeError('postings block has a term frequency below 1');
    tfs[i] = tf;
  }
  if (cursor.at !== bytes.length) throw new RangeError('postings block has bytes after its postings');
  return { docs, tfs };
}

function writeVarint(out: Buffer, at: number, value: number): number {
  while (value >= 0x80) {
    out[at++] = (value & 0x7f) | 0x80;
    value = Math.floor(value / 128);
  }
  out[at++] = value;
  return at;
}

function readVarint(bytes: Uint8Array, cursor: { at: number }): number {
  let value = 0;
  let scale = 1;
  for (let shift = 0; shift < 35; shift += 7) {
    if (cursor.at >= bytes.length) throw new RangeError('postings block is truncated');
    const byte = bytes[cursor.at++]!;
    value += (byte & 0x7f) * scale;
    if (byte < 0x80) return value;
    scale *= 128;
  }
  throw new RangeError('postings block has a number longer than five bytes');
}

/**
 * A stored segment's postings are split by term into buckets (`['q', segment, bucket]`, see
 * collection/postings.ts): each holds the blocks of the terms that hash to it, so a query reads
 * one small value per term and segment, and a write stores a few values instead of one per term.
 *
 *   varint count · count × (varint term length · the term's UTF-8 bytes · varint block length · block)
 */
export interface BucketEntry {
  readonly term: string;
  readonly block: Uint8Array;
}

/** Terms per bucket a segment aims at: a query reads ~this many terms' postings to use one. */
const TERMS_PER_BUCKET = 128;

/** How many buckets a segment of `terms` distinct terms gets (at least one). */
export function bucketCount(terms: number): number {
  return Math.max(1, Math.ceil(terms / TERMS_PER_BUCKET));
}

/** The bucket of a term (FNV-1a of its UTF-8 bytes): the same in every process and version. */
export function bucketOf(term: Uint8Array, buckets: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < term.length; i++) hash = Math.imul(hash ^ term[i]!, 0x01000193);
  return (hash >>> 0) % buckets;
}

export function encodeBucket(entries: readonly BucketEntry[]): Buffer {
  const terms = entries.map((e) => Buffer.from(e.term, 'utf8'));
  let size = 5;
  entries.forEach((e, i) => (size += 10 + terms[i]!.length + e.block.length));
  const out = Buffer.allocUnsafe(size);
  let at = writeVarint(out, 0, entries.length);
  entries.forEach((e, i) => {
    at = writeVarint(out, at, terms[i]!.length);
    out.set(terms[i]!, at);
    at = writeVarint(out, at + terms[i]!.length, e.block.length);
    out.set(e.block, at);
    at += e.block.length;
  });
  return Buffer.from(out.subarray(0, at));
}

/** The block of `term` (its UTF-8 bytes) in a bucket, undefined when the bucket has none; a RangeError when the bytes are not a bucket. */
export function findInBucket(bucket: Uint8Array, term: Uint8Array): Uint8Array | undefined {
  let found: Uint8Array | undefined;
  walkBucket(bucket, (start, end, block) => {
    if (end - start !== term.length) return false;
    for (let i = 0; i < term.length; i++) if (bucket[start + i] !== term[i]) return false;
    found = block;
    return true;
  });
  return found;
}

/** Every entry of a bucket; a RangeError when the bytes are not one. */
export function readBucket(bucket: Uint8Array): BucketEntry[] {
  const entries: BucketEntry[] = [];
  const bytes = Buffer.from(bucket.buffer, bucket.byteOffset, bucket.byteLength);
  walkBucket(bucket, (start, end, block) => {
    entries.push({ term: bytes.toString('utf8', start, end), block });
    return false;
  });
  return entries;
}

/** Calls `visit` with each entry's term bytes [start, end) and block until it returns true. */
function walkBucket(bucket: Uint8Array, visit: (start: number, end: number, block: Uint8Array) => boolean): void {
  const cursor = { at: 0 };
  const count = readVarint(bucket, cursor);
  for (let i = 0; i < count; i++) {
    const termLength = readVarint(bucket, cursor);
    const start = cursor.at;
    cursor.at += termLength;
    const blockLength = readVarint(bucket, cursor);
    const blockStart = cursor.at;
    cursor.at += blockLength;
    if (cursor.at > bucket.length) throw new RangeError('postings bucket is truncated');
    if (visit(start, start + termLength, bucket.subarray(blockStart, cursor.at))) return;
  }
  if (cursor.at !== bucket.length) throw new RangeError('postings bucket has bytes after its entries');
}

/** A segment's buckets, encoded, in one buffer (bucket n is [ends[n − 1], ends[n])): one array to move from the worker. */
export interface EncodedBuckets {
  readonly values: Uint8Array;
  readonly ends: Int32Array;
}

/** A segment's term-major postings as its buckets (see `bucketCount`); empty when it has none. */
export function encodeBuckets(group: {
  readonly terms: readonly string[];
  readonly termStart: Int32Array;
  readonly docs: Int32Array;
  readonly tfs: Int32Array;
}): EncodedBuckets {
  if (group.docs.length === 0) return { values: new Uint8Array(0), ends: new Int32Array(0) };
  const { terms, termStart } = group;
  const buckets = bucketCount(terms.length);
  const entries: BucketEntry[][] = Array.from({ length: buckets }, () => []);
  for (let t = 0; t < terms.length; t++) {
    const term = terms[t]!;
    entries[bucketOf(Buffer.from(term, 'utf8'), buckets)]!.push({ term, block: encodeBlock(group.docs, group.tfs, termStart[t], termStart[t + 1]) });
  }
  const encoded = entries.map((bucket) => encodeBucket(bucket));
  const ends = new Int32Array(buckets);
  let at = 0;
  encoded.forEach((bytes, n) => (ends[n] = at += bytes.length));
  // Its own buffer (not a slice of Node's pool), so it can move from the worker without a copy.
  const values = new Uint8Array(at);
  at = 0;
  for (const bytes of encoded) {
    values.set(bytes, at);
    at += bytes.length;
  }
  return { values, ends };
}
