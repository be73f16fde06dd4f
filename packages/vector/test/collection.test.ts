import {
  CollectionConfigError,
  CollectionExistsError,
  CollectionNotFoundError,
  DimensionMismatchError,
  keyRange,
  MemoryStorage,
  ValidationError,
  type Storage,
} from '@sochdb/core';
import { persistentFactory, type StorageFactory } from '@sochdb/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Collection } from '../src/index.js';
import { clustered } from './helpers.js';

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

async function keysUnder(prefix: readonly (string | number)[]): Promise<number> {
  let n = 0;
  for await (const _ of storage.iterator(keyRange(prefix))) n++;
  return n;
}

describe('Collection lifecycle', () => {
  it('runs the seed example: create, insert, batch insert, search with filter, keyword, hybrid, convenience methods', async () => {
    const collection = await Collection.create(storage, {
      namespace: 'tenant_123',
      name: 'documents',
      dimension: 384,
      metric: 'cosine',
      m: 16,
      efConstruction: 100,
    });
    const vec = (seed: number) => Array.from(clustered(1, 384, 1, seed)[0]!);
    const id = await collection.insert({
      vector: vec(1),
      metadata: { source: 'web', url: 'https://example.com' },
      id: 'doc_001',
      content: 'machine learning for search',
    });
    expect(id).toBe('doc_001');
    await collection.insertBatch({
      vectors: [vec(2), vec(3), vec(4)],
      metadatas: [{ type: 'a' }, { type: 'b' }, { type: 'c' }],
      ids: ['doc_1', 'doc_2', 'doc_3'],
      contents: ['neural networks and deep learning', 'ML algorithms explained', undefined],
    });
    expect(await collection.count()).toBe(4);

    const filtered = await collection.search({ vector: vec(2), k: 10, filter: { source: 'web' } });
    expect(filtered.map((r) => r.id)).toEqual(['doc_001']);
    expect(filtered[0]).toMatchObject({ metadata: { source: 'web', url: 'https://example.com' }, content: 'machine learning for search' });

    const keyword = await collection.search({ textQuery: 'machine learning', k: 10 });
    expect(keyword.map((r) => r.id)).toEqual(['doc_001', 'doc_1']);
    const hybrid = await collection.search({ vector: vec(3), textQuery: 'ML algorithms', k: 10, alpha: 0.7 });
    expect(hybrid[0]!.id).toBe('doc_2'); // first in both rankings
    expect(hybrid.map((r) => r.score)).toEqual([...hybrid.map((r) => r.score)].sort((a, b) => b - a));

    expect((await collection.vectorSearch(vec(4), 1))[0]).toMatchObject({ id: 'doc_3', score: expect.closeTo(1, 5), metadata: { type: 'c' } });
    expect((await collection.keywordSearch('neural networks', 10)).map((r) => r.id)).toEqual(['doc_1']);
    expect((await collection.hybridSearch(vec(2), 'deep learning', 10))[0]!.id).toBe('doc_1');
  });

  it('creates, lists, reports, opens and drops collections per namespace', async () => {
    await Collection.create(storage, { namespace: 'a', name: 'docs', dimension: 4 });
    await Collection.create(storage, { namespace: 'a', name: 'images', dimension: 8, metric: 'euclidean' });
    const other = await Collection.create(storage, { namespace: 'b', name: 'docs', dimension: 4 });
    await other.insert({ id: 'x', vector: [1, 0, 0, 0] });
    expect((await Collection.list(storage, 'a')).map((c) => [c.name, c.dimension, c.metric])).toEqual([
      ['docs', 4, 'cosine'],
      ['images', 8, 'euclidean'],
    ]);
    await expect(Collection.create(storage, { namespace: 'a', name: 'docs' })).rejects.toBeInstanceOf(CollectionExistsError);
    await expect(Collection.open(storage, { namespace: 'c', name: 'docs' })).rejects.toMatchObject({ code: 4001 });
    const docsA = await Collection.open(storage, { namespace: 'a', name: 'docs' });
    expect(await docsA.count()).toBe(0); // namespace b's document is not visible here
    expect(await docsA.get('x')).toBeNull();

    await Collection.drop(storage, { namespace: 'b', name: 'docs' });
    expect(await Collection.exists(storage, { namespace: 'b', name: 'docs' })).toBe(false);
    expect(await keysUnder(['vec', 'b'])).toBe(0);
    await expect(Collection.drop(storage, { namespace: 'b', name: 'docs' })).rejects.toBeInstanceOf(CollectionNotFoundError);
    const again = await Collection.create(storage, { namespace: 'b', name: 'docs', dimension: 4 });
    expect(await again.count()).toBe(0);

    await Collection.dropNamespace(storage, 'a');
    expect(await Collection.list(storage, 'a')).toEqual([]);
    expect(await Collection.list(storage, 'b')).toHaveLength(1);
  });

  it('create and drop take part in a caller transaction', async () => {
    const ref = { namespace: 'n', name: 'tx' };
    const txn = storage.beginTransaction();
    await Collection.create(storage, { ...ref, dimension: 2 }, { txn });
    expect(await Collection.exists(txn, ref)).toBe(true);
    expect(await Collection.exists(storage, ref)).toBe(false);
    await txn.abort();
    expect(await Collection.exists(storage, ref)).toBe(false);

    const c = await Collection.create(storage, { ...ref, dimension: 2 });
    await c.insert({ id: 'a', vector: [1, 0], content: 'words' });
    const drop = storage.beginTransaction();
    await Collection.drop(storage, ref, { txn: drop });
    expect(await Collection.exists(storage, ref)).toBe(true);
    await drop.commit();
    expect(await Collection.exists(storage, ref)).toBe(false);
    expect(await keysUnder(['vec', 'n'])).toBe(0);
  });

  it('refuses bad configs with CollectionConfigError naming the problem', async () => {
    await expect(Collection.create(storage, { namespace: 'a', name: 'x', dimension: 0 })).rejects.toBeInstanceOf(CollectionConfigError);
    await expect(Collection.create(storage, { namespace: 'a', name: 'x', metric: 'hamming' as never })).rejects.toThrow(/metric must be one of/);
    await expect(Collection.create(storage, { namespace: 'a', name: '', dimension: 3 })).rejects.toMatchObject({ code: 4003 });
    await expect(Collection.create(storage, { namespace: '', name: 'x' })).rejects.toMatchObject({ code: 4003 });
    await expect(Collection.open(storage, { namespace: 'a', name: '' })).rejects.toBeInstanceOf(ValidationError);
  });
});

