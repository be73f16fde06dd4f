/**
 * A stand-in for a real embedding model, so the examples run offline and print the same thing
 * every time: each word is hashed (FNV-1a) into one of `dimension` buckets and the vector is
 * L2-normalised. Texts that share words end up close under cosine distance. Use a real model
 * (OpenAI, sentence-transformers, …) in an application.
 */
export function embed(text: string, dimension = 384): number[] {
  const vector = new Array<number>(dimension).fill(0);
  for (const word of text.toLowerCase().match(/[a-z0-9]+/g) ?? []) {
    let hash = 0x811c9dc5;
    for (let i = 0; i < word.length; i++) hash = Math.imul(hash ^ word.charCodeAt(i), 0x01000193) >>> 0;
    vector[hash % dimension]! += 1;
  }
  const norm = Math.hypot(...vector) || 1;
  return vector.map((x) => x / norm);
}

/** A seeded pseudo-random vector (mulberry32), for the examples that need many vectors. */
export function randomVectors(count: number, dimension: number, seed = 42): Float32Array {
  const out = new Float32Array(count * dimension);
  let state = seed >>> 0;
  for (let i = 0; i < out.length; i++) {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = ((t ^ (t >>> 14)) >>> 0) / 4294967296 - 0.5;
  }
  return out;
}
