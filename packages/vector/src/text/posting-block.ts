/**
 * One term's postings in one stored segment (`['q', term, segment]`, see collection/postings.ts):
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
