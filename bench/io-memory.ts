// `sochdb import` and `sochdb export` memory: the built CLI (apps/cli/dist/cli.js) run as a child
// process on JSON Lines files of ~100 MB and ~1 GB, reporting each step's rows, seconds, MB/s, the
// child's PEAK RSS and its peak anonymous RSS. The claim under test is that import and export
// stream: what the process holds at 1 GB is about what it holds at 100 MB. Steps: a table (rows of
// ~1 KB: id INTEGER PRIMARY KEY, a few columns, a ~900-character text) imported with --batch and
// atomically (without --batch: pieces under the rollback journal), and exported; a KV
// prefix of ~1 KB values, the same; and the streaming steps again with V8's heap capped far below
// the file's size. Collections (64-dimension vectors) only when asked: their HNSW graph is in
// memory by design, so that table shows RSS beside an estimate of the graph.
//
// Opt-in, never in CI (it writes GBs and takes minutes): `npx tsx bench/run.ts io-memory`.
// BENCH_QUICK=1: files of a few MB. IO_MEMORY_MB=100,1000 (the default) picks the sizes in MB of
// JSONL, `none` for no tables; IO_MEMORY_COLLECTIONS=100,300 adds collections of those sizes.
// Peak RSS comes from `/usr/bin/time -f %M` when present, else from the child's own
// process.resourceUsage().maxRSS, written on exit by a preloaded module; anonymous RSS is sampled
// from /proc (Linux).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { makeTempDir } from '@sochdb/core/testing';
import { Database } from '@sochdb/sdk';
import { printTable, QUICK } from './lib/table.js';
import { rng } from './lib/vectors.js';

const CLI = resolve(import.meta.dirname, '..', 'apps', 'cli', 'dist', 'cli.js');
const TIME = '/usr/bin/time';
const MB = 1024 * 1024;
/** Records per commit for the --batch imports: each commit's writes are held until it is made. */
const BATCH = 10_000;
const DIM = 64;
/** V8 old-space limit (MB) of the capped runs: far below what a 1 GB file would take if held. */
const HEAP_CAP_MB = 96;
/** hnswlib's graph degree (`M`) the collection uses by default. */
const HNSW_M = 16;
/**
 * An estimate of what the HNSW index holds per vector, in bytes: hnswlib's level-0 record (the
 * vector, 2·M links, a link count and a label), ~8 bytes of upper-level links on average (M links
 * for 1 vector in M), its per-element pointers and label map entry (~50), and the JS map from the
 * document id to its slot (~100).
 */
const INDEX_BYTES_PER_VECTOR = 4 * DIM + 4 * 2 * HNSW_M + 12 + 8 + 50 + 100;

/** One measured child process. */
interface Step {
  readonly rows: number;
  readonly seconds: number;
  /** Peak resident set size of the child, in MB. */
  readonly peakMb: number;
  /** Peak anonymous RSS (heap, not file pages) of the child in MB, sampled; NaN where /proc is missing. */
  readonly anonMb: number;
}

