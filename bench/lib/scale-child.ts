// The fresh processes of bench/scale.ts, so their RSS figures carry nothing of the build:
//   open   <folder> <queries.json>  open-to-first-search, RSS before/after, search latencies, recall
//   cycles <folder> <queries.json> [n]  n (default 20) × (open storage and collection, one search, close both), RSS after each
// Prints one JSON line on stdout. Run with --expose-gc so RSS is read after a full collection.
import { readFileSync } from 'node:fs';
import { LevelStorage } from '@sochdb/core';
import { Collection, type MetadataFilter } from '@sochdb/vector';
import { latency } from './latency.js';

/** What bench/scale.ts hands over: the queries and the exact answers it computed while building. */
export interface ScaleQueries {
  /** Held-out query vectors (same distribution as the documents). */
  readonly vectors: readonly (readonly number[])[];
  /** Keyword queries, one per vector query (hybrid search pairs them). */
  readonly texts: readonly string[];
  /** Exact top-10 ids of the first `truth.all.length` vectors: unfiltered, bucket < 10, bucket = 7. */
  readonly truth: { readonly all: readonly (readonly string[])[]; readonly b10: readonly (readonly string[])[]; readonly b1: readonly (readonly string[])[] };
}

/** One kind of search's latencies (ms) and, for vector kinds, recall@10 against the exact answers. */
export interface LatencyRow {
  /** What was searched. */
  readonly kind: string;
  /** Median latency, ms. */
  readonly p50: number;
  /** 99th-percentile latency, ms. */
  readonly p99: number;
  /** Recall@10, or null for keyword-only kinds. */
  readonly recall: number | null;
}

/** The `open` phase's report. */
export interface OpenReport {
  /** LevelStorage.open, ms. */
  readonly storageOpenMs: number;
  /** Collection.open, ms. */
  readonly collectionOpenMs: number;
  /** The first vector search after open, ms. */
  readonly firstSearchMs: number;
  /** The first filtered search after that, ms: it fills the filtered field's column from the records (metadata is not kept in memory). */
  readonly firstFilteredMs: number;
  /** RSS before opening anything (modules loaded, after gc), bytes. */
  readonly rssBefore: number;
  /** RSS after the first search answered and a full gc (before any filtered search), bytes. */
  readonly rssAfterSearchGc: number;
  /** RSS after the first filtered search too, bytes (that search reads every record to fill its column). */
  readonly rssAfterOpen: number;
  /** The same after a full gc. */
  readonly rssAfterOpenGc: number;
  /**
   * Of `rssAfterOpenGc` and `rssBefore`, Linux's split (/proc/self/status; null elsewhere): private
   * memory (RssAnon: V8 heap, the native graph, LevelDB's caches, malloc's retained pages) and
   * file pages mapped into the process (RssFile: LevelDB maps its table files, so every page an
   * open reads counts, though the kernel may reclaim it at any time as page cache).
   */
  readonly split: { readonly anonBefore: number; readonly anonAfter: number; readonly fileAfter: number } | null;
  /** V8 heap in use after gc (JS objects: document map, metadata, text, BM25 cache), bytes. */
  readonly heapUsed: number;
  /** Memory outside the V8 heap that V8 knows of (Buffers and ArrayBuffers), bytes. */
  readonly external: number;
  /** Latencies per kind of search. */
  readonly searches: readonly LatencyRow[];
}

/** The `cycles` phase's report: RSS (bytes) after gc, before the first cycle and after each close. */
export interface CyclesReport {
  /** RSS before the first open. */
  readonly start: number;
  /** RSS after each cycle's close. */
  readonly afterClose: readonly number[];
}

const K = 10;
const WARMUP = 10;
const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
const rss = (): number => {
  gc();
  return process.memoryUsage().rss;
};
/** RssAnon and RssFile in bytes (Linux), or null where /proc is not there. */
function rssParts(): { readonly anon: number; readonly file: number } | null {
  let status: string;
  try {
    status = readFileSync('/proc/self/status', 'utf8');
  } catch {
    return null;
  }
  const kb = (field: string): number => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
  const parts = { anon: kb('RssAnon'), file: kb('RssFile') };
  return Number.isNaN(parts.anon) || Number.isNaN(parts.file) ? null : parts;
}
const ms = (from: bigint): number => Number(process.hrtime.bigint() - from) / 1e6;
const REF = { namespace: 'bench', name: 'docs' } as const;

