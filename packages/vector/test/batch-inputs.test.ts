import { SochDBError, ValidationError, type Storage } from '@sochdb/core';
import { persistentFactory, makeTempDir, type StorageFactory } from '@sochdb/core/testing';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  Bm25Index,
  bulkBuildIndex,
  bulkQueryIndex,
  Collection,
  encodeNpy,
  encodeRawF32,
  groupPostings,
  rrfFuse,
  tokenize,
  VectorIndex,
  type BatchInput,
  type GroupedPostings,
} from '../src/index.js';

// Every API that takes parallel arrays or a list of items either keeps the items one for one or
// refuses the whole call with a ValidationError: none may drop, invent or misalign an item.

let factory: StorageFactory;
let storage: Storage;
beforeEach(async () => {
  factory = persistentFactory();
  storage = await factory.open();
});
afterEach(async () => {
  await storage.close();
  await factory.cleanup();
});
const tmp = makeTempDir('sochdb-vector-batch-');
afterAll(() => tmp.cleanup());

async function allKeys(): Promise<number> {
  let n = 0;
  for await (const _ of storage.iterator()) n++;
  return n;
}

/** What a call threw (it must throw). */
async function failure(run: () => unknown): Promise<ValidationError> {
  try {
    await run();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return error as ValidationError;
  }
  throw new Error('expected the call to throw');
}

describe('Collection.insertBatch', () => {
  const v = [1, 0];
  const w = [0, 1];

  it('refuses arrays of different lengths, naming them and their lengths, and writes nothing', async () => {
    const c = await Collection.create(storage, { namespace: 'n', name: 'c', dimension: 2 });
    const before = await allKeys();
    const cases: [BatchInput, string, RegExp][] = [
      [{ ids: ['a', 'b', 'c'], vectors: [v] }, 'ids', /vectors has 1, ids has 3/],
      [{ ids: ['x'], vectors: [v, w, v] }, 'ids', /vectors has 3, ids has 1/],
      [{ vectors: [v, w], metadatas: [{ a: 1 }] }, 'metadatas', /vectors has 2, metadatas has 1/],
      [{ vectors: [v, w], contents: ['only one'] }, 'contents', /vectors has 2, contents has 1/],
      [{ vectors: [v], contents: ['one', 'two'] }, 'contents', /vectors has 1, contents has 2/],
      [{ vectors: [v, w], ids: [] }, 'ids', /vectors has 2, ids has 0/],
    ];
    for (const [batch, field, message] of cases) {
      const error = await failure(() => c.insertBatch(batch));
      expect(error).toMatchObject({ code: 6000, field });
      expect(error.message).toMatch(message);
      expect(error.remediation).toMatch(/one .* per document/);
    }
    // A string is not an array of ids, though it has a length and indexes like one.
    expect(await failure(() => c.insertBatch({ ids: 'ab' as never, vectors: [v, w] }))).toMatchObject({ field: 'ids' });
    expect(await failure(() => c.insertBatch({ vectors: [v], metadatas: { a: 1 } as never }))).toMatchObject({ field: 'metadatas' });
    // A hole in the vectors is a missing vector, not a document to skip.
    expect(await failure(() => c.insertBatch({ vectors: [v, , w] as never, ids: ['a', 'b', 'c'] }))).toMatchObject({ field: 'docs[1].vector' });
    // Inside a caller's transaction too: nothing reaches it.
    const txn = storage.beginTransaction();
    await failure(() => c.insertBatch({ ids: ['a', 'b'], vectors: [v] }, { txn }));
    expect(await c.get('a', { txn })).toBeNull();
    await txn.commit();
    expect(await allKeys()).toBe(before);
    expect(await c.count()).toBe(0);
    expect(await c.vectorSearch(v, 5)).toEqual([]);
  });

  it('still takes omitted arrays and undefined entries (generated id, no metadata, no content)', async () => {
    const c = await Collection.create(storage, { namespace: 'n', name: 'c', dimension: 2 });
    const ids = await c.insertBatch({ vectors: [v, w], ids: ['a', undefined], metadatas: [undefined, { k: 1 }], contents: ['hello', undefined] });
    expect(ids).toHaveLength(2);
    expect(ids[0]).toBe('a');
    expect(await c.get('a')).toEqual({ id: 'a', vector: v, metadata: {}, content: 'hello' });
    expect(await c.get(ids[1]!)).toEqual({ id: ids[1], vector: w, metadata: { k: 1 } });
    expect(await c.insertBatch({ vectors: [], ids: [], metadatas: [], contents: [] })).toEqual([]);
    expect(await c.count()).toBe(2);
  });
});