export default async function run(): Promise<void> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: build the CLI first (npx tsc -p apps/cli/tsconfig.build.json)`);
  const sizes = QUICK ? [2, 6] : megabytes(process.env.IO_MEMORY_MB ?? '100,1000');
  const collectionSizes = QUICK ? [1, 3] : megabytes(process.env.IO_MEMORY_COLLECTIONS ?? '');
  const dir = makeTempDir('sochdb-bench-io-');
  const measure = measurer(dir.path);
  try {
    const rows: string[][] = [];
    const cappedImport = async (db: string, file: string, source: readonly string[]) =>
      measure(['import', db, ...source, '--in', file, '--batch', String(BATCH), '--json', '--quiet'], rowsOf, [`--max-old-space-size=${HEAP_CAP_MB}`]);
    for (const mb of sizes) {
      const tag = `${mb}MB`;
      // Each size's files and databases go before the next size's are made: the temp disk holds one size.
      const here = join(dir.path, tag);
      mkdirSync(here);
      const tableFile = join(here, 'table.jsonl');
      const kvFile = join(here, 'kv.jsonl');
      const tableRows = await writeLines(tableFile, mb * MB, tableLine(1));
      const kvRows = await writeLines(kvFile, mb * MB, kvLine(2));
      const tableBytes = statSync(tableFile).size;
      const kvBytes = statSync(kvFile).size;
      const db = join(here, 'db');
      await createTable(db);
      const atomicDb = join(here, 'db-atomic');
      await createTable(atomicDb);
      const floor = await measure(['stats', db, '--json'], () => 0);
      const line = (step: string, s: Step, bytes: number) =>
        rows.push([tag, step, String(s.rows), s.seconds.toFixed(1), (bytes / MB / s.seconds).toFixed(1), s.peakMb.toFixed(0), s.anonMb.toFixed(0)]);
      line('start-up (`sochdb stats`)', floor, 0);
      const imported = await measure(['import', db, '--table', 't', '--in', tableFile, '--batch', String(BATCH), '--json', '--quiet'], rowsOf);
      check(imported, tableRows, 'table import');
      line(`import --table --batch ${BATCH}`, imported, tableBytes);
      const cappedDb = join(here, 'db-capped');
      await createTable(cappedDb);
      const cappedIn = await cappedImport(cappedDb, tableFile, ['--table', 't']);
      check(cappedIn, tableRows, 'table import with a capped heap');
      line(`import --table --batch ${BATCH}, heap capped at ${HEAP_CAP_MB} MB`, cappedIn, tableBytes);
      rmSync(cappedDb, { recursive: true, force: true });
      const atomic = await measure(['import', atomicDb, '--table', 't', '--in', tableFile, '--json', '--quiet'], rowsOf);
      check(atomic, tableRows, 'atomic table import');
      line('import --table (atomic, no --batch)', atomic, tableBytes);
      rmSync(atomicDb, { recursive: true, force: true });
      await createTable(atomicDb);
      const atomicCapped = await measure(['import', atomicDb, '--table', 't', '--in', tableFile, '--json', '--quiet'], rowsOf, [
        `--max-old-space-size=${HEAP_CAP_MB}`,
      ]);
      check(atomicCapped, tableRows, 'atomic table import with a capped heap');
      line(`import --table (atomic), heap capped at ${HEAP_CAP_MB} MB`, atomicCapped, tableBytes);
      const out = join(here, 'table-out.jsonl');
      const exported = await measure(['export', db, '--table', 't', '--out', out, '--json', '--quiet'], rowsOf);
      check(exported, tableRows, 'table export');
      line('export --table', exported, statSync(out).size);
      // The same with V8's heap capped: it finishes only if what it holds stays under the cap.
      const capped = await measure(['export', db, '--table', 't', '--out', out, '--json', '--quiet'], rowsOf, [`--max-old-space-size=${HEAP_CAP_MB}`]);
      check(capped, tableRows, 'table export with a capped heap');
      line(`export --table, heap capped at ${HEAP_CAP_MB} MB`, capped, statSync(out).size);
      const kvDb = join(here, 'kv-db');
      const kvIn = await measure(['import', kvDb, '--kv', 'doc/', '--in', kvFile, '--batch', String(BATCH), '--json', '--quiet'], rowsOf);
      check(kvIn, kvRows, 'KV import');
      line(`import --kv --batch ${BATCH}`, kvIn, kvBytes);
      const kvAtomicDb = join(here, 'kv-atomic');
      const kvAtomic = await measure(['import', kvAtomicDb, '--kv', 'doc/', '--in', kvFile, '--json', '--quiet'], rowsOf);
      check(kvAtomic, kvRows, 'atomic KV import');
      line('import --kv (atomic, no --batch)', kvAtomic, kvBytes);
      const kvOut = join(here, 'kv-out.jsonl');
      const kvExported = await measure(['export', kvDb, '--kv', 'doc/', '--out', kvOut, '--json', '--quiet'], rowsOf);
      check(kvExported, kvRows, 'KV export');
      line('export --kv', kvExported, statSync(kvOut).size);
      rmSync(here, { recursive: true, force: true });
    }
    if (rows.length > 0) {
      console.log(
        `Table rows of ~1 KB and KV values of ~1 KB; --batch commits every ${BATCH} records. Peak RSS of the CLI process (with LevelDB's memory-mapped table files), and peak anonymous RSS (what the process allocated).\n`,
      );
      printTable(['JSONL', 'step', 'rows', 's', 'MB/s', 'peak RSS MB', 'peak anon MB'], rows);
    }
    if (collectionSizes.length > 0) await collections(dir.path, collectionSizes, measure);
  } finally {
    dir.cleanup();
  }
}