async function latencies(kind: string, n: number, fn: (i: number) => Promise<unknown>): Promise<LatencyRow> {
  return { kind, ...(await latency(n, fn, WARMUP)), recall: null };
}

async function recall(coll: Collection, q: ScaleQueries, truth: readonly (readonly string[])[], filter?: MetadataFilter): Promise<number> {
  let hits = 0;
  for (const [i, expected] of truth.entries()) {
    const found = await coll.vectorSearch(q.vectors[i]!, K, filter ? { filter } : {});
    hits += found.filter((r) => expected.includes(r.id)).length;
  }
  return hits / (truth.length * K);
}

async function openPhase(folder: string, q: ScaleQueries): Promise<OpenReport> {
  const rssBefore = rss();
  const before = rssParts();
  const t0 = process.hrtime.bigint();
  const storage = await LevelStorage.open(folder, { syncMode: 'off' });
  const storageOpenMs = ms(t0);
  const t1 = process.hrtime.bigint();
  const coll = await Collection.open(storage, REF);
  const collectionOpenMs = ms(t1);
  const t2 = process.hrtime.bigint();
  await coll.vectorSearch(q.vectors[0]!, K);
  const firstSearchMs = ms(t2);
  const rssAfterSearchGc = rss();
  const t3 = process.hrtime.bigint();
  await coll.vectorSearch(q.vectors[1]!, K, { filter: { bucket: { $lt: 10 } } });
  const firstFilteredMs = ms(t3);
  const rssAfterOpen = process.memoryUsage().rss;
  const rssAfterOpenGc = rss();
  const after = rssParts();
  const split = before && after && { anonBefore: before.anon, anonAfter: after.anon, fileAfter: after.file };
  const { heapUsed, external } = process.memoryUsage();
  const n = q.vectors.length;
  const vec = (i: number) => q.vectors[i % n]!;
  const rows = [
    { ...(await latencies('vector k=10', n, (i) => coll.vectorSearch(vec(i), K))), recall: await recall(coll, q, q.truth.all) },
    {
      ...(await latencies('vector + filter bucket < 10 (10%)', n, (i) => coll.vectorSearch(vec(i), K, { filter: { bucket: { $lt: 10 } } }))),
      recall: await recall(coll, q, q.truth.b10, { bucket: { $lt: 10 } }),
    },
    {
      ...(await latencies('vector + filter bucket = 7 (1%)', n, (i) => coll.vectorSearch(vec(i), K, { filter: { bucket: 7 } }))),
      recall: await recall(coll, q, q.truth.b1, { bucket: 7 }),
    },
    await latencies('keyword (BM25, 3 words)', n, (i) => coll.keywordSearch(q.texts[i % n]!, K)),
    await latencies('hybrid (vector + 3 words)', n, (i) => coll.hybridSearch(vec(i), q.texts[i % n]!, K)),
  ];
  await coll.close();
  await storage.close();
  return {
    storageOpenMs,
    collectionOpenMs,
    firstSearchMs,
    firstFilteredMs,
    rssBefore,
    rssAfterSearchGc,
    rssAfterOpen,
    rssAfterOpenGc,
    split,
    heapUsed,
    external,
    searches: rows,
  };
}

async function cyclesPhase(folder: string, q: ScaleQueries, cycles: number): Promise<CyclesReport> {
  const start = rss();
  const afterClose: number[] = [];
  for (let i = 0; i < cycles; i++) {
    const storage = await LevelStorage.open(folder, { syncMode: 'off' });
    const coll = await Collection.open(storage, REF);
    await coll.vectorSearch(q.vectors[i % q.vectors.length]!, K);
    await coll.close();
    await storage.close();
    // V8 frees dead ArrayBuffers' memory on a background task after the gc that finds them (at
    // 1M documents it took ~0.4 s): read RSS once V8 reports them freed (at most 5 s), or a
    // closed collection's BM25 arrays still count.
    for (let waited = 0; waited < 5000 && process.memoryUsage().arrayBuffers > 16 * 2 ** 20; waited += 100) {
      gc();
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    afterClose.push(rss());
  }
  return { start, afterClose };
}

const [phase, folder, queriesFile, cycles] = process.argv.slice(2) as [string, string, string, string | undefined];
const queries = JSON.parse(readFileSync(queriesFile, 'utf8')) as ScaleQueries;
const report = phase === 'open' ? await openPhase(folder, queries) : await cyclesPhase(folder, queries, Number(cycles ?? 20));
process.stdout.write(`${JSON.stringify(report)}\n`);
