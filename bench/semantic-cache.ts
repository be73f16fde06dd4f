// @sochdb/context's SemanticCache (HNSW on LevelDB) beside a linear scan over the same vectors
// (the "raw" comparison: what a cache without an index does), in the same run.
// `npx tsx bench/run.ts semantic-cache` (opt-in). SEMCACHE_ENTRIES sets the number of entries
// (default 100,000); BENCH_QUICK=1 uses 5,000. Entries are random unit vectors of 384 dimensions
// with a ~100-byte JSON value each, put one at a time (each put is one transaction). Hits are
// stored vectors with noise (cosine ≈ 0.95), misses fresh random vectors (cosine < 0.3 with
// every entry); the threshold is 0.9.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LevelStorage } from '@sochdb/core';
// @sochdb/context is not built into the workspace's node_modules yet: load it from source.
import { SemanticCache } from '../packages/context/src/semantic-cache/index.js';
import { latency, type Latency } from './lib/latency.js';
import { formatRate, printTable, size } from './lib/table.js';
import { rng } from './lib/vectors.js';

const DIM = 384;
const THRESHOLD = 0.9;
/** Timed lookups per kind (hit, miss) for the cache; the scan costs ~N × DIM per lookup, so fewer. */
const LOOKUPS = size(1_000, 200);
const SCAN_LOOKUPS = size(100, 50);
/** The lookups' HNSW candidate list sizes measured (the cache's default is 256). */
const EF_SEARCHES = [64, 128, 256];

function entriesWanted(): number {
  const raw = process.env.SEMCACHE_ENTRIES;
  if (raw === undefined || raw === '') return size(100_000, 5_000);
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`SEMCACHE_ENTRIES must be a positive integer, got '${raw}'`);
  return n;
}

/** Random unit vectors (gaussian components, normalised), seeded: the same data in every run. */
function unitVectors(n: number, seed: number): Float32Array[] {
  const next = rng(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(Math.max(next(), 1e-12))) * Math.cos(2 * Math.PI * next());
  return Array.from({ length: n }, () => normalised(Float32Array.from({ length: DIM }, gauss)));
}

function normalised(v: Float32Array): Float32Array {
  let norm = 0;
  for (const x of v) norm += x * x;
  norm = Math.sqrt(norm);
  for (let i = 0; i < v.length; i++) v[i] = v[i]! / norm;
  return v;
}

/** `v` plus noise, normalised: cosine with `v` ≈ 1 / sqrt(1 + 0.33²) ≈ 0.95. */
function perturbed(v: Float32Array, noise: Float32Array): Float32Array {
  return normalised(Float32Array.from(v, (x, i) => x + 0.33 * noise[i]!));
}

/** The linear scan: every stored vector's dot product (= cosine: all are unit) with the query. */
function scan(matrix: Float32Array, n: number, q: Float32Array): { index: number; score: number } | null {
  let best = -Infinity;
  let index = -1;
  for (let row = 0, offset = 0; row < n; row++, offset += DIM) {
    let dot = 0;
    for (let d = 0; d < DIM; d++) dot += matrix[offset + d]! * q[d]!;
    if (dot > best) {
      best = dot;
      index = row;
    }
  }
  return best >= THRESHOLD ? { index, score: best } : null;
}

const ms = (x: number) => (x < 1 ? x.toFixed(3) : x.toFixed(2));

function row(engine: string, n: number, hit: Latency, miss: Latency, answered: string): string[] {
  return [engine, n.toLocaleString('en-US'), ms(hit.p50), ms(hit.p99), ms(miss.p50), ms(miss.p99), answered];
}

