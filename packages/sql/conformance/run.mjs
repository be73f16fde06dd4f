#!/usr/bin/env node
// Runs the vendored SQL conformance corpus against @sochdb/sql and checks the failures against
// known-failures.json. From any directory:
//
//   node packages/sql/conformance/run.mjs [options] [files or folders…]
//
//   --fast             the CI subset (see README.md, "CI subset vs full run"); default: everything
//   --update-known     rewrite known-failures.json from this run (entries of files not run are kept)
//   --json FILE        write a summary: per-group / per-file counts, new and fixed entries, all failures
//   --markdown FILE    write the per-file table as markdown
//   --jobs N           child processes at once (default: min(2, CPUs))
//   --job-timeout S    stop a child process that runs longer than S seconds (default 600; a
//                      record stuck in synchronous code is beyond the runner's --timeout-ms)
//   --show N           failure groups printed per group (default 25; -1 = all)
//   --list N           new / fixed entries printed (default 50; -1 = all)
//   files              .test files or folders under sqllogictest/ or duckdb/ (paths relative to the
//                      working directory or to this folder); only these run, whatever --fast says
//
// Groups: sqllogictest/ runs with the runner's defaults (--db-name sqlite); duckdb/ (always all
// of it) with --db-name duckdb --numeric-equal and the exclude regex from README.md. Every file
// runs through run-slt.mjs (unmodified) with adapter.ts under tsx --conditions=sochdb-source,
// in a few child processes at once.
//
// Exit code: 0 when the failures are exactly the known ones for the files run; 1 when a failure
// is new or a known failure now passes (fixed: run with --update-known so the list stays honest);
// 2 when the harness itself failed (bad arguments, a runner that crashed or wrote no report).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '../../..');
const TSX = join(ROOT, 'node_modules', '.bin', process.platform === 'win32' ? 'tsx.cmd' : 'tsx');
const RUNNER = join(HERE, 'run-slt.mjs');
const ADAPTER = join(HERE, 'adapter.ts');
const KNOWN = join(HERE, 'known-failures.json');
const TIMEOUT_MS = 20_000;

const GROUPS = {
  sqllogictest: { dir: 'sqllogictest', args: ['--db-name', 'sqlite'] },
  duckdb: { dir: 'duckdb', args: ['--db-name', 'duckdb', '--numeric-equal', '--exclude', String.raw`^\s*(SET|PRAGMA)\s|\(\s*values\s*\(`] },
};
// README.md, "CI subset vs full run"
const FAST_SQLLOGICTEST = [
  /^sqllogictest\/evidence\/[^/]+\.test$/,
  /^sqllogictest\/select3\.test$/,
  /^sqllogictest\/random\/[^/]+\/slt_good_1\.test$/,
  /^sqllogictest\/index\/(between|orderby|view)\/10\/slt_good_1\.test$/,
];
// Files below this size are batched into one child process per group (each process costs ~1 s to start).
const SMALL_FILE = 256 * 1024;
// Jobs start largest first, by file size; these files cost far more than their size says (select4:
// compound SELECTs over comma joins, about half of the full run's CPU time), so they start first.
const COSTLY = { 'sqllogictest/select4.test': 50 };

// ---------------------------------------------------------------- arguments
function usage(msg) {
  if (msg) console.error(`run.mjs: ${msg}`);
  const lines = readFileSync(fileURLToPath(import.meta.url), 'utf8')
    .split('\n')
    .slice(1);
  const header = lines.slice(
    0,
    lines.findIndex((l) => !l.startsWith('//')),
  );
  (msg ? console.error : console.log)(header.map((l) => l.slice(3)).join('\n'));
  process.exit(msg ? 2 : 0);
}

function parseArgs(argv) {
  const o = {
    fast: false,
    update: false,
    json: null,
    markdown: null,
    jobs: Math.max(1, Math.min(2, availableParallelism())),
    jobTimeout: 600,
    show: 25,
    list: 50,
    paths: [],
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      if (i + 1 >= argv.length) usage(`missing value for ${a}`);
      return argv[++i];
    };
    const int = (s) => {
      const n = Number.parseInt(s, 10);
      if (!Number.isInteger(n)) usage(`${a} needs a number`);
      return n;
    };
    switch (a) {
      case '--fast':
        o.fast = true;
        break;
      case '--update-known':
        o.update = true;
        break;
      case '--json':
        o.json = resolve(next());
        break;
      case '--markdown':
        o.markdown = resolve(next());
        break;
      case '--jobs':
        o.jobs = Math.max(1, int(next()));
        break;
      case '--job-timeout':
        o.jobTimeout = Math.max(1, int(next()));
        break;
      case '--show':
        o.show = int(next());
        break;
      case '--list':
        o.list = int(next());
        break;
      case '-h':
      case '--help':
        usage();
        break;
      default:
        if (a.startsWith('--')) usage(`unknown option ${a}`);
        o.paths.push(a);
    }
  }
  return o;
}