/** Collection import and export: RSS beside the memory the HNSW index needs by design. */
async function collections(root: string, sizes: readonly number[], measure: ReturnType<typeof measurer>): Promise<void> {
  const rows: string[][] = [];
  for (const mb of sizes) {
    const tag = `${mb}MB`;
    const here = join(root, `docs-${tag}`);
    mkdirSync(here);
    const file = join(here, 'docs.jsonl');
    const n = await writeLines(file, mb * MB, docLine(3));
    const bytes = statSync(file).size;
    const db = join(here, 'db');
    const indexMb = (n * INDEX_BYTES_PER_VECTOR) / MB;
    const line = (step: string, s: Step, size: number) =>
      rows.push([
        tag,
        step,
        String(s.rows),
        s.seconds.toFixed(1),
        (size / MB / s.seconds).toFixed(1),
        s.peakMb.toFixed(0),
        s.anonMb.toFixed(0),
        indexMb.toFixed(0),
        (s.anonMb - indexMb).toFixed(0),
      ]);
    const imported = await measure(
      ['import', db, '--collection', 'bench/docs', '--dimension', String(DIM), '--in', file, '--batch', String(BATCH), '--json', '--quiet'],
      rowsOf,
    );
    check(imported, n, 'collection import');
    line(`import --collection --batch ${BATCH}`, imported, bytes);
    const out = join(here, 'docs-out.jsonl');
    const exported = await measure(['export', db, '--collection', 'bench/docs', '--out', out, '--json', '--quiet'], rowsOf);
    check(exported, n, 'collection export');
    line('export --collection', exported, statSync(out).size);
    rmSync(here, { recursive: true, force: true });
  }
  console.log(
    `\nCollections: documents with a ${DIM}-dimension vector and ~300 characters of content. "index MB" estimates the HNSW index alone (vectors, links, id map); an open collection also keeps its BM25 index and every document's metadata in memory (CollectionState), by design; content is read from storage for a search's hits.\n`,
  );
  printTable(['JSONL', 'step', 'docs', 's', 'MB/s', 'peak RSS MB', 'peak anon MB', 'index MB', 'anon − index MB'], rows);
}

/** Runs the CLI with `args` as a child process; its rows (from `rowsOf` on stdout), time and peak RSS. */
function measurer(root: string) {
  const useTime = existsSync(TIME);
  const rssFile = join(root, 'rss.txt');
  const preload = join(root, 'max-rss.mjs');
  if (!useTime) {
    writeFileSync(
      preload,
      "import { writeFileSync } from 'node:fs';\nprocess.on('exit', () => writeFileSync(process.env.IO_MEMORY_RSS_FILE, String(process.resourceUsage().maxRSS)));\n",
    );
  }
  return async (args: readonly string[], rows: (stdout: string) => number, nodeFlags: readonly string[] = []): Promise<Step> => {
    const node = [...nodeFlags, ...(useTime ? [] : ['--import', preload]), CLI, ...args];
    const [command, argv] = useTime ? [TIME, ['-f', '%M', '-o', rssFile, process.execPath, ...node]] : [process.execPath, node];
    const start = process.hrtime.bigint();
    const child = spawn(command, argv, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, IO_MEMORY_RSS_FILE: rssFile } });
    const anon = sampleAnon(child.pid!, useTime);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const [code] = (await once(child, 'close')) as [number | null];
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    const anonKb = anon.stop();
    if (code !== 0) throw new Error(`sochdb ${args.join(' ')} exited with ${code}: ${stderr}`);
    // Both report kilobytes: GNU time's %M, and resourceUsage().maxRSS.
    const kb = Number(readFileSync(rssFile, 'utf8').trim().split('\n').pop());
    return { rows: rows(stdout), seconds, peakMb: kb / 1024, anonMb: anonKb / 1024 };
  };
}

