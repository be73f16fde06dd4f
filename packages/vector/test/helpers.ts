// Deterministic data for tests: a seeded PRNG and clustered vectors, plus exact k-NN for recall.
import { decodeKey, keyRange, type KeyValueReader } from '@sochdb/core';
import type { SegmentHeader } from '../src/collection/segment-header.js';
import type { GroupedPostings } from '../src/text/grouped-postings.js';
import { bucketCount, decodeBlock, readBucket } from '../src/text/posting-block.js';

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

/**
 * A collection's stored postings (namespace `ns`), read straight from storage: per segment its
 * header, and per `${segment} ${term}` the postings as [id, tf, id, tf, …] in document order.
 * Dead postings included: whether a posting counts is the records' business.
 */
export async function storedPostings(
  storage: KeyValueReader,
  ns: string,
  name: string,
): Promise<{ readonly headers: Map<string, SegmentHeader>; readonly postings: Map<string, (string | number)[]> }> {
  const headers = new Map<string, SegmentHeader>();
  for await (const [k, v] of storage.iterator(keyRange(['vec', ns, 'd', name, 's']))) {
    headers.set(decodeKey(k).at(-1) as string, JSON.parse(v.toString('utf8')) as SegmentHeader);
  }
  const postings = new Map<string, (string | number)[]>();
  for await (const [k, v] of storage.iterator(keyRange(['vec', ns, 'd', name, 'q']))) {
    const [segment] = decodeKey(k).slice(-2) as [string, number];
    const header = headers.get(segment);
    if (!header) throw new Error(`postings bucket of segment ${segment}, which has no header`);
    for (const { term, block } of readBucket(v)) {
      const { docs, tfs } = decodeBlock(block);
      postings.set(
        `${segment} ${term}`,
        [...docs].flatMap((d, i) => [header.ids[d]!, tfs[i]!]),
      );
    }
  }
  return { headers, postings };
}

/** The ids with postings stored in segments whose header gives them `origin` (or any origin). */
export async function idsWithPostings(storage: KeyValueReader, ns: string, name: string, origin?: string): Promise<Set<string>> {
  const { headers, postings } = await storedPostings(storage, ns, name);
  const ids = new Set<string>();
  for (const [key, list] of postings) {
    const header = headers.get(key.split(' ')[0]!)!;
    for (let i = 0; i < list.length; i += 2) {
      const j = header.ids.indexOf(list[i] as string);
      if (origin === undefined || header.origins[header.originOf?.[j] ?? 0] === origin) ids.add(list[i] as string);
    }
  }
  return ids;
}

/**
 * What `storedPostings` gives for one write of `ids` whose chunk c (of `chunkDocs` documents) has
 * postings `groups[c]`, stored under the write's segment id `write`.
 */
export function postingsOfWrite(
  write: string,
  ids: readonly string[],
  groups: readonly Pick<GroupedPostings, 'terms' | 'termStart' | 'docs' | 'tfs'>[],
  chunkDocs: number,
): { readonly headers: Map<string, SegmentHeader>; readonly postings: Map<string, (string | number)[]> } {
  const headers = new Map<string, SegmentHeader>();
  const postings = new Map<string, (string | number)[]>();
  groups.forEach((group, c) => {
    const segment = `${write}.${c}`;
    const chunkIds = ids.slice(c * chunkDocs, (c + 1) * chunkDocs);
    if (group.docs.length === 0) return;
    headers.set(segment, { ids: chunkIds, origins: [write], buckets: bucketCount(group.terms.length) });
    group.terms.forEach((term, t) => {
      const list: (string | number)[] = [];
      for (let i = group.termStart[t]!; i < group.termStart[t + 1]!; i++) list.push(chunkIds[group.docs[i]!]!, group.tfs[i]!);
      postings.set(`${segment} ${term}`, list);
    });
  });
  return { headers, postings };
}
