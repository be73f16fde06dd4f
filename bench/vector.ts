// @sochdb/vector: raw hnswlib-node vs our VectorIndex vs our Collection (LevelDB) on the same data.
// Build rate, QPS and recall@10 at efSearch 64/128 on 10k×768 and 100k×128, then filtered search,
// BM25 and hybrid search on a 10k-document collection. `BENCH_QUICK=1` shrinks every size.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import hnswlib from 'hnswlib-node';
import { LevelStorage } from '@sochdb/core';
import { Bm25Index, Collection, VectorIndex } from '@sochdb/vector';
import { formatRate, opsPerSecond, percent, printTable, size } from './lib/table.js';
import { dataset, groundTruth, rng } from './lib/vectors.js';
import { latency, type Latency } from './lib/latency.js';

const { HierarchicalNSW } = hnswlib;
const M = 16;
const EF_CONSTRUCTION = 100;
const K = 10;
const QUERIES = size(200, 50);
/** Builds per dataset; each engine's best counts. */
const BUILD_ROUNDS = size(2, 1);

function progress(label: string, total: number): (done: number) => void {
  let shown = -1;
  const start = Date.now();
  return (done) => {
    const tenth = Math.floor((done / total) * 10);
    if (tenth > shown && total >= 5000) {
      shown = tenth;
      process.stderr.write(`  ${label}: ${tenth * 10}% (${formatRate(done / ((Date.now() - start) / 1000 || 1e-3))} vec/s)\n`);
    }
  };
}

interface Engine {
  readonly name: string;
  /** Adds rows [from, from + rows.length). */
  add(rows: readonly Float32Array[], from: number): Promise<void>;
  /** Finishes any work `add` left running in the background (timed as part of the build). */
  settle?(): Promise<void>;
  search(q: Float32Array, ef: number, filter?: number): Promise<number[]>;
}

function rawEngine(dim: number, n: number): Engine {
  const index = new HierarchicalNSW('cosine', dim);
  index.initIndex({ maxElements: n, m: M, efConstruction: EF_CONSTRUCTION, randomSeed: 100 });
  return {
    name: 'hnswlib-node (raw)',
    async add(rows, from) {
      rows.forEach((v, i) => index.addPoint(Array.from(v), from + i));
    },
    async search(q, ef, bucketsBelow) {
      index.setEf(ef);
      const query = Array.from(q);
      return (bucketsBelow === undefined ? index.searchKnn(query, K) : index.searchKnn(query, K, (label) => label % 100 < bucketsBelow)).neighbors;
    },
  };
}

function indexEngine(dim: number, n: number): Engine {
  const index = new VectorIndex({ dimension: dim, metric: 'cosine', m: M, efConstruction: EF_CONSTRUCTION, capacity: n });
  return {
    name: 'VectorIndex',
    async add(rows, from) {
      index.insertBatch(
        rows.map((_, j) => String(from + j)),
        rows,
      );
    },
    async search(q, ef) {
      return index.search(q, K, { efSearch: ef }).map((r) => Number(r.id));
    },
  };
}

/**
 * `texts[i]` is document i's content, generated before the build: making the text (~7 µs a
 * document) is the harness's work, not the engine's, so it stays out of the timed region.
 */
async function collectionEngine(
  dim: number,
  dir: string,
  texts: readonly string[],
  round: number,
): Promise<Engine & { collection: Collection; close(): Promise<void> }> {
  const storage = await LevelStorage.open(join(dir, `db-${dim}-${round}`), { syncMode: 'off' });
  const collection = await Collection.create(storage, {
    namespace: 'bench',
    name: 'docs',
    dimension: dim,
    metric: 'cosine',
    m: M,
    efConstruction: EF_CONSTRUCTION,
  });
  return {
    name: 'Collection (LevelDB)',
    collection,
    async add(rows, from) {
      await collection.insertBatch({
        vectors: rows,
        ids: rows.map((_, j) => String(from + j)),
        metadatas: rows.map((_, j) => ({ bucket: (from + j) % 100 })),
        contents: texts.slice(from, from + rows.length),
      });
    },
    async search(q, ef, bucketsBelow) {
      const filter = bucketsBelow === undefined ? undefined : { bucket: { $lt: bucketsBelow } };
      return (await collection.search({ vector: q, k: K, efSearch: ef, ...(filter ? { filter } : {}) })).map((r) => Number(r.id));
    },
    // The collection inserts a write's vectors into the graph in the background while the next
    // write commits; a search first inserts whatever is still queued, so it ends the build.
    async settle() {
      await collection.vectorSearch(new Float32Array(dim).fill(1), 1);
    },
    close: () => storage.close(),
  };
}

