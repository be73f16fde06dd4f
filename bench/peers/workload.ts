// The retrieval workload of issue 26, the same for every engine (fixed seed): N documents with
// 384-d embedding-like vectors (L2-normalised), ~60 words of Zipf text from a 5,000-word
// vocabulary and metadata { bucket: 0–99, year }; 200 held-out queries, each a vector and 3 words;
// the exact cosine top-10 of each query, over all documents and over bucket < 10, as truth.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { embeddingStream, rng } from '../lib/vectors.js';

export const DIM = 384;
export const K = 10;
const SEED = 26;
const VOCABULARY = 5_000;
/** The filtered searches keep bucket < FILTER_BUCKETS: 10% of the documents. */
export const FILTER_BUCKETS = 10;

/** Everything the engines index, held by the build child only. */
export interface Documents {
  readonly n: number;
  /** N × DIM, row-major, each row of unit length. */
  readonly vectors: Float32Array;
  readonly texts: readonly string[];
  readonly years: readonly number[];
}

/** What the query children need: the queries and their exact answers (row numbers). */
export interface Queries {
  readonly vectors: readonly (readonly number[])[];
  readonly texts: readonly string[];
  readonly truthAll: readonly (readonly number[])[];
  readonly truthFiltered: readonly (readonly number[])[];
}

export const bucketOf = (row: number): number => row % 100;

const WORDS = Array.from({ length: VOCABULARY }, (_, r) => {
  const next = rng(r + 2_600_003);
  return Array.from({ length: 3 + Math.floor(next() * 7) }, () => String.fromCharCode(97 + Math.floor(next() * 26))).join('');
});
/** A word of rank r with probability ∝ 1/(r+1) (V^u is log-uniform: Zipf with s = 1). */
const zipfWord = (u: number): string => WORDS[Math.min(VOCABULARY - 1, Math.floor(VOCABULARY ** u) - 1)]!;

function text(row: number): string {
  const next = rng(row * 3 + 1);
  return Array.from({ length: 50 + Math.floor(next() * 21) }, () => zipfWord(next())).join(' ');
}

/** Three words of middling rank (50…2,000): each in a few % of the documents, as real query words are. */
function queryText(q: number): string {
  const next = rng(q + 26_000_777);
  return Array.from({ length: 3 }, () => WORDS[50 + Math.floor(next() * 1_950)]!).join(' ');
}

function unit(v: Float32Array): Float32Array {
  let s = 0;
  for (const x of v) s += x * x;
  const norm = Math.sqrt(s) || 1;
  return v.map((x) => x / norm);
}

/** The exact top-K rows of one query by dot product (rows are unit vectors: cosine). */
function exactTopK(vectors: Float32Array, n: number, q: Float32Array, keep: (row: number) => boolean): number[] {
  const best: { row: number; score: number }[] = [];
  for (let row = 0; row < n; row++) {
    if (!keep(row)) continue;
    let dot = 0;
    const at = row * DIM;
    for (let d = 0; d < DIM; d++) dot += vectors[at + d]! * q[d]!;
    if (best.length === K && dot <= best[K - 1]!.score) continue;
    let i = best.length === K ? K - 1 : best.length;
    while (i > 0 && best[i - 1]!.score < dot) {
      best[i] = best[i - 1]!;
      i--;
    }
    best[i] = { row, score: dot };
  }
  return best.map((b) => b.row);
}

/** Makes the workload into `dir` (documents.f32, documents.json, queries.json). */
export function writeWorkload(dir: string, n: number, queryCount: number): void {
  mkdirSync(dir, { recursive: true });
  const row = embeddingStream(DIM, SEED);
  const queries = Array.from({ length: queryCount }, () => unit(row())); // held out: drawn first
  const vectors = new Float32Array(n * DIM);
  for (let i = 0; i < n; i++) vectors.set(unit(row()), i * DIM);
  const texts = Array.from({ length: n }, (_, i) => text(i));
  const years = Array.from({ length: n }, (_, i) => 1990 + Math.floor(rng(i * 3 + 2)() * 35));
  writeFileSync(join(dir, 'documents.f32'), new Uint8Array(vectors.buffer));
  writeFileSync(join(dir, 'documents.json'), JSON.stringify({ texts, years }));
  const out: Queries = {
    vectors: queries.map((q) => Array.from(q)),
    texts: queries.map((_, q) => queryText(q)),
    truthAll: queries.map((q) => exactTopK(vectors, n, q, () => true)),
    truthFiltered: queries.map((q) => exactTopK(vectors, n, q, (r) => bucketOf(r) < FILTER_BUCKETS)),
  };
  writeFileSync(join(dir, 'queries.json'), JSON.stringify(out));
}

export function readDocuments(dir: string): Documents {
  const bytes = readFileSync(join(dir, 'documents.f32'));
  const vectors = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const { texts, years } = JSON.parse(readFileSync(join(dir, 'documents.json'), 'utf8')) as { texts: string[]; years: number[] };
  return { n: texts.length, vectors, texts, years };
}

export function readQueries(dir: string): Queries {
  return JSON.parse(readFileSync(join(dir, 'queries.json'), 'utf8')) as Queries;
}

/** Row i's vector (a view, not a copy). */
export function rowVector(docs: Documents, i: number): Float32Array {
  return docs.vectors.subarray(i * DIM, (i + 1) * DIM);
}