describe('VectorIndex.insertBatch', () => {
  it('adds every row or none: holes in ids or vectors are refused, and a length mismatch names both lengths', () => {
    const index = new VectorIndex({ dimension: 2, metric: 'euclidean' });
    index.insert('keep', [5, 5]);
    expect(() => index.insertBatch(['a', 'b'], [[1, 0], ,] as never)).toThrow(expect.objectContaining({ code: 6000, field: 'vectors[1]' }));
    expect(() =>
      index.insertBatch(['a', , 'c'] as never, [
        [1, 0],
        [0, 1],
        [1, 1],
      ]),
    ).toThrow(expect.objectContaining({ code: 6000, field: 'ids[1]' }));
    expect(() => index.insertBatch(['a', 'b', 'c'], [[1, 0]])).toThrow(/expected 3 vectors \(one per id\), got 1/);
    expect(() => index.insertBatch(['a'], new Float32Array(4))).toThrow(/must hold 2 numbers, got 4/);
    expect(index.size).toBe(1);
    expect([...index.ids()]).toEqual(['keep']);
  });

  it('refuses ids to search among that are not an iterable of strings, and filters that are not functions', () => {
    const index = new VectorIndex({ dimension: 2 });
    index.insert('a', [1, 0]);
    expect(() => index.searchAmong([1, 0], 1, null as never)).toThrow(expect.objectContaining({ code: 6000, field: 'ids' }));
    expect(() => index.search([1, 0], 1, { filter: 'a' as never })).toThrow(expect.objectContaining({ code: 6000, field: 'filter' }));
    expect(index.searchAmong([1, 0], 1, new Set(['a', 'missing']))).toEqual([{ id: 'a', distance: expect.closeTo(0, 6) }]);
  });
});

describe('bulk building and vector files', () => {
  it('bulkBuildIndex refuses ids that do not name the rows one for one, and writes no index file', async () => {
    const rows = [
      [1, 0],
      [0, 1],
      [1, 1],
    ];
    const output = join(tmp.path, 'refused.hnsw');
    // Two rows under one id would keep only the last: a 3-row build with 2 vectors in it.
    expect(await failure(() => bulkBuildIndex(rows, { output, ids: ['a', 'a', 'b'] }))).toMatchObject({ field: 'ids[1]' });
    const short = await failure(() => bulkBuildIndex(rows, { output, ids: ['a', 'b'] }));
    expect(short).toMatchObject({ field: 'ids' });
    expect(short.message).toMatch(/3 vectors.*2 ids|2 ids.*3 vectors/);
    // A bad id far into a large build is found before anything is built.
    const many = Array.from({ length: 250 }, (_, i) => [1, i + 1]);
    const ids = many.map((_, i) => (i === 240 ? '' : `d${i}`));
    expect(await failure(() => bulkBuildIndex(many, { output, ids }))).toMatchObject({ field: 'ids[240]' });
    expect(existsSync(output)).toBe(false);
  });

  it('refuses a matrix whose data holds fewer numbers than rows × dimension, instead of reading past it', async () => {
    const backing = new Float32Array(8).fill(7);
    backing.set([1, 2]);
    const view = { rows: 2, dimension: 2, data: backing.subarray(0, 2) }; // claims 2 rows, holds 1
    expect(() => encodeNpy(view)).toThrow(expect.objectContaining({ code: 6000, field: 'data' }));
    expect(() => encodeRawF32(view)).toThrow(expect.objectContaining({ code: 6000, field: 'data' }));
    expect(() => encodeNpy({ rows: 2, dimension: 2, data: new Float32Array(2) })).toThrow(/2 rows × 2 dimensions need 4 numbers, got 2/);
    expect(() => encodeRawF32({ rows: 1.5, dimension: 2, data: new Float32Array(4) })).toThrow(ValidationError);
    await expect(bulkBuildIndex(view, { output: join(tmp.path, 'view.hnsw') })).rejects.toMatchObject({ code: 6000, field: 'data' });
    // Longer data is a matrix with spare capacity: only its first rows × dimension numbers count.
    expect(encodeRawF32({ rows: 1, dimension: 2, data: backing })).toEqual(Buffer.from(Float32Array.of(1, 2).buffer));
  });

  it('refuses a hole in a list of rows instead of building a zero vector for it', async () => {
    const rows = [[1, 0], , [0, 1]] as unknown as number[][];
    await expect(bulkBuildIndex(rows, { output: join(tmp.path, 'holes.hnsw'), metric: 'euclidean' })).rejects.toMatchObject({
      code: 6000,
      field: 'vectors[1]',
    });
    await expect(bulkBuildIndex([, [1, 0]] as unknown as number[][], { output: join(tmp.path, 'holes.hnsw') })).rejects.toMatchObject({
      code: 6000,
      field: 'vectors[0]',
    });
    expect(existsSync(join(tmp.path, 'holes.hnsw'))).toBe(false);
  });

  it('bulkQueryIndex refuses query and queries together rather than answering one of them', async () => {
    const output = join(tmp.path, 'q.hnsw');
    await bulkBuildIndex(
      [
        [1, 0],
        [0, 1],
      ],
      { output, ids: ['x', 'y'] },
    );
    await expect(bulkQueryIndex({ index: output, k: 1, query: [1, 0], queries: [[0, 1]] } as never)).rejects.toMatchObject({ code: 6000, field: 'queries' });
    expect(
      await bulkQueryIndex({
        index: output,
        k: 1,
        queries: [
          [0, 1],
          [1, 0],
        ],
      }),
    ).toEqual([[{ id: 'y', distance: expect.closeTo(0, 6) }], [{ id: 'x', distance: expect.closeTo(0, 6) }]]);
  });
});

