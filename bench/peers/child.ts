// One engine's phase of the peer bench, in a fresh process so no engine's memory or caches touch
// another's figures:
//   build <engine> <workload dir> <folder>   builds; prints { buildMs }
//   query <engine> <workload dir> <folder>   opens, answers every query once per kind; prints a QueryReport
import type { OpenPeer, PeerEngine } from './engine.js';
import { K, readDocuments, readQueries, type Queries } from './workload.js';

export type EngineName = 'sochdb' | 'hnswlib' | 'lancedb' | 'sqlite-vec';
export type SearchKind = 'vector' | 'filtered' | 'keyword' | 'hybrid';

/** One pass over the queries of one kind. */
export interface KindReport {
  readonly qps: number;
  /** Recall@10 against the exact answers (vector and filtered only). */
  readonly recall: number | null;
}

export interface QueryReport {
  /** Open, then the first vector search answered, ms. */
  readonly openMs: number;
  /** RSS after the open and first search, after a gc, bytes. */
  readonly rss: number;
  readonly kinds: Partial<Record<SearchKind, KindReport>>;
}

async function engine(name: EngineName): Promise<PeerEngine> {
  switch (name) {
    case 'sochdb':
      return (await import('./sochdb.js')).sochdb;
    case 'hnswlib':
      return (await import('./hnswlib.js')).rawHnswlib;
    case 'lancedb':
      return (await import('./lancedb.js')).lanceDb;
    case 'sqlite-vec':
      return (await import('./sqlite-vec.js')).sqliteVec;
  }
}

const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
const WARMUP = 20;

async function pass(q: Queries, search: (i: number) => Promise<readonly number[]>, truth?: readonly (readonly number[])[]): Promise<KindReport> {
  for (let i = 0; i < WARMUP; i++) await search(i % q.texts.length);
  let hits = 0;
  const start = process.hrtime.bigint();
  const answers: (readonly number[])[] = [];
  for (let i = 0; i < q.texts.length; i++) answers.push(await search(i));
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (truth) answers.forEach((found, i) => (hits += found.filter((row) => truth[i]!.includes(row)).length));
  return { qps: q.texts.length / seconds, recall: truth ? hits / (truth.length * K) : null };
}

async function query(peer: PeerEngine, workload: string, folder: string): Promise<QueryReport> {
  const q = readQueries(workload);
  const vectors = q.vectors.map((v) => Float32Array.from(v));
  gc();
  const start = process.hrtime.bigint();
  const opened: OpenPeer = await peer.open(folder);
  await opened.vector(vectors[0]!, K);
  const openMs = Number(process.hrtime.bigint() - start) / 1e6;
  gc();
  const rss = process.memoryUsage().rss;
  const kinds: Partial<Record<SearchKind, KindReport>> = {
    vector: await pass(q, (i) => opened.vector(vectors[i]!, K), q.truthAll),
    filtered: await pass(q, (i) => opened.filtered(vectors[i]!, K), q.truthFiltered),
  };
  const { keyword, hybrid } = opened;
  if (keyword) kinds.keyword = await pass(q, (i) => keyword(q.texts[i]!, K));
  if (hybrid) kinds.hybrid = await pass(q, (i) => hybrid(vectors[i]!, q.texts[i]!, K));
  await opened.close();
  return { openMs, rss, kinds };
}

const [phase, name, workload, folder] = process.argv.slice(2) as ['build' | 'query', EngineName, string, string];
const peer = await engine(name);
if (phase === 'build') {
  const docs = readDocuments(workload);
  gc();
  const start = process.hrtime.bigint();
  await peer.build(docs, folder);
  console.log(JSON.stringify({ buildMs: Number(process.hrtime.bigint() - start) / 1e6 }));
} else {
  console.log(JSON.stringify(await query(peer, workload, folder)));
}