// ---------------------------------------------------------------- files
const posix = (p) => p.split(sep).join('/');

function testFilesUnder(absDir) {
  const out = [];
  for (const e of readdirSync(absDir, { withFileTypes: true })) {
    const p = join(absDir, e.name);
    if (e.isDirectory()) out.push(...testFilesUnder(p));
    else if (e.isFile() && e.name.endsWith('.test')) out.push(p);
  }
  return out;
}

/** Files to run, as paths relative to this folder ('sqllogictest/select3.test'), by group. */
function selectFiles(o) {
  const byGroup = Object.fromEntries(Object.keys(GROUPS).map((g) => [g, new Set()]));
  const groupOf = (rel) => Object.keys(GROUPS).find((g) => rel.startsWith(`${GROUPS[g].dir}/`));
  if (o.paths.length === 0) {
    for (const [g, { dir }] of Object.entries(GROUPS)) {
      for (const abs of testFilesUnder(join(HERE, dir))) {
        const rel = posix(relative(HERE, abs));
        if (g === 'sqllogictest' && o.fast && !FAST_SQLLOGICTEST.some((re) => re.test(rel))) continue;
        byGroup[g].add(rel);
      }
    }
  } else {
    for (const p of o.paths) {
      const abs = [resolve(p), resolve(HERE, p)].find((c) => existsSync(c));
      if (!abs) usage(`no such file or folder: ${p}`);
      const files = statSync(abs).isDirectory() ? testFilesUnder(abs) : [abs];
      for (const f of files) {
        const rel = posix(relative(HERE, f));
        const g = groupOf(rel);
        if (!g)
          usage(
            `${p}: not under ${Object.values(GROUPS)
              .map((x) => `${x.dir}/`)
              .join(' or ')} of ${HERE}`,
          );
        byGroup[g].add(rel);
      }
    }
  }
  return Object.fromEntries(Object.entries(byGroup).map(([g, s]) => [g, [...s].sort()]));
}

/**
 * Child-process jobs, largest first: a large file runs alone, the small files of a group share one
 * process. Two workers take jobs from the queue, so the wall time is about half the sum.
 */
function makeJobs(byGroup) {
  const jobs = [];
  for (const [group, files] of Object.entries(byGroup)) {
    const small = { group, files: [], bytes: 0 };
    for (const f of files) {
      const bytes = statSync(join(HERE, f)).size;
      if (bytes < SMALL_FILE) {
        small.files.push(f);
        small.bytes += bytes;
      } else jobs.push({ group, files: [f], bytes: bytes * (COSTLY[f] ?? 1) });
    }
    if (small.files.length) jobs.push(small);
  }
  return jobs.sort((a, b) => b.bytes - a.bytes);
}

// ---------------------------------------------------------------- running
const FILE_LINE = /^(\S+\.test): (\d+) passed, (\d+) failed, (\d+) skipped \(([\d.]+)s\)$/;

const describeJob = (job) => (job.files.length <= 2 ? job.files.join(' ') : `${job.files.length} ${job.group} files (${job.files[0]} …)`);

