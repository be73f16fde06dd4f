// Deterministic data for tests: a seeded PRNG and clustered vectors, plus exact k-NN for recall.

/** mulberry32: tiny seeded PRNG so every run sees the same data. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function gaussian(next: () => number): number {
  const u = Math.max(next(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
}

/** `n` vectors around `clusters` random centres (spread 0.3 around unit-scale centres). */
export function clustered(n: number, dim: number, clusters: number, seed = 1): Float32Array[] {
  const next = rng(seed);
  const centres = Array.from({ length: clusters }, () => Float32Array.from({ length: dim }, () => gaussian(next)));
  return Array.from({ length: n }, (_, i) => {
    const c = centres[i % clusters]!;
    return Float32Array.from(c, (x) => x + 0.3 * gaussian(next));
  });
}

export function cosineDistance(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return 1 - dot / Math.sqrt(na * nb);
}

/** Exact k nearest row indices by cosine distance. */
export function bruteForce(data: readonly Float32Array[], query: Float32Array, k: number): number[] {
  return data
    .map((v, i) => [cosineDistance(v, query), i] as const)
    .sort((a, b) => a[0] - b[0])
    .slice(0, k)
    .map(([, i]) => i);
}

/**
 * Embedding-like data: `latent` gaussian factors projected to `dim` dimensions plus unit noise —
 * clustered along a low-dimensional structure, harder for HNSW than tight clusters.
 */
export function lowRank(n: number, dim: number, latent = 32, seed = 1): Float32Array[] {
  const next = rng(seed);
  const factors = Array.from({ length: latent }, () => Float32Array.from({ length: dim }, () => gaussian(next)));
  return Array.from({ length: n }, () => {
    const v = Float32Array.from({ length: dim }, () => gaussian(next));
    for (const f of factors) {
      const z = gaussian(next);
      for (let d = 0; d < dim; d++) v[d] = v[d]! + z * f[d]!;
    }
    return v;
  });
}
