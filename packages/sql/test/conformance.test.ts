// The fast set of the vendored SQL conformance corpus (conformance/README.md, "CI subset"), run
// through conformance/run.mjs: every failure must be listed in conformance/known-failures.json and
// every listed failure of these files must still fail. After an intended change, run
//   node packages/sql/conformance/run.mjs --update-known          (all files; --fast for these only)
// and commit known-failures.json.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect, it } from 'vitest';

const RUN = resolve(import.meta.dirname, '../conformance/run.mjs');

// Records the fast set runs (passed + failed), fixed by the corpus and the runner options
// (conformance/README.md: 70,732 + 367); fewer means a file crashed or was left out.
const RECORDS = { sqllogictest: 70_732, duckdb: 367 };
// Records passed, a little under the count when this was written (70,709 and 360), so a harness
// that runs nothing, or an engine that breaks wholesale, cannot pass.
const MIN_PASSED = { sqllogictest: 70_000, duckdb: 350 };

interface Entry {
  readonly group: string;
  readonly key: string;
  readonly msg: string;
  readonly sql?: string;
}
interface GroupSummary {
  readonly files: number;
  readonly run: number;
  readonly passed: number;
  readonly failed: number;
}
interface Summary {
  readonly groups: Record<string, GroupSummary>;
  readonly newFailures: Entry[];
  readonly fixed: Entry[];
}

function run(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [RUN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      output += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      output += d;
    });
    child.on('error', fail);
    child.on('close', (code) => done({ code, output }));
  });
}

const list = (entries: Entry[], max = 100): string =>
  entries
    .slice(0, max)
    .map((e) => `  ${e.key}: ${e.msg}${e.sql ? `\n      ${e.sql.split('\n')[0]!.slice(0, 160)}` : ''}`)
    .join('\n') + (entries.length > max ? `\n  ... and ${entries.length - max} more` : '');

it('the fast conformance set fails exactly the known failures', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sochdb-conformance-test-'));
  try {
    const out = join(dir, 'summary.json');
    const { code, output } = await run(['--fast', '--json', out]);
    let summary: Summary;
    try {
      summary = JSON.parse(readFileSync(out, 'utf8')) as Summary;
    } catch {
      throw new Error(`run.mjs (exit code ${code}) wrote no summary:\n${output.slice(-4000)}`);
    }
    const { newFailures, fixed, groups } = summary;
    expect(
      newFailures,
      `${newFailures.length} new failure(s), not in conformance/known-failures.json:\n${list(newFailures)}\n\n` +
        'Fix them, or if intended run `node packages/sql/conformance/run.mjs --update-known`.',
    ).toEqual([]);
    expect(
      fixed,
      `${fixed.length} record(s) listed in conformance/known-failures.json pass now:\n${list(fixed)}\n\n` +
        'Run `node packages/sql/conformance/run.mjs --update-known` and commit known-failures.json.',
    ).toEqual([]);
    for (const [group, records] of Object.entries(RECORDS)) {
      const g = groups[group];
      expect(g?.run, `records run in ${group}`).toBe(records);
      expect(g?.passed, `records passed in ${group}`).toBeGreaterThanOrEqual(MIN_PASSED[group as keyof typeof MIN_PASSED]);
    }
    expect(code, `run.mjs exit code\n${output.slice(-4000)}`).toBe(0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 600_000);
