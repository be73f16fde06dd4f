// An atomic `sochdb import` larger than one piece (JOURNAL_PIECE records per commit under the
// rollback journal): a failure after several pieces, or a kill -9 between them, leaves the
// database exactly as it was — pre-existing rows and documents the import replaced included.
import { once } from 'node:events';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { makeTempDir, spawnTs } from '@sochdb/core/testing';
import { cli, runWithStdin, withDb } from './helpers.js';
import { JOURNAL_PIECE } from '../src/import-run.js';

let dir: ReturnType<typeof makeTempDir>;
const path = (name: string) => join(dir.path, name);
beforeAll(() => void (dir = makeTempDir('sochdb-journal-')));
afterAll(() => dir.cleanup());

const ROWS = 2 * JOURNAL_PIECE + 500; // two pieces commit before the bad line
const vector = (i: number) => [1, (i % 37) / 10, (i % 11) / 5];
const lines = (n: number, line: (i: number) => string, badAt: number, bad: string) =>
  Array.from({ length: n }, (_, i) => (i + 1 === badAt ? bad : line(i + 1))).join('\n');

/** What a test compares before and after: the table's rows, and the collection's documents with a search. */
async function snapshot(folder: string) {
  return withDb(folder, async (db) => {
    const rows = (await db.execute('SELECT * FROM t ORDER BY id')).rows;
    const docs = await (await db.namespace('ns')).collection('docs');
    const stored = await docs.get({ limit: 10_000 });
    const hits = (await docs.search({ vector: vector(3), k: 5 })).map((h) => [h.id, h.metadata]);
    const kv: string[] = [];
    for await (const [key, value] of db.scanPrefix('k/')) kv.push(`${key.toString()}=${value.toString()}`);
    return { rows, stored, hits, kv };
  });
}

it('a failure after several pieces leaves nothing of the import, not even the rows and documents it replaced', async () => {
  const folder = path('fail');
  await withDb(folder, async (db) => {
    await db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO t VALUES (1, 'kept'), (2, 'kept too')");
    const ns = await db.createNamespace('ns');
    const docs = await ns.createCollection({ name: 'docs', dimension: 3 });
    await docs.insertBatch({ ids: ['d1', 'd2', 'd3'], vectors: [vector(1), vector(2), vector(3)], metadatas: [{ v: 'old' }, { v: 'old' }, { v: 'old' }] });
    await db.put('k/0', 'before');
  });
  const before = await snapshot(folder);
  // Rows 3…: new; the bad line is a duplicate primary key near the end.
  const table = lines(ROWS, (i) => JSON.stringify({ id: i + 2, name: `n${i}` }), ROWS - 10, JSON.stringify({ id: 1, name: 'dup' }));
  // Documents d1…: the first three replace stored ones; the bad line has the wrong dimension.
  const docs = lines(
    ROWS,
    (i) => JSON.stringify({ id: `d${i}`, vector: vector(i + 7), metadata: { v: 'new' } }),
    ROWS - 10,
    JSON.stringify({ id: 'x', vector: [1, 2] }),
  );
  const kv = lines(ROWS, (i) => JSON.stringify({ key: `k/${i - 1}`, value: 'after' }), ROWS - 10, '{');
  const table1 = await runWithStdin(table, 'import', folder, '--table', 't');
  expect(table1.stderr).toMatch(new RegExp(`^sochdb: ConstraintError \\(\\d+\\): line ${ROWS - 10}: `));
  const docs1 = await runWithStdin(docs, 'import', folder, '--collection', 'ns/docs');
  expect(docs1.stderr).toMatch(new RegExp(`^sochdb: DimensionMismatchError \\(6001\\): line ${ROWS - 10}: `));
  const kv1 = await runWithStdin(kv, 'import', folder, '--kv');
  expect(kv1.stderr).toMatch(new RegExp(`^sochdb: ValidationError \\(6000\\): line ${ROWS - 10}: invalid JSON`));
  expect(await snapshot(folder)).toEqual(before);
  // The same input without the bad line lands whole, in one atomic import.
  const whole = await runWithStdin(
    lines(ROWS, (i) => JSON.stringify({ key: `k/${i - 1}`, value: 'after' }), 0, ''),
    'import',
    folder,
    '--kv',
    '--json',
  );
  expect(JSON.parse(whole.stdout)).toMatchObject({ rows: ROWS, commits: 1 });
  expect((await snapshot(folder)).kv).toHaveLength(ROWS);
}, 60_000);

it('an import killed -9 between pieces is undone when the database next opens', async () => {
  const folder = path('killed');
  await withDb(folder, async (db) => {
    await db.execute('CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)');
    const ns = await db.createNamespace('ns');
    await ns.createCollection({ name: 'docs', dimension: 3 });
    await db.put('k/0', 'before');
  });
  const before = await snapshot(folder);
  const child = spawnTs(cli, ['import', folder, '--kv'], { stdio: ['pipe', 'pipe', 'pipe'] });
  const exited = once(child, 'exit');
  // Two pieces and a half, and the input left open: the CLI commits two pieces, then waits.
  child.stdin!.write(lines(ROWS, (i) => JSON.stringify({ key: `k/${i - 1}`, value: 'after' }), 0, '') + '\n');
  // The journal holds two pieces' undo records once its log has grown past them.
  const journal = join(folder, 'sochdb-rollback-journal');
  const journalBytes = () =>
    existsSync(journal) ? readdirSync(journal).reduce((sum, f) => sum + (f.endsWith('.log') ? statSync(join(journal, f)).size : 0), 0) : 0;
  const deadline = Date.now() + 20_000;
  while (journalBytes() < 2 * JOURNAL_PIECE * 8 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  expect(journalBytes()).toBeGreaterThanOrEqual(2 * JOURNAL_PIECE * 8);
  await new Promise((r) => setTimeout(r, 300)); // the second piece's data lands after its undo records
  child.kill('SIGKILL');
  await exited;
  expect(await snapshot(folder)).toEqual(before);
  expect(existsSync(journal)).toBe(false);
}, 60_000);