/** Builds every engine chunk by chunk, interleaved, so CPU noise from other processes hits all alike. */
async function buildInterleaved(engines: readonly Engine[], data: readonly Float32Array[], label: string): Promise<number[]> {
  const seconds = engines.map(() => 0);
  const tick = progress(label, data.length);
  for (let from = 0; from < data.length; from += 1000) {
    const rows = data.slice(from, from + 1000);
    for (const [i, engine] of engines.entries()) {
      const t = process.hrtime.bigint();
      await engine.add(rows, from);
      seconds[i]! += Number(process.hrtime.bigint() - t) / 1e9;
    }
    tick(from + rows.length);
  }
  for (const [i, engine] of engines.entries()) {
    const t = process.hrtime.bigint();
    await engine.settle?.();
    seconds[i]! += Number(process.hrtime.bigint() - t) / 1e9;
  }
  return seconds.map((s) => data.length / s);
}

// A Zipf-ish vocabulary of 5,000 words, ~60 words per document.
const VOCAB = Array.from({ length: 5000 }, (_, i) => `w${i.toString(36)}`);
function text(i: number): string {
  const next = rng(i + 17);
  return Array.from({ length: 40 + Math.floor(next() * 40) }, () => VOCAB[Math.floor(VOCAB.length * next() ** 3)]!).join(' ');
}

/** Recall per engine, and QPS measured in interleaved rounds (best round counts, to damp noise). */
async function measureAll(engines: readonly Engine[], queries: readonly Float32Array[], truth: readonly Set<number>[], ef: number, bucketsBelow?: number) {
  const recall: number[] = [];
  for (const engine of engines) {
    let hits = 0;
    for (let i = 0; i < queries.length; i++) hits += (await engine.search(queries[i]!, ef, bucketsBelow)).filter((id) => truth[i]!.has(id)).length;
    recall.push(hits / (queries.length * K));
  }
  const qps = engines.map(() => 0);
  for (let round = 0; round < size(5, 2); round++) {
    for (const [i, engine] of engines.entries()) {
      const rate = await opsPerSecond(queries.length, async () => {
        for (const q of queries) await engine.search(q, ef, bucketsBelow);
      });
      qps[i] = Math.max(qps[i]!, rate);
    }
  }
  return { qps, recall };
}

/** p50/p99 of `n` sequential calls, without warm-up (the callers warm up themselves). */
const latencies = (n: number, fn: (i: number) => Promise<unknown>): Promise<Latency> => latency(n, fn, 0);