describe('BM25 and fusion inputs', () => {
  const build = () => {
    const bm = new Bm25Index();
    bm.add('d1', 'cat sat');
    bm.add('d2', 'cat mat mat');
    return bm;
  };

  it('addGrouped refuses a group whose arrays disagree, leaving the index as it was', () => {
    const bm = build();
    const before = bm.search('cat mat', 10);
    const good = groupPostings(['a cat', 'mat']);
    const broken: [string, GroupedPostings][] = [
      ['docs', { ...good, docs: Int32Array.from(good.docs, (d, i) => (i === 0 ? 7 : d)) }],
      ['tfs', { ...good, tfs: good.tfs.subarray(1) }],
      ['tfs', { ...good, tfs: Int32Array.from(good.tfs, () => 0) }],
      ['termStart', { ...good, termStart: good.termStart.subarray(1) }],
      ['lengths', { ...good, lengths: Int32Array.of(-1, 1) }],
      ['docStart', { ...good, docStart: Int32Array.of(0, 1) }],
      ['docTerms', { ...good, docTerms: Int32Array.from(good.docTerms, () => 99) }],
      ['terms', { ...good, terms: [...good.terms.slice(1), 5 as never] }],
    ];
    for (const [field, group] of broken) {
      expect(() => bm.addGrouped(['x', 'y'], group), field).toThrow(expect.objectContaining({ code: 6000, field: `group.${field}` }));
    }
    expect(() => bm.addGrouped(['x'], good)).toThrow(/1 ids, 2 documents/);
    expect(() => bm.addGrouped(null as never, good)).toThrow(expect.objectContaining({ field: 'ids' }));
    expect(() => bm.addGrouped(['x', 5 as never], good)).toThrow(expect.objectContaining({ field: 'ids[1]' }));
    expect(() => bm.addGrouped(['x', 'y'], null as never)).toThrow(expect.objectContaining({ field: 'group' }));
    expect([bm.size, bm.has('x')]).toEqual([2, false]);
    expect(bm.search('cat mat', 10)).toEqual(before);
  });

  it('refuses texts, ids and filters of the wrong type with a ValidationError instead of a TypeError', () => {
    const bm = build();
    const bad: [() => unknown, string][] = [
      [() => bm.add('x', 5 as never), 'text'],
      [() => bm.add(5 as never, 'x'), 'id'],
      [() => bm.addTerms('x', { cat: 1 } as never), 'frequencies'],
      [() => bm.scoreAll(5 as never), 'query'],
      [() => bm.search('cat', 1, 'd1' as never), 'filter'],
      [() => groupPostings(null as never), 'texts'],
      [() => groupPostings(['ok', 5 as never]), 'texts[1]'],
      [() => tokenize(undefined as never), 'text'],
    ];
    for (const [run, field] of bad) {
      expect(run, field).toThrow(expect.objectContaining({ code: 6000, field }));
    }
    expect(bm.size).toBe(2);
  });

  it('rrfFuse refuses lists that are not ranked lists of distinct string ids', () => {
    const bad: [unknown, string][] = [
      [null, 'lists'],
      [[null], 'lists[0]'],
      [[{ ids: null, weight: 1 }], 'lists[0].ids'],
      [[{ ids: ['a', 5], weight: 1 }], 'lists[0].ids[1]'],
      // A ranking cannot hold an id twice; counting it twice would silently double its score.
      [
        [
          { ids: ['a', 'b'], weight: 1 },
          { ids: ['c', 'a', 'c'], weight: 1 },
        ],
        'lists[1].ids[2]',
      ],
    ];
    for (const [lists, field] of bad) {
      let thrown: unknown;
      try {
        rrfFuse(lists as never);
      } catch (error) {
        thrown = error;
      }
      expect(thrown, field).toBeInstanceOf(SochDBError);
      expect(thrown, field).toMatchObject({ code: 6000, field });
    }
  });
});
