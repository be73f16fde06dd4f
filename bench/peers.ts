// Issue 26, retrieval against the peers a user would pick instead: one workload (bench/peers/
// workload.ts: 100k documents, 384-d vectors, ~60 words of Zipf text, { bucket, year }; 200
// held-out queries with exact answers) built by SochDB, raw hnswlib-node, LanceDB and sqlite-vec +
// FTS5, each in its own fresh process; then rounds in which each engine is opened again in a fresh
// process and answers every query once per kind, interleaved (the order rotates every round) so
// the machine's drift hits all engines alike. The table shows the best round and the spread.
// Opt-in by name, not in CI: `pnpm bench peers` (PEERS_DOCS, PEERS_ROUNDS = 3, PEERS_BUILD_ROUNDS = 2, PEERS_ENGINES =
// sochdb,hnswlib,lancedb,sqlite-vec; BENCH_QUICK=1 → 5k documents). The first run installs the
// peers into bench/peers/node_modules from bench/peers/pnpm-lock.yaml (frozen), so the repo's own
// install and the test suite never download them. PEERS_KEEP=1 keeps the workload and folders.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitForExit } from '@sochdb/core/testing';
import type { EngineName, QueryReport, SearchKind } from './peers/child.js';
import { printTable, QUICK } from './lib/table.js';
import { writeWorkload } from './peers/workload.js';

const N = QUICK ? 5_000 : Number(process.env.PEERS_DOCS ?? 100_000);
const QUERIES = QUICK ? 50 : 200;
const ROUNDS = QUICK ? 1 : Number(process.env.PEERS_ROUNDS ?? 3);
const BUILD_ROUNDS = QUICK ? 1 : Number(process.env.PEERS_BUILD_ROUNDS ?? 2);
const ALL: readonly EngineName[] = ['sochdb', 'hnswlib', 'lancedb', 'sqlite-vec'];
const ENGINES = (process.env.PEERS_ENGINES?.split(',') ?? ALL).filter((e): e is EngineName => (ALL as readonly string[]).includes(e));
const LABEL: Record<EngineName, string> = {
  sochdb: 'SochDB Collection (LevelDB)',
  hnswlib: 'raw hnswlib-node',
  lancedb: 'LanceDB (@lancedb/lancedb)',
  'sqlite-vec': 'sqlite-vec + FTS5 (brute force)',
};
const PEERS = join(import.meta.dirname, 'peers');