export default async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'sochdb-bench-vector-'));
  try {
    const rows: string[][] = [];
    const roundRows: string[][] = [];
    const filteredRows: string[][] = [];
    let searchCollection: Awaited<ReturnType<typeof collectionEngine>> | undefined;
    for (const [n, dim] of [
      [size(10_000, 2_000), 768],
      [size(100_000, 5_000), 128],
    ] as const) {
      const { data, queries } = dataset(n, dim, dim, QUERIES);
      const truth = groundTruth(data, queries, K);
      const texts = Array.from({ length: n }, (_, i) => text(i));
      // Each round builds all three engines afresh; each engine's best round counts (as QPS counts
      // its best round): a build of a few seconds is otherwise at the mercy of one burst of noise.
      let builds = [0, 0, 0];
      let built: { raw: Engine; ours: Engine; coll: Awaited<ReturnType<typeof collectionEngine>> } | undefined;
      for (let round = 0; round < BUILD_ROUNDS; round++) {
        await built?.coll.close();
        built = { raw: rawEngine(dim, n), ours: indexEngine(dim, n), coll: await collectionEngine(dim, dir, texts, round) };
        const label = `raw + VectorIndex + Collection ${n}×${dim}, build ${round + 1} of ${BUILD_ROUNDS}`;
        const rates = await buildInterleaved([built.raw, built.ours, built.coll], data, label);
        builds = builds.map((best, i) => Math.max(best, rates[i]!));
        roundRows.push([`${formatRate(n)}×${dim}`, String(round + 1), percent(rates[1]!, rates[0]!), percent(rates[2]!, rates[0]!)]);
      }
      const { raw, ours, coll } = built!;
      const engines = [raw, ours, coll];
      const rawBuild = builds[0]!;
      const e64 = await measureAll(engines, queries, truth, 64);
      const e128 = await measureAll(engines, queries, truth, 128);
      engines.forEach((engine, i) => {
        rows.push([
          `${formatRate(n)}×${dim}`,
          engine.name,
          formatRate(builds[i]!),
          percent(builds[i]!, rawBuild),
          formatRate(e64.qps[i]!),
          e64.recall[i]!.toFixed(3),
          percent(e64.qps[i]!, e64.qps[0]!),
          formatRate(e128.qps[i]!),
          e128.recall[i]!.toFixed(3),
          percent(e128.qps[i]!, e128.qps[0]!),
        ]);
      });
      // Filtered search (10% and 1% of documents), raw hnswlib with a filter callback vs the Collection.
      for (const below of [10, 1]) {
        const filteredTruth = groundTruth(data, queries, K, (i) => i % 100 < below);
        const f = await measureAll([raw, coll], queries, filteredTruth, 64, below);
        filteredRows.push([
          `${formatRate(n)}×${dim}`,
          `bucket < ${below} (${below}%)`,
          formatRate(f.qps[0]!),
          f.recall[0]!.toFixed(3),
          formatRate(f.qps[1]!),
          f.recall[1]!.toFixed(3),
          percent(f.qps[1]!, f.qps[0]!),
        ]);
      }
      if (dim === 768) searchCollection = coll;
      else await coll.close();
    }
    printTable(['data', 'engine', 'build vec/s', 'vs raw', 'QPS ef64', 'recall ef64', 'vs raw', 'QPS ef128', 'recall ef128', 'vs raw'], rows);
    console.log('');
    // Round 1 runs in a cold process (JIT warming up, the text worker starting); later rounds do not.
    printTable(['data', 'build round', 'VectorIndex vs raw', 'Collection vs raw'], roundRows);
    console.log('');
    printTable(['data', 'filter', 'raw QPS', 'raw recall', 'Collection QPS', 'Collection recall', 'vs raw'], filteredRows);

    // BM25 and hybrid on the 10k×768 collection (documents carry ~60 words of Zipf-distributed text).
    const { collection } = searchCollection!;
    const textQueries = Array.from({ length: 500 }, (_, i) => `${VOCAB[i % 50]} ${VOCAB[(i * 7) % 400]} ${VOCAB[(i * 13) % 2000]}`);
    const bm = new Bm25Index();
    for (let i = 0; i < (await collection.count()); i++) bm.add(String(i), text(i));
    const bmQps = await opsPerSecond(textQueries.length, async () => {
      for (const t of textQueries) bm.search(t, K);
    });
    const collQps = await opsPerSecond(textQueries.length, async () => {
      for (const t of textQueries) await collection.keywordSearch(t, K);
    });
    const hybrid = await latencies(QUERIES, (i) => collection.hybridSearch(datasetQuery(i), textQueries[i]!, K));
    console.log('');
    printTable(
      ['keyword / hybrid', 'QPS', 'notes'],
      [
        [`Bm25Index.search (${formatRate(await collection.count())} docs, 3-word queries)`, formatRate(bmQps), 'in-memory scorer alone'],
        ['Collection.keywordSearch (same)', formatRate(collQps), 'target ≥ 1.0k; results with metadata and content'],
        ['Collection.hybridSearch (768-d vector + 3 words)', formatRate(1000 / hybrid.p50), `p50 ${hybrid.p50.toFixed(2)} ms, p99 ${hybrid.p99.toFixed(2)} ms`],
      ],
    );
    await searchCollection!.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const hybridQueries = dataset(0, 768, 4242, QUERIES).queries;
function datasetQuery(i: number): Float32Array {
  return hybridQueries[i % hybridQueries.length]!;
}
