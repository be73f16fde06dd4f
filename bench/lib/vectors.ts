/** A deterministic, well-spread pseudo-random vector per index (no two indexes come close). */
export function benchVector(i: number, dim: number): number[] {
  return Array.from({ length: dim }, (_, d) => {
    const x = Math.sin((i + 1) * 12.9898 + (d + 1) * 78.233) * 43758.5453;
    return x - Math.floor(x) - 0.5;
  });
}

/** A seeded pseudo-random generator (mulberry32): the same data in every run and every engine. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Embedding-like vectors, one row per call: 32 latent gaussian factors projected to `dim`
 * dimensions plus unit noise (real embeddings have a low intrinsic dimension; pure gaussian noise
 * would be a worst case that no one searches). A stream, so a million rows need not sit in memory.
 */
export function embeddingStream(dim: number, seed: number): () => Float32Array {
  const next = rng(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(Math.max(next(), 1e-12))) * Math.cos(2 * Math.PI * next());
  const factors = Array.from({ length: 32 }, () => Float32Array.from({ length: dim }, gauss));
  return () => {
    const v = Float32Array.from({ length: dim }, gauss);
    for (const f of factors) {
      const z = gauss();
      for (let d = 0; d < dim; d++) v[d] = v[d]! + z * f[d]!;
    }
    return v;
  };
}

/** `embeddingStream`'s first n rows, then `queryCount` held-out rows from the same distribution. */
export function dataset(n: number, dim: number, seed: number, queryCount: number): { data: Float32Array[]; queries: Float32Array[] } {
  const row = embeddingStream(dim, seed);
  const all = Array.from({ length: n + queryCount }, row);
  return { data: all.slice(0, n), queries: all.slice(n) };
}

/** The exact cosine top-`k` row numbers of each query (rows `keep` rejects left out): recall's truth. */
export function groundTruth(
  data: readonly Float32Array[],
  queries: readonly Float32Array[],
  k: number,
  keep: (i: number) => boolean = () => true,
): Set<number>[] {
  const norms = data.map((v) => Math.sqrt(v.reduce((s, x) => s + x * x, 0)));
  return queries.map((q) => {
    const scored = data.flatMap((v, i) => {
      if (!keep(i)) return [];
      let dot = 0;
      for (let j = 0; j < q.length; j++) dot += v[j]! * q[j]!;
      return [[dot / norms[i]!, i] as const];
    });
    scored.sort((a, b) => b[0] - a[0]);
    return new Set(scored.slice(0, k).map(([, i]) => i));
  });
}
