// Issue 25, scale on one machine: N documents × 384-d embedding-like vectors, ~1 KB of Zipf text
// and 5 metadata fields each, in a Collection on LevelDB. Build time beside raw hnswlib-node (same
// vectors, M and efConstruction, built interleaved in the same process), folder size and what each
// part costs per document; then, each in a fresh child process (bench/lib/scale-child.ts) so the
// build does not pollute RSS: open-to-first-search and RSS after open against the targets,
// search p50/p99 and recall@10, and RSS across 20 open/close cycles (SCALE_CYCLES=n for another
// count: at 1M each cycle is a full open). Not in CI, opt-in by name:
// `SCALE_DOCS=1000000 npx tsx bench/run.ts scale` (default 1M; BENCH_QUICK=1 → 5k). SCALE_KEEP=1
// keeps the folder and the queries file and prints where, to re-run a child phase by hand:
// `node --expose-gc --import tsx bench/lib/scale-child.ts open <folder> <queries.json>`.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import hnswlib from 'hnswlib-node';
import { keyRange, LevelStorage } from '@sochdb/core';
import { waitForExit } from '@sochdb/core/testing';
import { Collection, type Metadata } from '@sochdb/vector';
import type { CyclesReport, OpenReport, ScaleQueries } from './lib/scale-child.js';
import { formatRate, percent, printTable, QUICK } from './lib/table.js';
import { embeddingStream, rng } from './lib/vectors.js';

const N = QUICK ? 5_000 : Number(process.env.SCALE_DOCS ?? 1_000_000);
const DIM = 384;
const M = 16;
const EF_CONSTRUCTION = 100;
const SEED = 25;
const BATCH = 1_000;
const QUERIES = 200;
/** Queries whose exact top-10 is computed during the build (recall's truth). */
const TRUTH_QUERIES = 50;
const K = 10;
const CYCLES = Number(process.env.SCALE_CYCLES ?? 20);

// ── data: a Zipf vocabulary of 20,000 pseudo-words, ~1 KB of text and 5 metadata fields a document ──

const VOCAB = Array.from({ length: 20_000 }, (_, r) => {
  const next = rng(r + 1_000_003);
  return Array.from({ length: 3 + Math.floor(next() * 8) }, () => String.fromCharCode(97 + Math.floor(next() * 26))).join('');
});
/** A word of rank r with probability ∝ 1/(r+1): V^u is log-uniform, which is Zipf with s = 1. */
const zipfWord = (u: number): string => VOCAB[Math.min(VOCAB.length - 1, Math.floor(VOCAB.length ** u) - 1)]!;

function text(i: number): string {
  const next = rng(i * 2 + 1);
  const target = 900 + Math.floor(next() * 200);
  const words: string[] = [];
  let length = 0;
  while (length < target) {
    const w = zipfWord(next());
    words.push(w);
    length += w.length + 1;
  }
  return words.join(' ');
}

const LANGS = ['en', 'de', 'fr', 'es', 'ja'] as const;
function metadata(i: number): Metadata {
  const next = rng(i * 2 + 2);
  return {
    bucket: i % 100,
    year: 1990 + Math.floor(next() * 35),
    lang: LANGS[Math.floor(next() * 5)]!,
    score: Math.round(next() * 1000) / 1000,
    flag: next() < 0.5,
  };
}

/** Keyword queries: 3 words of middling rank (100..5,000), each in a few % of the documents. */
const keywordQuery = (i: number): string => {
  const next = rng(i + 777);
  return Array.from({ length: 3 }, () => VOCAB[100 + Math.floor(next() * 4_900)]!).join(' ');
};

// ── exact top-10 of a few queries, kept while the rows stream by ──

/** The best K (cosine similarity, id) of one query; `offer` keeps it sorted, best first. */
class TopK {
  readonly ids: number[] = [];
  readonly scores: number[] = [];
  offer(score: number, id: number): void {
    if (this.ids.length === K && score <= this.scores[K - 1]!) return;
    let at = this.ids.length === K ? K - 1 : this.ids.length;
    while (at > 0 && this.scores[at - 1]! < score) {
      this.scores[at] = this.scores[at - 1]!;
      this.ids[at] = this.ids[at - 1]!;
      at--;
    }
    this.scores[at] = score;
    this.ids[at] = id;
  }
}

