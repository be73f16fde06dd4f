// What the peer bench asks of each engine: build the workload into a folder, then (in a fresh
// process) open it and answer searches by row number.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import type { Documents } from './workload.js';

/** HNSW settings every engine with a graph gets: SochDB's defaults. */
export const M = 16;
export const EF_CONSTRUCTION = 100;
export const EF_SEARCH = 64;
/** Candidates each side of a hybrid search fuses (SochDB's default for k = 10), by RRF with k = 60. */
export const HYBRID_DEPTH = 50;
export const RRF_K = 60;

export interface PeerEngine {
  /** Indexes the documents into `folder` and leaves everything on disk (closed). */
  build(docs: Documents, folder: string): Promise<void>;
  /** Opens what `build` left in `folder`. */
  open(folder: string): Promise<OpenPeer>;
}

/** An opened engine; every search answers the best K rows, best first. */
export interface OpenPeer {
  vector(q: Float32Array, k: number): Promise<readonly number[]>;
  /** Only rows with bucket < 10. */
  filtered(q: Float32Array, k: number): Promise<readonly number[]>;
  /** BM25 over the text, any query word matching (OR); absent when the engine has no text search. */
  readonly keyword?: (text: string, k: number) => Promise<readonly number[]>;
  /** Vector and keyword rankings fused; absent when the engine has no text search. */
  readonly hybrid?: (q: Float32Array, text: string, k: number) => Promise<readonly number[]>;
  close(): Promise<void>;
}

/**
 * A peer package, loaded from bench/peers/node_modules (installed by `pnpm bench peers` on first
 * use, not by the repo's install). Typed by the caller's own narrow interface: a static import
 * would make the repo's typecheck depend on packages the test suite never installs.
 */
export async function importPeer<T>(name: string): Promise<T> {
  const resolved = createRequire(import.meta.url).resolve(name);
  return (await import(pathToFileURL(resolved).href)) as T;
}

/** Reciprocal-rank fusion of two rankings (row numbers), best first: what SochDB's hybrid search does. */
export function rrf(a: readonly number[], b: readonly number[], k: number): number[] {
  const score = new Map<number, number>();
  for (const list of [a, b]) list.forEach((row, rank) => score.set(row, (score.get(row) ?? 0) + 1 / (RRF_K + rank + 1)));
  return [...score]
    .sort((x, y) => y[1] - x[1] || x[0] - y[0])
    .slice(0, k)
    .map(([row]) => row);
}