/**
 * The peak of RssAnon (in /proc/PID/status) of the node process `pid` is or (under /usr/bin/time)
 * starts, sampled every 20 ms. Peak RSS alone overstates what a process holds: LevelDB maps its
 * table files into memory, and the pages a scan touches count in RSS (as RssFile, page cache the
 * kernel takes back at will), so a full read of a bigger database shows a bigger RSS without any
 * more heap. RssAnon is the memory the process itself allocated.
 */
function sampleAnon(pid: number, viaTime: boolean): { stop(): number } {
  let peak = 0;
  let node: number | undefined = viaTime ? undefined : pid;
  const read = () => {
    try {
      node ??= Number(readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/)[0]) || undefined;
      if (node === undefined) return;
      const match = /RssAnon:\s+(\d+)/.exec(readFileSync(`/proc/${node}/status`, 'utf8'));
      if (match) peak = Math.max(peak, Number(match[1]));
    } catch {
      // The process has not started or has just ended; the samples around it count.
    }
  };
  const timer = setInterval(read, 20);
  return {
    stop() {
      clearInterval(timer);
      return existsSync('/proc/self/status') ? peak : NaN;
    },
  };
}

/** `"100,1000"` as [100, 1000]; `""` or `"none"` as none. */
function megabytes(list: string): number[] {
  return list === '' || list === 'none' ? [] : list.split(',').map(Number);
}

const rowsOf = (stdout: string) => (JSON.parse(stdout) as { rows: number }).rows;

function check(step: Step, expected: number, what: string): void {
  if (step.rows !== expected) throw new Error(`${what}: ${step.rows} rows, expected ${expected}`);
}

async function createTable(folder: string): Promise<void> {
  const db = await Database.open(folder);
  try {
    await db.execute('CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL, score REAL, n INTEGER, body TEXT)');
  } finally {
    await db.close();
  }
}

/** Writes lines made by `make(i)` to `file` until it holds `bytes`; resolves with the line count. */
async function writeLines(file: string, bytes: number, make: (i: number) => string): Promise<number> {
  const out = createWriteStream(file);
  let written = 0;
  let i = 0;
  while (written < bytes) {
    let chunk = '';
    while (chunk.length < MB && written + chunk.length < bytes) chunk += `${make(i++)}\n`;
    written += chunk.length;
    if (!out.write(chunk)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return i;
}

/**
 * Text of `length` characters at a seeded position in a fixed pool of words: varied enough that
 * LevelDB's compression does not make the data small, and cheap enough for a GB of it.
 */
function textSource(seed: number): (length: number) => string {
  const next = rng(seed);
  const words = Array.from({ length: 4096 }, () =>
    Array.from({ length: 3 + Math.floor(next() * 8) }, () => String.fromCharCode(97 + Math.floor(next() * 26))).join(''),
  );
  const pool = Array.from({ length: 64 * 1024 }, () => words[Math.floor(next() * words.length)]).join(' ');
  return (length) => {
    const at = Math.floor(next() * (pool.length - length));
    return pool.slice(at, at + length);
  };
}

function tableLine(seed: number): (i: number) => string {
  const text = textSource(seed);
  const next = rng(seed + 100);
  return (i) => JSON.stringify({ id: i + 1, name: `user ${i}`, score: Math.round(next() * 1e6) / 100, n: Math.floor(next() * 1e9), body: text(900) });
}

function kvLine(seed: number): (i: number) => string {
  const text = textSource(seed);
  return (i) => JSON.stringify({ key: `doc/${String(i).padStart(10, '0')}`, value: text(980) });
}

function docLine(seed: number): (i: number) => string {
  const text = textSource(seed);
  const next = rng(seed + 100);
  return (i) =>
    JSON.stringify({
      id: `d${i}`,
      vector: Array.from({ length: DIM }, () => Math.round((next() - 0.5) * 1e4) / 1e4),
      content: text(300),
      metadata: { n: i % 100 },
    });
}