describe('Collection documents', () => {
  it('inserts, gets, replaces and deletes documents, with generated ids when omitted', async () => {
    const c = await Collection.create(storage, { namespace: 'n', name: 'c', dimension: 3, metric: 'euclidean' });
    const generated = await c.insert({ vector: [1, 2, 3] });
    expect(generated).toMatch(/^[0-9a-f-]{36}$/);
    await c.insert({ id: 'd', vector: [0.5, 0, 0], metadata: { n: 1 }, content: 'first' });
    expect(await c.get('d')).toEqual({ id: 'd', vector: [0.5, 0, 0], metadata: { n: 1 }, content: 'first' });
    await c.insert({ id: 'd', vector: [9, 9, 9], metadata: { n: 2 } }); // replace
    expect(await c.get('d')).toEqual({ id: 'd', vector: [9, 9, 9], metadata: { n: 2 } });
    expect(await c.count()).toBe(2);
    expect(await c.keywordSearch('first')).toEqual([]); // old text no longer indexed
    expect((await c.vectorSearch([9, 9, 9], 1))[0]).toMatchObject({ id: 'd', distance: 0, score: 1 });
    expect(await c.delete('d')).toBe(true);
    expect(await c.delete('d')).toBe(false);
    expect(await c.get('d')).toBeNull();
    expect((await c.vectorSearch([9, 9, 9], 5)).map((r) => r.id)).toEqual([generated]);
  });

  it('search results carry the committed metadata and content, isolated from the caller objects', async () => {
    const c = await Collection.create(storage, { namespace: 'n', name: 'c', dimension: 2, metric: 'euclidean' });
    const metadata = { tag: 'a', nested: { n: 1 } };
    await c.insert({ id: 'x', vector: [1, 0], metadata, content: 'hello world' });
    await c.insert({ id: 'y', vector: [0, 1] });
    // Mutating the inserted object or a returned result must change neither later results nor filters.
    metadata.tag = 'changed';
    metadata.nested.n = 2;
    const [first] = await c.vectorSearch([1, 0], 1);
    expect(first).toMatchObject({ id: 'x', metadata: { tag: 'a', nested: { n: 1 } }, content: 'hello world' });
    (first!.metadata as { tag: string }).tag = 'mutated';
    expect((await c.vectorSearch([1, 0], 2, { filter: { tag: 'a' } })).map((r) => [r.id, r.metadata, r.content])).toEqual([
      ['x', { tag: 'a', nested: { n: 1 } }, 'hello world'],
    ]);
    expect(await c.vectorSearch([1, 0], 2, { filter: { tag: 'changed' } })).toEqual([]);
    const [second] = await c.vectorSearch([0, 1], 1);
    expect(second).toEqual({ id: 'y', score: 1, distance: 0, metadata: {} });
    // After a replace, results show the new version; after a delete, it is gone.
    await c.insert({ id: 'x', vector: [1, 0], metadata: { tag: 'b' } });
    expect((await c.keywordSearch('hello')).length).toBe(0);
    expect((await c.vectorSearch([1, 0], 1))[0]).toEqual({ id: 'x', score: 1, distance: 0, metadata: { tag: 'b' } });
  });

  it('takes its dimension from the first vector when created without one, and keeps it after reopen', async () => {
    const c = await Collection.create(storage, { namespace: 'n', name: 'auto' });
    expect(c.dimension).toBeNull();
    await c.insert({ id: 'a', vector: [1, 2, 3, 4, 5] });
    expect(c.dimension).toBe(5);
    await expect(c.insert({ id: 'b', vector: [1, 2] })).rejects.toMatchObject({ code: 6001, expected: 5, actual: 2 });
    await expect(c.vectorSearch([1, 2], 1)).rejects.toBeInstanceOf(DimensionMismatchError);
    expect((await Collection.open(storage, { namespace: 'n', name: 'auto' })).dimension).toBe(5);
  });

  it('writes through a caller transaction: an abort leaves nothing in storage or in the index', async () => {
    const c = await Collection.create(storage, { namespace: 'n', name: 't', dimension: 2 });
    await c.insert({ id: 'keep', vector: [1, 0], content: 'kept words' });
    const before = await keysUnder(['vec', 'n']);
    const txn = storage.beginTransaction();
    await c.insert({ id: 'ghost', vector: [0, 1], content: 'ghost words', metadata: { k: 'v' } }, { txn });
    await c.delete('keep', { txn });
    expect(await c.get('ghost', { txn })).not.toBeNull(); // visible inside the transaction
    expect(await c.get('ghost')).toBeNull(); // but not outside
    await txn.abort();
    expect(await keysUnder(['vec', 'n'])).toBe(before);
    expect(await c.count()).toBe(1);
    expect((await c.vectorSearch([0, 1], 5)).map((r) => r.id)).toEqual(['keep']);
    expect(await c.keywordSearch('ghost')).toEqual([]);

    const committed = storage.beginTransaction();
    await c.insert({ id: 'real', vector: [0, 1], content: 'real words' }, { txn: committed });
    expect(await c.count()).toBe(1); // not applied until commit
    await committed.commit();
    expect(await c.count()).toBe(2);
    expect((await c.keywordSearch('words')).map((r) => r.id).sort()).toEqual(['keep', 'real']);
  });

  it('a collection created without a dimension inside a transaction fixes it only on commit', async () => {
    const c = await Collection.create(storage, { namespace: 'n', name: 'auto-t' });
    const txn = storage.beginTransaction();
    await c.insert({ id: 'a', vector: [1, 1, 1] }, { txn });
    await expect(c.insert({ id: 'b', vector: [1, 1] }, { txn })).rejects.toBeInstanceOf(DimensionMismatchError);
    await txn.abort();
    expect(c.dimension).toBeNull();
    await c.insert({ id: 'a', vector: [1, 1] });
    expect(c.dimension).toBe(2);
  });

  it('refuses bad documents and bad batches without writing anything', async () => {
    const c = await Collection.create(storage, { namespace: 'n', name: 'bad', dimension: 2 });
    const before = await keysUnder(['vec', 'n']);
    await expect(c.insert({ vector: [1, Number.NaN] })).rejects.toMatchObject({ code: 6000, field: 'doc.vector[1]' });
    // Typed arrays too, naming the value given (1e39 is beyond float32: it would be stored as Infinity).
    await expect(c.insert({ vector: Float32Array.of(Number.NEGATIVE_INFINITY, 1) })).rejects.toMatchObject({ code: 6000, field: 'doc.vector[0]' });
    await expect(c.insert({ vector: Float64Array.of(1, 1e39) })).rejects.toThrow(/doc\.vector\[1\] is 1e\+39; every component must be a finite float32 number/);
    await expect(c.insert({ vector: [1, '2' as never] })).rejects.toMatchObject({ code: 6000, field: 'doc.vector[1]' });
    await expect(c.insert({ vector: [1, 2], metadata: { when: new Date() } as never })).rejects.toThrow(/metadata must be JSON/);
    await expect(c.insert({ vector: [1, 2], metadata: [1] as never })).rejects.toThrow(/plain object/);
    await expect(c.insert({ vector: [1, 2], content: 5 as never })).rejects.toThrow(/content must be a string/);
    await expect(c.insert({ id: '', vector: [1, 2] })).rejects.toBeInstanceOf(ValidationError);
    await expect(
      c.insertBatch({
        vectors: [
          [1, 2],
          [3, 4],
        ],
        ids: ['x', 'x'],
      }),
    ).rejects.toThrow(/twice/);
    await expect(c.insertBatch({ vectors: [[1, 2], [3]] })).rejects.toMatchObject({ code: 6001, field: 'docs[1].vector' });
    expect(await keysUnder(['vec', 'n'])).toBe(before);
    expect(await c.count()).toBe(0);
    await expect(c.search({ k: 3 })).rejects.toThrow(/needs a vector, a textQuery, or both/);
    await expect(c.search({ textQuery: 'x', alpha: 2 })).rejects.toThrow(/alpha/);
    await expect(c.search({ textQuery: 'x', k: 0 })).rejects.toThrow(/k must be/);
    await expect(c.search({ textQuery: 'x', filter: { a: { $regex: 'x' } } as never })).rejects.toMatchObject({ field: 'filter.a.$regex' });
  });

  it('works the same on MemoryStorage', async () => {
    const mem = await MemoryStorage.open();
    const c = await Collection.create(mem, { namespace: 'n', name: 'm', dimension: 2 });
    await c.insertBatch({
      vectors: [
        [1, 0],
        [0, 1],
      ],
      ids: ['x', 'y'],
      contents: ['hello', 'world'],
    });
    expect((await c.vectorSearch([1, 0.1], 1))[0]!.id).toBe('x');
    expect((await c.keywordSearch('world'))[0]!.id).toBe('y');
    await mem.close();
  });
});
