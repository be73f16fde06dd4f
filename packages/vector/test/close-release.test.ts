// Closing frees memory at once: hnswlib does not report its native memory to V8, so an index
// or collection that is only dropped is freed whenever a full garbage collection happens to run,
// and a process that opens and closes large collections grows (issue 25).
import { DatabaseError, type Storage } from '@sochdb/core';
import { persistentFactory, type StorageFactory } from '@sochdb/core/testing';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Collection, VectorIndex } from '../src/index.js';
import { clustered } from './helpers.js';

describe('VectorIndex.close', () => {
  it('gives the native graph back to the system at once', () => {
    const dimension = 256;
    const n = 20_000;
    const index = new VectorIndex({ dimension, metric: 'euclidean', m: 4, efConstruction: 8, capacity: n });
    const data = new Float32Array(n * dimension);
    for (let i = 0; i < data.length; i++) data[i] = (i * 7919) % 1000;
    index.insertBatch(
      Array.from({ length: n }, (_, i) => `v${i}`),
      data,
    );
    const before = process.memoryUsage().rss;
    index.close();
    const freed = before - process.memoryUsage().rss;
    // The graph holds each vector (1 KiB here) plus its links: well over half of that comes back.
    expect(freed).toBeGreaterThan((n * dimension * 4) / 2);
  });

  it('makes every later use throw DatabaseError, and closing twice is a no-op', () => {
    const index = new VectorIndex({ dimension: 2, metric: 'euclidean' });
    index.insert('a', [1, 2]);
    index.close();
    index.close();
    expect(() => index.search([1, 2], 1)).toThrow(DatabaseError);
    expect(() => index.search([1, 2], 1)).toThrow(/closed/);
    expect(() => index.insert('b', [0, 0])).toThrow(DatabaseError);
    expect(() => index.insertBatch([], [])).toThrow(DatabaseError);
    expect(() => index.delete('a')).toThrow(DatabaseError);
    expect(() => index.searchAmong([1, 2], 1, ['a'])).toThrow(DatabaseError);
    expect(() => index.toBufferSync()).toThrow(DatabaseError);
    expect(index.has('a')).toBe(false);
    expect(index.size).toBe(0);
    expect(index.getVector('a')).toBeUndefined();
  });

  it('is what `using` calls', () => {
    let escaped: VectorIndex;
    {
      using index = new VectorIndex({ dimension: 2, metric: 'euclidean' });
      index.insert('a', [1, 2]);
      escaped = index;
    }
    expect(() => escaped.search([1, 2], 1)).toThrow(DatabaseError);
  });
});

describe('Collection.close', () => {
  let factory: StorageFactory;
  let storage: Storage;
  beforeEach(async () => {
    factory = persistentFactory();
    storage = await factory.open();
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    await storage.close();
    await factory.cleanup();
  });

  it('frees its graph while the object is still referenced, and the collection opens again whole', async () => {
    const closes = vi.spyOn(VectorIndex.prototype, 'close');
    const docs = await Collection.create(storage, { namespace: 'ns', name: 'docs', dimension: 16, metric: 'cosine' });
    const vectors = clustered(300, 16, 5, 3).map((v) => Array.from(v));
    await docs.insertBatch({ vectors, ids: vectors.map((_, i) => `d${i}`), contents: vectors.map((_, i) => `text number ${i}`) });
    const before = await docs.search({ vector: vectors[7]!, k: 5 });
    await docs.close();
    expect(closes).toHaveBeenCalledTimes(1);
    await expect(docs.search({ vector: vectors[7]!, k: 5 })).rejects.toThrow(DatabaseError);
    expect(docs.name).toBe('docs'); // what it was stays readable

    const again = await Collection.open(storage, { namespace: 'ns', name: 'docs' });
    expect(await again.count()).toBe(300);
    expect((await again.search({ vector: vectors[7]!, k: 5 })).map((h) => h.id)).toEqual(before.map((h) => h.id));
    expect((await again.search({ textQuery: 'number 42', k: 1 }))[0]!.id).toBe('d42');
    await again.close();
  });

  it('frees the graph of a state it replaces when the collection is dropped and made again elsewhere', async () => {
    const docs = await Collection.create(storage, { namespace: 'ns', name: 'docs', dimension: 2, metric: 'euclidean' });
    await docs.insert({ id: 'old', vector: [1, 1] });
    const closes = vi.spyOn(VectorIndex.prototype, 'close');
    // Another Collection object (as another process would) drops it and creates it anew.
    await Collection.drop(storage, { namespace: 'ns', name: 'docs' });
    const other = await Collection.create(storage, { namespace: 'ns', name: 'docs', dimension: 2, metric: 'euclidean' });
    await other.insert({ id: 'new', vector: [2, 2] });
    expect((await docs.search({ vector: [1, 1], k: 5 })).map((h) => h.id)).toEqual(['new']);
    expect(closes).toHaveBeenCalled();
    await other.close();
    await docs.close();
  });
});