function runJob(job, tmp, n, timeoutS) {
  const jsonOut = join(tmp, `job-${n}.json`);
  const args = [
    '--conditions=sochdb-source',
    RUNNER,
    '--engine',
    ADAPTER,
    ...GROUPS[job.group].args,
    '--timeout-ms',
    String(TIMEOUT_MS),
    '--quiet',
    '--json',
    jsonOut,
    ...job.files,
  ];
  return new Promise((resolveJob) => {
    const child = spawn(TSX, args, { cwd: HERE, stdio: ['ignore', 'pipe', 'pipe'] });
    // tsx passes SIGTERM on to the node process it runs; SIGKILL if that does not end it.
    let timedOut = false;
    const watchdog = setTimeout(() => {
      timedOut = true;
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 5000).unref();
    }, timeoutS * 1000);
    const seconds = new Map();
    let stderr = '';
    let buf = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d) => {
      buf += d;
      let nl;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        const m = FILE_LINE.exec(line);
        if (m) {
          seconds.set(m[1], Number(m[5]));
          console.log(`  ${line}`);
        }
      }
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('error', (e) => {
      clearTimeout(watchdog);
      resolveJob({ job, error: `cannot start ${TSX}: ${e.message}` });
    });
    child.on('close', (code, signal) => {
      clearTimeout(watchdog);
      if (timedOut) {
        resolveJob({ job, error: `run-slt ran longer than ${timeoutS}s (--job-timeout) on ${describeJob(job)} and was stopped\n${stderr.trim()}` });
        return;
      }
      let report;
      try {
        report = JSON.parse(readFileSync(jsonOut, 'utf8'));
      } catch {
        /* handled below */
      }
      if (!report || (code !== 0 && code !== 1)) {
        resolveJob({ job, error: `run-slt exited with ${code ?? signal} for ${describeJob(job)}${report ? '' : ' (no report)'}\n${stderr.trim()}` });
      } else {
        resolveJob({ job, files: report.files.map((f) => ({ ...f, group: job.group, seconds: seconds.get(f.file) ?? null })) });
      }
    });
  });
}

