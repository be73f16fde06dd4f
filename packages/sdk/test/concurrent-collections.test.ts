// Several processes on one folder (concurrent mode): a collection open in every process answers,
// at every step, exactly what a freshly opened one does: inserts, replacements and deletes made
// by any process are seen by the others' next call, also after the owner is killed.
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { Database } from '@sochdb/sdk';
import { Collection } from '@sochdb/vector';
import { makeTempDir } from '@sochdb/core/testing';
import { CollectionNotFoundError, keyRange } from '@sochdb/core';
import { repl, type Answer } from './repl.js';

const DIM = 8;
/** A unit vector along axis i (with a small second component, so no two are equal). */
const axis = (i: number) => Array.from({ length: DIM }, (_, d) => (d === i % DIM ? 1 : d === (i + 1) % DIM ? 0.01 * (1 + Math.floor(i / DIM)) : 0));

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

it('inserts, replacements and deletes by any process are seen by every other at its next call, across an owner kill', async () => {
  const dir = makeTempDir('sochdb-conc-coll-');
  const path = join(dir.path, 'db');
  // B starts first and becomes the owner; this process and C reach it through its socket.
  const b = repl(path);
  await b.send({ sql: 'SELECT 1 AS one' });
  const db = await Database.openConcurrent(path, { syncMode: 'off', lockTimeoutMs: 15_000 });
  const c = repl(path);
  cleanup = async () => {
    await c.close();
    await b.close();
    await db.close();
    dir.cleanup();
  };
  const ns = await db.createNamespace('ns');
  const mine = await ns.createCollection({ name: 'docs', dimension: DIM, metric: 'cosine' });
  const call = async (who: typeof b, method: string, ...args: unknown[]): Promise<unknown> => {
    const answer: Answer = await who.send({ collection: ['ns', 'docs'], call: method, args });
    if (answer.error) throw new Error(`${method} failed in a child: ${JSON.stringify(answer.error)}`);
    return answer.result;
  };
  /** Every process's answer equals a fresh object's (opened now, on the same data). */
  const agree = async (expectedIds: readonly string[]) => {
    const fresh = await Collection.open(db.storage, { namespace: 'ns', name: 'docs' });
    const probe = axis(3);
    const expected = (await fresh.vectorSearch(probe, 20)).map((r) => [r.id, r.metadata]);
    expect(expected.map(([id]) => id).sort()).toEqual([...expectedIds].sort());
    const ids = (rows: unknown) => (rows as { id: string; metadata: unknown }[]).map((r) => [r.id, r.metadata]);
    expect((await mine.vectorSearch(probe, 20)).map((r) => [r.id, r.metadata])).toEqual(expected);
    expect(ids(await call(b, 'vectorSearch', probe, 20))).toEqual(expected);
    expect(ids(await call(c, 'vectorSearch', probe, 20))).toEqual(expected);
    // Exact scans: the owner's collection (on LevelDB) reads vectors from storage and caches
    // them; a vector another process replaced must not be answered from that cache.
    const exact = { filter: { by: { $ne: 'nobody' } }, filterStrategy: 'exact' } as const;
    const scanned = (await fresh.vectorSearch(probe, 20, exact)).map((r) => [r.id, r.metadata]);
    expect(scanned).toEqual(expected);
    expect(ids(await call(b, 'vectorSearch', probe, 20, exact))).toEqual(scanned);
    expect(ids(await call(c, 'vectorSearch', probe, 20, exact))).toEqual(scanned);
    expect((await mine.vectorSearch(probe, 20, exact)).map((r) => [r.id, r.metadata])).toEqual(scanned);
    // Filters on values: each process fills a field's column from the records at its first filter
    // (metadata is not kept in memory) and must keep it current with every other process's writes.
    for (const filter of [{ by: 'c' }, { by: { $in: ['test', 'b'] } }, { version: 2 }]) {
      const probeBy = (await fresh.vectorSearch(probe, 20, { filter })).map((r) => [r.id, r.metadata]);
      expect((await mine.vectorSearch(probe, 20, { filter })).map((r) => [r.id, r.metadata])).toEqual(probeBy);
      expect(ids(await call(b, 'vectorSearch', probe, 20, { filter }))).toEqual(probeBy);
      expect(ids(await call(c, 'vectorSearch', probe, 20, { filter }))).toEqual(probeBy);
      const wordsBy = (await fresh.keywordSearch('shared', 20, { filter })).map((r) => r.id);
      expect((await mine.keywordSearch('shared', 20, { filter })).map((r) => r.id)).toEqual(wordsBy);
      expect(ids(await call(c, 'keywordSearch', 'shared', 20, { filter })).map(([id]) => id)).toEqual(wordsBy);
    }
    // Keyword scores too: each process reads postings from storage, through what it knows of the
    // segments, which other processes' writes merge and compact.
    for (const query of ['shared', 'merge words', 'word']) {
      const scored = (rows: unknown) => (rows as { id: string; score: number }[]).map((r) => [r.id, r.score]);
      const keyword = scored(await fresh.keywordSearch(query, 20));
      expect(scored(await mine.keywordSearch(query, 20))).toEqual(keyword);
      expect(scored(await call(b, 'keywordSearch', query, 20))).toEqual(keyword);
      expect(scored(await call(c, 'keywordSearch', query, 20))).toEqual(keyword);
    }
    expect(await call(b, 'count')).toBe(expectedIds.length);
    expect(await mine.count()).toBe(expectedIds.length);
  };

  // B and C open the (empty) collection first, so what they learn later comes from the feed.
  expect(await call(b, 'count')).toBe(0);
  expect(await call(c, 'count')).toBe(0);
  await mine.insert({ id: 'x', vector: axis(0), metadata: { by: 'test' }, content: 'shared words from the test' });
  await agree(['x']);
  await call(b, 'insert', { id: 'y', vector: axis(1), metadata: { by: 'b' }, content: 'shared words from b' });
  await agree(['x', 'y']);
  await call(c, 'insertBatch', { ids: ['z1', 'z2'], vectors: [axis(2), axis(3)], metadatas: [{ by: 'c' }, { by: 'c' }], contents: ['shared z1', 'other z2'] });
  await agree(['x', 'y', 'z1', 'z2']);
  expect(await call(c, 'delete', 'x')).toBe(true);
  await agree(['y', 'z1', 'z2']);
  // A replacement by another process: new vector, metadata and text.
  await mine.insert({ id: 'y', vector: axis(11), metadata: { by: 'test', version: 2 }, content: 'replaced' });
  await agree(['y', 'z1', 'z2']);

  // One-document writes by another process: its writes merge the small postings segments, and
  // deletes by a third compact the merged one; every process still scores as a fresh open.
  const singles = Array.from({ length: 16 }, (_, i) => `m${i}`);
  for (const [i, id] of singles.entries()) {
    // Each a little nearer the probe than the one before: no ties in the vector checks.
    const vector = axis(20 + i).map((x, d) => (d === 3 ? x + 0.003 * (i + 1) : x));
    await call(c, 'insert', { id, vector, metadata: { by: 'c' }, content: `shared merge ${i} ${'word '.repeat(i % 4)}` });
  }
  await agree(['y', 'z1', 'z2', ...singles]);
  const segments = async () => {
    let n = 0;
    for await (const _ of db.storage.iterator(keyRange(['vec', 'ns', 'd', 'docs', 's']))) n++;
    return n;
  };
  expect(await segments()).toBeLessThan(8); // 19 one- or two-document writes, merged
  for (const id of singles.slice(0, 10)) expect(await call(b, 'delete', id)).toBe(true);
  await agree(['y', 'z1', 'z2', ...singles.slice(10)]);

  // The owner dies without closing; the others elect a new owner and keep following.
  b.child.kill('SIGKILL');
  await new Promise((resolve) => b.child.once('exit', resolve));
  await call(c, 'insert', { id: 'w', vector: axis(4), metadata: { by: 'c' }, content: 'shared after the kill' });
  expect((await mine.keywordSearch('kill', 5)).map((r) => r.id)).toEqual(['w']);
  await mine.delete('z2');
  expect(await call(c, 'count')).toBe(3 + 6);
  expect(((await call(c, 'vectorSearch', axis(3), 1)) as { id: string }[]).map((r) => r.id)).not.toContain('z2');
}, 90_000);

it('a collection dropped by another process: the open object here refuses every call and writes nothing', async () => {
  const dir = makeTempDir('sochdb-conc-drop-');
  const path = join(dir.path, 'db');
  const owner = repl(path);
  await owner.send({ sql: 'SELECT 1 AS one' });
  const db = await Database.openConcurrent(path, { syncMode: 'off', lockTimeoutMs: 15_000 });
  cleanup = async () => {
    await owner.close();
    await db.close();
    dir.cleanup();
  };
  const docs = await (await db.createNamespace('app')).createCollection({ name: 'docs', dimension: 2, metric: 'euclidean' });
  await docs.insert({ id: 'a', vector: [1, 2] });
  expect((await owner.send({ db: 'deleteNamespace', args: ['app'] })).error).toBeUndefined();

  await expect(docs.count()).rejects.toThrow(CollectionNotFoundError);
  await expect(docs.insert({ id: 'lost', vector: [3, 4] })).rejects.toThrow(CollectionNotFoundError);
  await expect(docs.get('a')).rejects.toThrow(CollectionNotFoundError);
  await docs.close();
  let left = 0;
  for await (const _ of db.storage.iterator(keyRange(['vec', 'app']))) left++;
  expect(left).toBe(0);
});