export default async function run(): Promise<void> {
  const n = entriesWanted();
  const vectors = unitVectors(n, 7);
  const hitQueries = unitVectors(LOOKUPS + 10, 11).map((noise, i) => perturbed(vectors[(i * 7919) % n]!, noise));
  const hitOwners = hitQueries.map((_, i) => (i * 7919) % n);
  const missQueries = unitVectors(LOOKUPS + 10, 13);
  const matrix = new Float32Array(n * DIM);
  vectors.forEach((v, i) => matrix.set(v, i * DIM));

  const dir = mkdtempSync(join(tmpdir(), 'sochdb-bench-semcache-'));
  try {
    let storage = await LevelStorage.open(join(dir, 'db'), { syncMode: 'off' });
    let cache = new SemanticCache(storage, { namespace: 'bench', name: 'answers', dimension: DIM, threshold: THRESHOLD });
    const value = (i: number) => ({ answer: `cached answer number ${i}`, model: 'bench-model', tokens: 42 + (i % 100), at: '2026-12-07' });
    const started = performance.now();
    let shown = 0;
    for (let i = 0; i < n; i++) {
      await cache.put(`q${i}`, value(i), vectors[i]!);
      if (n >= 10_000 && i + 1 >= shown + n / 10) {
        shown = i + 1;
        process.stderr.write(`  put ${shown}/${n} (${formatRate(shown / ((performance.now() - started) / 1000))}/s)\n`);
      }
    }
    const putSeconds = (performance.now() - started) / 1000;
    await cache.close(); // saves the graph
    await storage.close();

    // Reopen: the first lookup opens the collection (loads the saved graph). One cache object per
    // efSearch (each opens its own collection), closed before the next.
    storage = await LevelStorage.open(join(dir, 'db'), { syncMode: 'off' });
    const rows: string[][] = [];
    let openMs = 0;
    let stats = '';
    let firstHitP50 = 0;
    for (const efSearch of EF_SEARCHES) {
      cache = new SemanticCache(storage, { namespace: 'bench', name: 'answers', dimension: DIM, threshold: THRESHOLD, efSearch });
      const openStart = performance.now();
      await cache.get(missQueries[0]!);
      openMs ||= performance.now() - openStart;
      let found = 0;
      const hit = await latency(LOOKUPS, async (i) => {
        const answer = await cache.get(hitQueries[i % hitQueries.length]!);
        if (i < LOOKUPS && answer?.key === `q${hitOwners[i]}`) found++;
      });
      let falseHits = 0;
      const miss = await latency(LOOKUPS, async (i) => {
        if ((await cache.get(missQueries[i % missQueries.length]!)) !== null && i < LOOKUPS) falseHits++;
      });
      firstHitP50 ||= hit.p50;
      rows.push(row(`SemanticCache (HNSW efSearch ${efSearch}, LevelDB)`, n, hit, miss, `${found}/${LOOKUPS}, ${falseHits} false hits`));
      stats = JSON.stringify(await cache.stats());
      await cache.close();
    }
    await storage.close();
    let scanFound = 0;
    const scanHit = await latency(
      SCAN_LOOKUPS,
      async (i) => {
        if (i < SCAN_LOOKUPS && scan(matrix, n, hitQueries[i]!)?.index === hitOwners[i]) scanFound++;
      },
      3,
    );
    const scanMiss = await latency(SCAN_LOOKUPS, async (i) => void scan(matrix, n, missQueries[i % missQueries.length]!), 3);
    rows.push(row('linear scan (raw Float32Array)', n, scanHit, scanMiss, `${scanFound}/${SCAN_LOOKUPS}`));
    printTable(['engine', 'entries', 'hit p50 ms', 'hit p99 ms', 'miss p50 ms', 'miss p99 ms', 'hits found'], rows);
    console.log(
      `\nputs: ${formatRate(n / putSeconds)}/s one at a time (${putSeconds.toFixed(1)} s); reopen → first lookup: ${openMs.toFixed(0)} ms; ` +
        `scan p50 / cache p50 (efSearch ${EF_SEARCHES[0]}): ${(scanHit.p50 / firstHitP50).toFixed(0)}×; last cache's stats: ${stats}`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