async function runAll(jobs, width, timeoutS) {
  const tmp = mkdtempSync(join(tmpdir(), 'sochdb-conformance-'));
  try {
    const results = [];
    let next = 0;
    const worker = async () => {
      while (next < jobs.length) {
        const n = next++;
        results[n] = await runJob(jobs[n], tmp, n, timeoutS);
      }
    };
    await Promise.all(Array.from({ length: Math.min(width, jobs.length) }, worker));
    return results;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------- messages
/** A failure's message with the record-specific parts taken out, to group failures by cause. */
function groupKey(msg) {
  let m = String(msg).split('\n')[0];
  if (m.startsWith('runner/engine crashed')) return 'runner/engine crashed';
  m = m
    .replace(/^wrong result hash: .*/, 'wrong result hash')
    .replace(/^wrong result at value \d+: .*/, 'wrong result value')
    .replace(/^(too (few|many) result values) - .*/, '$1')
    .replace(/^labelled result \[[^\]]*\]/, 'labelled result')
    .replace(/ at line \d+, column \d+/g, '')
    .replace(/\d+/g, 'N');
  return m.length > 140 ? `${m.slice(0, 137)}...` : m;
}

/** The short reason stored in known-failures.json (no result hashes, so it changes little between runs). */
function shortReason(msg) {
  let m = String(msg).split('\n')[0];
  if (m.startsWith('runner/engine crashed')) return 'runner/engine crashed';
  const h = /^wrong result hash: expected \[(\d+) values hashing to \w+\] got \[(\d+) values/.exec(m);
  if (h) return `wrong result hash (expected ${h[1]} values, got ${h[2]})`;
  m = m.replace(/ at line \d+, column \d+/g, '');
  return m.length > 100 ? `${m.slice(0, 97)}...` : m;
}

// ---------------------------------------------------------------- known failures
function loadKnown() {
  if (!existsSync(KNOWN)) return Object.fromEntries(Object.keys(GROUPS).map((g) => [g, {}]));
  const k = JSON.parse(readFileSync(KNOWN, 'utf8'));
  for (const g of Object.keys(GROUPS)) k[g] ??= {};
  return k;
}

const keyOrder = (a, b) => {
  const [fa, la] = [a.slice(0, a.lastIndexOf(':')), Number(a.slice(a.lastIndexOf(':') + 1))];
  const [fb, lb] = [b.slice(0, b.lastIndexOf(':')), Number(b.slice(b.lastIndexOf(':') + 1))];
  return fa < fb ? -1 : fa > fb ? 1 : la - lb;
};
const fileOfKey = (k) => k.slice(0, k.lastIndexOf(':'));

function writeKnown(known) {
  const out = {};
  for (const g of Object.keys(GROUPS))
    out[g] = Object.fromEntries(
      Object.keys(known[g] ?? {})
        .sort(keyOrder)
        .map((k) => [k, known[g][k]]),
    );
  // One entry per line keeps diffs of this file readable.
  const body = Object.entries(out).map(([g, entries]) => {
    const lines = Object.entries(entries).map(([k, v]) => `    ${JSON.stringify(k)}: ${JSON.stringify(v)}`);
    return `  ${JSON.stringify(g)}: {${lines.length ? `\n${lines.join(',\n')}\n  ` : ''}}`;
  });
  writeFileSync(KNOWN, `{\n${body.join(',\n')}\n}\n`);
}

// ---------------------------------------------------------------- output
// Rounded down, so that a file with any failure never shows 100.0%.
const pct = (p, r) => (r ? `${(Math.floor((1000 * p) / r) / 10).toFixed(1)}%` : '-');
const secs = (s) => (s == null ? '' : `${s.toFixed(1)}s`);

function printTable(groups) {
  const rows = [['file', 'run', 'passed', 'failed', '%', 'time']];
  for (const [g, st] of Object.entries(groups)) {
    if (!st.files.length) continue;
    for (const f of st.files) rows.push([f.file, f.run, f.passed, f.failed, pct(f.passed, f.run), secs(f.seconds)]);
    rows.push([`TOTAL ${g} (${st.files.length} files)`, st.run, st.passed, st.failed, pct(st.passed, st.run), secs(st.seconds)]);
    rows.push(null);
  }
  if (rows.at(-1) === null) rows.pop();
  const w = rows[0].map((_, c) => Math.max(...rows.filter(Boolean).map((r) => String(r[c]).length)));
  const fmt = (r) => r.map((v, c) => (c === 0 ? String(v).padEnd(w[c]) : String(v).padStart(w[c]))).join('  ');
  console.log(fmt(rows[0]));
  console.log(w.map((n) => '-'.repeat(n)).join('  '));
  for (const r of rows.slice(1)) console.log(r ? fmt(r) : '');
}

function markdownTable(groups) {
  const out = ['| file | run | passed | failed | % |', '|---|---:|---:|---:|---:|'];
  for (const [g, st] of Object.entries(groups)) {
    if (!st.files.length) continue;
    for (const f of st.files) out.push(`| \`${f.file}\` | ${f.run} | ${f.passed} | ${f.failed} | ${pct(f.passed, f.run)} |`);
    out.push(`| **${g} total (${st.files.length} files)** | **${st.run}** | **${st.passed}** | **${st.failed}** | **${pct(st.passed, st.run)}** |`);
  }
  return `${out.join('\n')}\n`;
}

function printGroups(groups, show) {
  for (const [g, st] of Object.entries(groups)) {
    if (!st.failed) continue;
    const counts = new Map();
    for (const f of st.files)
      for (const x of f.failures) {
        const k = groupKey(x.msg);
        const c = counts.get(k) ?? { n: 0, files: new Set() };
        c.n++;
        c.files.add(f.file);
        counts.set(k, c);
      }
    const sorted = [...counts].sort((a, b) => b[1].n - a[1].n || (a[0] < b[0] ? -1 : 1));
    const lim = show < 0 ? sorted.length : Math.min(show, sorted.length);
    console.log(`\nfailures in ${g} by message (${st.failed} in ${counts.size} groups${lim < sorted.length ? `, top ${lim}` : ''}):`);
    const w = String(sorted[0][1].n).length;
    for (const [k, c] of sorted.slice(0, lim)) console.log(`  ${String(c.n).padStart(w)}  ${k}  [${c.files.size} file${c.files.size === 1 ? '' : 's'}]`);
  }
}

function printList(title, items, lim) {
  if (!items.length) return;
  const n = lim < 0 ? items.length : Math.min(lim, items.length);
  console.log(`\n${title} (${items.length}${n < items.length ? `, first ${n}` : ''}):`);
  for (const it of items.slice(0, n)) {
    console.log(`  ${it.key}: ${it.msg}`);
    if (it.sql) console.log(`      ${it.sql.split('\n')[0].slice(0, 160)}`);
  }
}

// ---------------------------------------------------------------- main
async function main() {
  const o = parseArgs(process.argv.slice(2));
  const byGroup = selectFiles(o);
  const nFiles = Object.values(byGroup).reduce((s, f) => s + f.length, 0);
  if (!nFiles) usage('no .test files selected');
  if (!existsSync(TSX)) {
    console.error(`run.mjs: ${TSX} not found; run \`npm run setup\` (pnpm install) first`);
    process.exit(2);
  }

  const jobs = makeJobs(byGroup);
  console.log(
    `running ${nFiles} files (${Object.entries(byGroup)
      .map(([g, f]) => `${g}: ${f.length}`)
      .join(', ')}) in ${jobs.length} runner processes, ${Math.min(o.jobs, jobs.length)} at a time`,
  );
  const t0 = Date.now();
  const results = await runAll(jobs, o.jobs, o.jobTimeout);
  const wall = (Date.now() - t0) / 1000;

  const errors = results.filter((r) => r.error);
  if (errors.length) {
    for (const e of errors) console.error(`\nrun.mjs: ${e.error}`);
    process.exit(2);
  }

  const groups = {};
  for (const g of Object.keys(GROUPS)) {
    const files = results
      .flatMap((r) => r.files)
      .filter((f) => f.group === g)
      .sort((a, b) => (a.file < b.file ? -1 : 1))
      .map((f) => ({ ...f, run: f.passed + f.failed }));
    const sum = (k) => files.reduce((s, f) => s + (f[k] ?? 0), 0);
    groups[g] = { files, run: sum('run'), passed: sum('passed'), failed: sum('failed'), skipped: sum('skipped'), seconds: sum('seconds') };
  }

  // compare with the known failures, for the files that ran
  const known = loadKnown();
  const newFailures = [];
  const fixed = [];
  for (const [g, st] of Object.entries(groups)) {
    const ran = new Set(st.files.map((f) => f.file));
    const now = new Map();
    for (const f of st.files) for (const x of f.failures) now.set(`${f.file}:${x.line}`, x);
    for (const [k, x] of now) if (!(k in known[g])) newFailures.push({ group: g, key: k, msg: String(x.msg).split('\n')[0], sql: x.sql ?? '' });
    for (const [k, reason] of Object.entries(known[g])) if (ran.has(fileOfKey(k)) && !now.has(k)) fixed.push({ group: g, key: k, msg: `listed as: ${reason}` });
    if (o.update) {
      for (const k of Object.keys(known[g])) if (ran.has(fileOfKey(k))) delete known[g][k];
      for (const [k, x] of now) known[g][k] = shortReason(x.msg);
    }
  }
  newFailures.sort((a, b) => keyOrder(a.key, b.key));
  fixed.sort((a, b) => keyOrder(a.key, b.key));

  console.log('');
  printTable(groups);
  printGroups(groups, o.show);

  if (o.markdown) writeFileSync(o.markdown, markdownTable(groups));
  if (o.json) {
    writeFileSync(
      o.json,
      JSON.stringify(
        {
          wallSeconds: wall,
          fast: o.fast && o.paths.length === 0,
          groups: Object.fromEntries(
            Object.entries(groups).map(([g, st]) => [
              g,
              {
                files: st.files.length,
                run: st.run,
                passed: st.passed,
                failed: st.failed,
                skipped: st.skipped,
                perFile: st.files.map(({ file, run, passed, failed, skipped, seconds }) => ({ file, run, passed, failed, skipped, seconds })),
              },
            ]),
          ),
          newFailures,
          fixed,
          failures: Object.values(groups).flatMap((st) =>
            st.files.flatMap((f) => f.failures.map((x) => ({ key: `${f.file}:${x.line}`, msg: x.msg, sql: x.sql ?? '' }))),
          ),
        },
        null,
        1,
      ),
    );
  }

  const totals = Object.entries(groups)
    .filter(([, st]) => st.files.length)
    .map(([g, st]) => `${g} ${st.passed}/${st.run} passed`)
    .join(', ');
  console.log(`\n${totals}; wall time ${wall.toFixed(1)}s`);
  if (o.update) {
    writeKnown(known);
    console.log(`known-failures.json rewritten for the files run: ${newFailures.length} added, ${fixed.length} removed`);
    process.exitCode = 0;
    return;
  }
  printList('NEW failures, not in known-failures.json', newFailures, o.list);
  printList('FIXED: listed in known-failures.json but passing now', fixed, o.list);
  if (newFailures.length || fixed.length) {
    console.log(
      `\nFAIL: ${newFailures.length} new failure(s), ${fixed.length} fixed entr${fixed.length === 1 ? 'y' : 'ies'} still listed.` +
        ' If the changes are intended, run `node packages/sql/conformance/run.mjs --update-known` (add --fast for the CI files only) and commit known-failures.json.',
    );
    process.exitCode = 1;
  } else {
    console.log('OK: the failures are exactly the known ones');
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(2);
});