function unit(v: Float32Array): Float32Array {
  const norm = Math.sqrt(v.reduce((s, x) => s + x * x, 0)) || 1;
  return v.map((x) => x / norm);
}

// ── measuring ──

function folderBytes(path: string): number {
  return readdirSync(path, { withFileTypes: true }).reduce(
    (sum, e) => sum + (e.isDirectory() ? folderBytes(join(path, e.name)) : statSync(join(path, e.name)).size),
    0,
  );
}

/** Logical bytes (key + value, before LevelDB's compression) of each kind of the collection's records. */
async function recordBytes(folder: string): Promise<Record<'v' | 'm' | 't' | 'q' | 's' | 'g', number>> {
  const storage = await LevelStorage.open(folder, { syncMode: 'off' });
  try {
    const out = { v: 0, m: 0, t: 0, q: 0, s: 0, g: 0 };
    for (const kind of ['v', 'm', 't', 'q', 's', 'g'] as const) {
      for await (const [key, value] of storage.iterator(keyRange(['vec', 'bench', 'd', 'docs', kind]))) out[kind] += key.length + value.length;
    }
    return out;
  } finally {
    await storage.close();
  }
}

async function child<T>(phase: 'open' | 'cycles', folder: string, queriesFile: string, ...args: string[]): Promise<T> {
  const tsx = createRequire(import.meta.url).resolve('tsx');
  const proc = spawn(
    process.execPath,
    ['--expose-gc', '--import', tsx, join(import.meta.dirname, 'lib', 'scale-child.ts'), phase, folder, queriesFile, ...args],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const { code, stdout } = await waitForExit(proc);
  if (code !== 0) throw new Error(`bench: the ${phase} child exited with ${code}`);
  return JSON.parse(stdout.trim().split('\n').pop()!) as T;
}

const mb = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(1)} MB`;
const perDoc = (bytes: number): string => `${Math.round(bytes / N).toLocaleString('en-US')} B`;
const sec = (ms: number): string => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);

export default async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'sochdb-bench-scale-'));
  const folder = join(dir, 'db');
  try {
    console.log(`${formatRate(N)} documents × ${DIM}-d (embedding-like), ~1 KB text, 5 metadata fields; M ${M}, efConstruction ${EF_CONSTRUCTION}\n`);
    const row = embeddingStream(DIM, SEED);
    const queryVectors = Array.from({ length: QUERIES }, row); // held out: drawn before the documents
    const truthQueries = queryVectors.slice(0, TRUTH_QUERIES).map(unit);
    const truth = { all: truthQueries.map(() => new TopK()), b10: truthQueries.map(() => new TopK()), b1: truthQueries.map(() => new TopK()) };

    const storage = await LevelStorage.open(folder, { syncMode: 'off' });
    const coll = await Collection.create(storage, {
      namespace: 'bench',
      name: 'docs',
      dimension: DIM,
      metric: 'cosine',
      m: M,
      efConstruction: EF_CONSTRUCTION,
    });
    const raw = new hnswlib.HierarchicalNSW('cosine', DIM);
    raw.initIndex({ maxElements: N, m: M, efConstruction: EF_CONSTRUCTION, randomSeed: 100 });
    let collSeconds = 0;
    let rawSeconds = 0;
    let textBytes = 0;
    let shown = 0;
    const started = Date.now();
    for (let from = 0; from < N; from += BATCH) {
      // Making the data and the exact answers is the harness's work: outside the timed regions.
      const rows = Array.from({ length: Math.min(BATCH, N - from) }, row);
      const ids = rows.map((_, j) => String(from + j));
      const contents = rows.map((_, j) => text(from + j));
      textBytes += contents.reduce((s, c) => s + c.length, 0);
      for (const [j, v] of rows.entries()) {
        const u = unit(v);
        const bucket = (from + j) % 100;
        for (const [qi, q] of truthQueries.entries()) {
          let dot = 0;
          for (let d = 0; d < DIM; d++) dot += q[d]! * u[d]!;
          truth.all[qi]!.offer(dot, from + j);
          if (bucket < 10) truth.b10[qi]!.offer(dot, from + j);
          if (bucket === 7) truth.b1[qi]!.offer(dot, from + j);
        }
      }
      const batch = { vectors: rows, ids, metadatas: ids.map((_, j) => metadata(from + j)), contents };
      let t = process.hrtime.bigint();
      await coll.insertBatch(batch);
      collSeconds += Number(process.hrtime.bigint() - t) / 1e9;
      t = process.hrtime.bigint();
      for (const [j, v] of rows.entries()) raw.addPoint(Array.from(v), from + j);
      rawSeconds += Number(process.hrtime.bigint() - t) / 1e9;
      const tenth = Math.floor(((from + rows.length) / N) * 10);
      if (tenth > shown) {
        shown = tenth;
        process.stderr.write(`  build: ${tenth * 10}% after ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
      }
    }
    // The collection inserts a write's vectors into the graph in the background; a search first
    // inserts whatever is still queued, so it ends the build.
    let t = process.hrtime.bigint();
    await coll.vectorSearch(queryVectors[0]!, 1);
    collSeconds += Number(process.hrtime.bigint() - t) / 1e9;
    t = process.hrtime.bigint();
    await coll.close(); // saves the graph
    const saveMs = Number(process.hrtime.bigint() - t) / 1e6;
    await storage.close();
    const rawFile = join(dir, 'raw.hnsw');
    raw.writeIndexSync(rawFile);
    const rawGraphBytes = statSync(rawFile).size;
    rmSync(rawFile);

    const diskBytes = folderBytes(folder);
    const graphFiles = join(folder, 'sochdb-graphs');
    const graphFileBytes = existsSync(graphFiles) ? folderBytes(graphFiles) : 0;
    const records = await recordBytes(folder);
    const vectorBytes = N * DIM * 4;
    const queriesFile = join(dir, 'queries.json');
    const handover: ScaleQueries = {
      vectors: queryVectors.map((v) => Array.from(v)),
      texts: queryVectors.map((_, i) => keywordQuery(i)),
      truth: { all: truth.all.map((k) => k.ids.map(String)), b10: truth.b10.map((k) => k.ids.map(String)), b1: truth.b1.map((k) => k.ids.map(String)) },
    };
    writeFileSync(queriesFile, JSON.stringify(handover));
    const open = await child<OpenReport>('open', folder, queriesFile);
    const cycles = await child<CyclesReport>('cycles', folder, queriesFile, String(CYCLES));

    printTable(
      ['build', 'seconds', 'docs/s', 'vs raw'],
      [
        ['hnswlib-node (raw, vectors only)', rawSeconds.toFixed(1), formatRate(N / rawSeconds), '100%'],
        ['Collection on LevelDB (vector + text + metadata)', collSeconds.toFixed(1), formatRate(N / collSeconds), percent(rawSeconds, collSeconds)],
        ['Collection.close (saves the graph)', (saveMs / 1000).toFixed(1), '—', '—'],
      ],
    );
    console.log('');
    // Logical record bytes are before LevelDB's compression (snappy: random floats do not shrink, text does).
    printTable(
      ['storage', 'bytes', 'per document'],
      [
        ['LevelDB folder on disk (after close)', mb(diskBytes), perDoc(diskBytes)],
        [`  vectors ('v' records; raw N×${DIM}×4 = ${mb(vectorBytes)})`, mb(records.v), perDoc(records.v)],
        ["  documents: metadata ('m' records)", mb(records.m), perDoc(records.m)],
        [`  text ('t' records; the texts alone ${mb(textBytes)})`, mb(records.t), perDoc(records.t)],
        ["  BM25 postings ('q' buckets of ~128 terms per segment)", mb(records.q), perDoc(records.q)],
        ["  BM25 segment headers ('s')", mb(records.s), perDoc(records.s)],
        ["  saved HNSW graph ('g' records: hnswlib's format, without the vectors)", mb(records.g), perDoc(records.g)],
        ["  graph file (sochdb-graphs/: hnswlib's own index, which an open reads directly)", mb(graphFileBytes), perDoc(graphFileBytes)],
        ['raw hnswlib-node writeIndex file (same data)', mb(rawGraphBytes), perDoc(rawGraphBytes)],
      ],
    );
    console.log('');
    const openMs = open.storageOpenMs + open.collectionOpenMs + open.firstSearchMs;
    // The target's "graph bytes": links and labels, which is what the saved graph holds now that it
    // leaves the vectors out (graphs saved with them held the vectors too: then subtract them).
    const targetBase = vectorBytes + (records.g > vectorBytes ? records.g - vectorBytes : records.g);
    const grown = open.rssAfterOpenGc - open.rssBefore;
    printTable(
      ['fresh process: open', 'measured', 'target', 'verdict'],
      [
        ['LevelStorage.open', sec(open.storageOpenMs), '', ''],
        ['Collection.open (documents, segment headers, graph)', sec(open.collectionOpenMs), '', ''],
        ['first vector search', sec(open.firstSearchMs), '', ''],
        ['open-to-first-search (sum)', sec(openMs), '≤ 5 s', openMs <= 5000 ? 'met' : 'MISSED'],
        ["first filtered search (fills the field's column from the records)", sec(open.firstFilteredMs), '', ''],
        ['RSS before open (modules loaded)', mb(open.rssBefore), '', ''],
        [
          'RSS after open and the first search, after gc',
          mb(open.rssAfterSearchGc),
          `≤ 1.5 × ${mb(targetBase)} (vectors + graph links) = ${mb(1.5 * targetBase)}`,
          `${open.rssAfterSearchGc <= 1.5 * targetBase ? 'met' : 'MISSED'} (${(open.rssAfterSearchGc / targetBase).toFixed(2)}×)`,
        ],
        ['RSS after the first filtered search too (it reads every record)', mb(open.rssAfterOpen), '', ''],
        [
          'the same, after gc',
          mb(open.rssAfterOpenGc),
          `≤ ${mb(1.5 * targetBase)}`,
          `${open.rssAfterOpenGc <= 1.5 * targetBase ? 'met' : 'MISSED'} (${(open.rssAfterOpenGc / targetBase).toFixed(2)}×)`,
        ],
        [
          '  growth by the open alone (after gc − before)',
          `${mb(grown)} (${perDoc(grown)}/doc)`,
          `≤ ${mb(1.5 * targetBase)}`,
          `${grown <= 1.5 * targetBase ? 'met' : 'MISSED'} (${(grown / targetBase).toFixed(2)}×)`,
        ],
        ...(open.split === null
          ? []
          : [
              [
                '  private memory (RssAnon: heap, native graph, caches)',
                `${mb(open.split.anonAfter)}, grown ${mb(open.split.anonAfter - open.split.anonBefore)}`,
                `≤ ${mb(1.5 * targetBase)}`,
                `${open.split.anonAfter <= 1.5 * targetBase ? 'met' : 'MISSED'} (${(open.split.anonAfter / targetBase).toFixed(2)}×)`,
              ],
              ['  file pages mapped (RssFile: LevelDB tables read; page cache)', mb(open.split.fileAfter), '', ''],
            ]),
        ['  V8 heap used (JS: ids, hashes, BM25 per-document state, filter columns)', `${mb(open.heapUsed)} (${perDoc(open.heapUsed)}/doc)`, '', ''],
        ['  external (Buffers)', mb(open.external), '', ''],
      ],
    );
    console.log('');
    printTable(
      ['search (fresh process, 200 queries after 10 warm-up)', 'p50', 'p99', `recall@10 (${TRUTH_QUERIES} queries)`],
      open.searches.map((s) => [s.kind, `${s.p50.toFixed(2)} ms`, `${s.p99.toFixed(2)} ms`, s.recall === null ? '—' : s.recall.toFixed(3)]),
    );
    console.log('');
    const after = cycles.afterClose;
    console.log(`RSS (MB, after gc) across ${after.length} × (open storage + collection, one search, close both), fresh process:`);
    console.log(`  start ${mb(cycles.start)}; after each close: ${after.map((b) => (b / 2 ** 20).toFixed(0)).join(' ')}`);
    console.log(`  first ${mb(after[0]!)}, last ${mb(after.at(-1)!)}, max ${mb(Math.max(...after))}`);
  } finally {
    if (process.env.SCALE_KEEP) console.log(`\nkept: ${dir} (folder db, queries.json)`);
    else rmSync(dir, { recursive: true, force: true });
  }
}
