// End to end: runs every example as a real child process and compares what it prints with the
// guide's output (see expected.ts for how Python output maps to ours).
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnTs, waitForExit } from '@sochdb/core/testing';
import { BLOCKED, EXPECTED, type Line } from './expected.js';

const src = fileURLToPath(new URL('../src/', import.meta.url));
const runner = `${src}run.ts`;
const examples = readdirSync(src)
  .filter((f) => /^\d\d-.*\.ts$/.test(f))
  .map((f) => f.slice(0, -3))
  .sort();
// Examples that start servers or CLIs (child processes of their own) are spread over the runners.
const SPAWNING = new Set([
  '03-server-mode',
  '36-grpc-client',
  '37-ipc-client',
  '38-ipc-server-commands',
  '39-ipc-server-stats',
  '40-cli-bulk',
  '41-grpc-server-cli',
]);
const RUNNERS = 3;

interface Outcome {
  readonly ok: boolean;
  readonly lines: readonly string[];
}

/** Splits a `run.ts --separate` transcript into each example's lines and whether it finished. */
function parse(stdout: string): Map<string, Outcome> {
  const out = new Map<string, Outcome>();
  let current: { name: string; lines: string[] } | undefined;
  for (const line of stdout.split('\n')) {
    const start = line.match(/^::example (\S+)::$/);
    const end = line.match(/^::end (\S+) (ok|error)::$/);
    if (start) current = { name: start[1]!, lines: [] };
    else if (end && current) {
      out.set(current.name, { ok: end[2] === 'ok', lines: current.lines });
      current = undefined;
    } else current?.lines.push(line);
  }
  return out;
}

// The runners get a temp folder of their own, so a check for leftovers sees only theirs, even
// when another suite runs on the same machine at the same time.
const runnerTmp = mkdtempSync(join(tmpdir(), 'sx-'));
const scratchDirs = () => readdirSync(runnerTmp).filter((d) => d.startsWith('sochdb-example-'));
afterAll(() => rmSync(runnerTmp, { recursive: true, force: true }));

let outcomes = new Map<string, Outcome>();
let stderr = '';

beforeAll(async () => {
  const ordered = [...examples.filter((e) => SPAWNING.has(e)), ...examples.filter((e) => !SPAWNING.has(e))];
  const groups = Array.from({ length: RUNNERS }, (_, i) => ordered.filter((_, j) => j % RUNNERS === i));
  const results = await Promise.all(
    groups.map((group) => {
      const child = spawnTs(runner, ['--separate', ...group], { env: { ...process.env, TMPDIR: runnerTmp } });
      // An example that leaves a handle open would keep its runner alive: end it so its report shows.
      const watchdog = setTimeout(() => child.kill('SIGKILL'), 100_000);
      return waitForExit(child).finally(() => clearTimeout(watchdog));
    }),
  );
  outcomes = new Map(results.flatMap((r) => [...parse(r.stdout)]));
  stderr = results.map((r) => r.stderr).join('');
}, 120_000);

function expectLines(actual: readonly string[], expected: readonly Line[]): void {
  const lines = actual.at(-1) === '' ? actual.slice(0, -1) : actual;
  expect(lines.length, `printed:\n${lines.join('\n')}`).toBe(expected.length);
  expected.forEach((want, i) => {
    if (typeof want === 'string') expect(lines[i]).toBe(want);
    else expect(lines[i]).toMatch(want);
  });
}

describe('the guide examples', () => {
  it('has an expected output for every example file, and nothing else', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual(examples);
  });

  for (const name of examples) {
    const blocked = BLOCKED[name];
    if (blocked) {
      it(`${name} is still blocked (${blocked}) — when this fails, remove it from BLOCKED`, () => {
        expect(outcomes.get(name)?.ok).toBe(false);
      });
      continue;
    }
    it(`${name} prints the guide's output`, () => {
      const outcome = outcomes.get(name);
      expect(outcome, `no output for ${name}; runner stderr:\n${stderr}`).toBeDefined();
      expect(outcome!.ok, `${name} failed:\n${stderr}`).toBe(true);
      expectLines(outcome!.lines, EXPECTED[name]!);
    });
  }

  it('leaves no scratch folder behind', () => {
    expect(scratchDirs()).toEqual([]);
  });
});

describe('the runner', () => {
  it('lists every example with its title when given no name', async () => {
    const { code, stdout } = await waitForExit(spawnTs(runner));
    expect(code).toBe(0);
    for (const name of examples) expect(stdout).toMatch(new RegExp(`^  ${name} +\\S`, 'm'));
  });

  it('finds an example by number or slug, and refuses an unknown name with exit code 2', async () => {
    const byNumber = await waitForExit(spawnTs(runner, ['1']));
    expect(byNumber.stdout).toBe('{"name":"Alice","age":30}\n');
    const bySlug = await waitForExit(spawnTs(runner, ['kv-basic']));
    expect(bySlug.stdout).toBe('value\nKey not found\n');
    const unknown = await waitForExit(spawnTs(runner, ['no-such-example']));
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown example(s): no-such-example');
  });
});

describe('the README', () => {
  const readme = () => readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  it('has a row for every example file', () => {
    for (const name of examples) expect(readme()).toContain(`src/${name}.ts`);
  });
  it('lists every blocked example as blocked', () => {
    for (const name of Object.keys(BLOCKED)) expect(readme()).toMatch(new RegExp(`src/${name}\\.ts.*blocked`));
  });
});
