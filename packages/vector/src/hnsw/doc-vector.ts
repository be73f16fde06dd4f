import { createHash } from 'node:crypto';

// What a collection derives from each stored vector: its digest contribution and, under cosine,
// the unit vector the graph keeps. Both run on the text worker for large writes (see
// chunk-work.ts), so this module imports nothing heavier than node:crypto.

/** 64 bits of SHA-1 over id and vector bytes; a collection's digest is their sum mod 2^64, so order-free. */
export function hashDoc(id: string, vectorBytes: Uint8Array): bigint {
  const h = createHash('sha1').update(id).update('\0').update(vectorBytes).digest();
  return h.readBigUInt64LE(0);
}

/**
 * Normalises in place exactly as hnswlib-node does (float32 sum of squares, float32 sqrt and
 * division), so a copy equals what the graph holds and exact scans agree before and after a
 * save/load.
 */
export function normalizeLikeHnswlib(v: Float32Array, start = 0, end = v.length): void {
  // A range of a larger array rather than a subarray: the graph's restore normalises a million
  // vectors in place, and a view per vector was half of its garbage.
  let norm = 0;
  for (let i = start; i < end; i++) norm = Math.fround(norm + Math.fround(v[i]! * v[i]!));
  norm = Math.fround(Math.sqrt(norm));
  if (norm > 0) for (let i = start; i < end; i++) v[i] = v[i]! / norm;
}