function installPeers(): void {
  if (existsSync(join(PEERS, 'node_modules', '@lancedb', 'lancedb')) && existsSync(join(PEERS, 'node_modules', 'sqlite-vec'))) return;
  console.log('installing the peers into bench/peers/node_modules (first run only) …');
  const r = spawnSync('npx', ['-y', 'pnpm@10.34.9', 'install', '--frozen-lockfile', '--ignore-workspace'], { cwd: PEERS, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`bench peers: installing the peers failed (exit ${r.status ?? r.signal}); see the output above`);
}

async function child<T>(args: readonly string[]): Promise<T> {
  const tsx = createRequire(import.meta.url).resolve('tsx');
  const proc = spawn(process.execPath, ['--expose-gc', '--import', tsx, join(PEERS, 'child.ts'), ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
    // LanceDB logs a deprecation warning per query at its default level.
    env: { ...process.env, LANCEDB_LOG: process.env.LANCEDB_LOG ?? 'error' },
  });
  const { code, stdout } = await waitForExit(proc);
  if (code !== 0) throw new Error(`bench peers: '${args.slice(0, 2).join(' ')}' exited with ${code}`);
  return JSON.parse(stdout.trim().split('\n').pop()!) as T;
}

function folderBytes(path: string): number {
  return readdirSync(path, { withFileTypes: true }).reduce(
    (sum, e) => sum + (e.isDirectory() ? folderBytes(join(path, e.name)) : statSync(join(path, e.name)).size),
    0,
  );
}

/** The best of the rounds, and the spread (worst vs best) when there are several. */
function best(values: readonly number[], higherIsBetter: boolean, format: (x: number) => string): string {
  const top = higherIsBetter ? Math.max(...values) : Math.min(...values);
  const worst = higherIsBetter ? Math.min(...values) : Math.max(...values);
  const spread = values.length > 1 ? ` ±${((Math.abs(top - worst) / top) * 100).toFixed(0)}%` : '';
  return `${format(top)}${spread}`;
}

const mib = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
const sec = (ms: number): string => (ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${ms.toFixed(0)} ms`);
const qps = (x: number): string => x.toFixed(0);

export default async function run(): Promise<void> {
  installPeers();
  const dir = mkdtempSync(join(tmpdir(), 'sochdb-bench-peers-'));
  try {
    console.log(`${N.toLocaleString('en-US')} documents × 384-d, ~60 words of Zipf text each; ${QUERIES} queries; ${ROUNDS} query round(s)\n`);
    const workload = join(dir, 'workload');
    writeWorkload(workload, N, QUERIES);
    // Builds run BUILD_ROUNDS times, the engine order reversed every other round (a build takes
    // a minute: one run per engine left the ratio to raw hnswlib to the machine's drift, ±5%).
    const built = new Map<EngineName, { buildMs: number[]; disk: number }>(ENGINES.map((e) => [e, { buildMs: [], disk: 0 }]));
    for (let round = 0; round < BUILD_ROUNDS; round++) {
      for (const engine of round % 2 === 0 ? ENGINES : [...ENGINES].reverse()) {
        const folder = join(dir, engine);
        rmSync(folder, { recursive: true, force: true });
        mkdirSync(folder);
        process.stderr.write(`  build ${round + 1}: ${engine}\n`);
        const { buildMs } = await child<{ buildMs: number }>(['build', engine, workload, folder]);
        const entry = built.get(engine)!;
        entry.buildMs.push(buildMs);
        entry.disk = folderBytes(folder);
      }
    }
    const reports = new Map<EngineName, QueryReport[]>(ENGINES.map((e) => [e, []]));
    for (let round = 0; round < ROUNDS; round++) {
      for (let i = 0; i < ENGINES.length; i++) {
        const engine = ENGINES[(i + round) % ENGINES.length]!;
        process.stderr.write(`  round ${round + 1}: ${engine}\n`);
        reports.get(engine)!.push(await child<QueryReport>(['query', engine, workload, join(dir, engine)]));
      }
    }
    const cell = (engine: EngineName, kind: SearchKind): string => {
      const runs = reports.get(engine)!.map((r) => r.kinds[kind]);
      if (runs.some((r) => r === undefined)) return '—';
      const recall = runs[0]!.recall === null ? '' : ` @ ${runs[0]!.recall.toFixed(3)}`;
      return `${best(
        runs.map((r) => r!.qps),
        true,
        qps,
      )}${recall}`;
    };
    printTable(
      ['engine', 'build', 'disk', 'open → first answer', 'RSS after open', 'vector QPS @ recall', 'filtered 10% QPS @ recall', 'keyword QPS', 'hybrid QPS'],
      ENGINES.map((engine) => {
        const runs = reports.get(engine)!;
        const { buildMs, disk } = built.get(engine)!;
        return [
          LABEL[engine],
          best(buildMs, false, sec),
          mib(disk),
          best(
            runs.map((r) => r.openMs),
            false,
            sec,
          ),
          best(
            runs.map((r) => r.rss),
            false,
            mib,
          ),
          cell(engine, 'vector'),
          cell(engine, 'filtered'),
          cell(engine, 'keyword'),
          cell(engine, 'hybrid'),
        ];
      }),
    );
    console.log(
      `\nBuild: best of ${BUILD_ROUNDS} (each in its own process, closed and on disk; the order reversed every other round). Others: best of ${ROUNDS} round(s);` +
        ' each round opens every engine again in a fresh process. ±spread = (worst − best) / best. Recall@10 against the exact cosine top-10.',
    );
  } finally {
    if (process.env.PEERS_KEEP === '1') console.log(`kept: ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}
