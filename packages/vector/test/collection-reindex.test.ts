// Re-indexing a collection with new HNSW settings or another metric keeps every document, and
// every open collection on the storage answers with the new settings afterwards (issue 22).
import { CollectionConfigError, type Storage } from '@sochdb/core';
import { persistentFactory, type StorageFactory } from '@sochdb/core/testing';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Collection, VectorIndex } from '../src/index.js';
import { CollectionKeys } from '../src/collection/collection-keys.js';
import { hashDoc } from '../src/hnsw/doc-vector.js';

let factory: StorageFactory;
let storage: Storage;
let docs: Collection;
const ref = { namespace: 'ns', name: 'docs' };

// Query [1, 0]: 'far' points the same way (cosine's nearest), 'near' is closest in space (euclidean's).
beforeEach(async () => {
  factory = persistentFactory();
  storage = await factory.open();
  docs = await Collection.create(storage, { ...ref, dimension: 2, metric: 'cosine' });
  await docs.insertBatch({
    ids: ['far', 'near', 'other'],
    vectors: [
      [10, 1],
      [0.5, 0.5],
      [-1, 3],
    ],
    contents: ['a', 'b', 'c'],
  });
});
afterEach(async () => {
  vi.restoreAllMocks();
  await docs.close();
  await storage.close();
  await factory.cleanup();
});

const nearest = async (c: Collection) => (await c.search({ vector: [1, 0], k: 1 }))[0]?.id;

describe('Collection.reindex', () => {
  it('switches the metric, keeps every document, and the next open loads the new graph', async () => {
    expect(await nearest(docs)).toBe('far');
    const info = await docs.reindex({ metric: 'euclidean', m: 8, efConstruction: 50 });
    expect(info).toMatchObject({ metric: 'euclidean', m: 8, efConstruction: 50, efSearch: 64, dimension: 2 });
    expect(docs.info).toMatchObject({ metric: 'euclidean', m: 8 });
    expect(await nearest(docs)).toBe('near');
    expect(await docs.count()).toBe(3);
    expect((await docs.get('far'))?.vector).toEqual([10, 1]);
    expect((await docs.search({ textQuery: 'c', k: 1 }))[0]?.id).toBe('other');

    await docs.close();
    const inserts = vi.spyOn(VectorIndex.prototype, 'insert');
    docs = await Collection.open(storage, ref);
    expect(inserts).not.toHaveBeenCalled(); // the saved graph, not a rebuild
    expect(await nearest(docs)).toBe('near');
  });

  it('a saved graph with a chunk missing is not read at all: the open rebuilds it from the stored vectors', async () => {
    await docs.close();
    const keys = new CollectionKeys(ref.namespace, ref.name);
    expect(await storage.get(keys.graphChunk(0))).toBeDefined();
    await storage.del(keys.graphChunk(0));
    const inserts = vi.spyOn(VectorIndex.prototype, 'insert');
    docs = await Collection.open(storage, ref);
    expect(inserts).toHaveBeenCalledTimes(3); // rebuilt
    expect(await nearest(docs)).toBe('far');
    expect(await docs.count()).toBe(3);
  });

  it('a saved graph that cannot be read (damaged bytes) is rebuilt from the stored vectors, not fatal', async () => {
    await docs.close();
    const keys = new CollectionKeys(ref.namespace, ref.name);
    await storage.put(keys.graphChunk(0), Buffer.from('not a graph at all, just bytes'));
    const inserts = vi.spyOn(VectorIndex.prototype, 'insert');
    docs = await Collection.open(storage, ref);
    expect(inserts).toHaveBeenCalledTimes(3);
    expect(await nearest(docs)).toBe('far');
    expect(await docs.count()).toBe(3);
  });

  it.each([
    ['with the documents hashes: the open repairs it, inserting only the changed document', true],
    ['saved by an earlier version (no hashes): the open rebuilds it', false],
  ])('a saved graph of other vectors (a write after the last save, by a process that died), %s', async (_name, withHashes) => {
    await docs.close();
    const keys = new CollectionKeys(ref.namespace, ref.name);
    if (!withHashes) {
      const { hashChunks: _, ...meta } = JSON.parse((await storage.get(keys.graphMeta()))!.toString('utf8')) as Record<string, unknown>;
      await storage.batch([
        { type: 'put', key: keys.graphMeta(), value: JSON.stringify(meta) },
        { type: 'del', key: keys.graphHashes(0) },
      ]);
    }
    // 'other' now points exactly along [1, 0], written as a process would before dying unsaved:
    // its vector and its record, which carries the vector's digest hash (the open's check).
    const vector = Buffer.from(new Float32Array([1, 0]).buffer);
    const record = JSON.parse((await storage.get(keys.doc('other')))!.toString('utf8')) as Record<string, unknown>;
    await storage.batch([
      { type: 'put', key: keys.vector('other'), value: vector },
      { type: 'put', key: keys.doc('other'), value: JSON.stringify({ ...record, hash: hashDoc('other', vector).toString(16) }) },
    ]);
    const inserts = vi.spyOn(VectorIndex.prototype, 'insert');
    const closes = vi.spyOn(VectorIndex.prototype, 'close');
    docs = await Collection.open(storage, ref);
    if (withHashes) {
      expect(closes).not.toHaveBeenCalled(); // the saved graph: restored and kept,
      expect(inserts.mock.calls.map(([id]) => id)).toEqual(['other']); // with the changed document inserted again
    } else {
      expect(closes).toHaveBeenCalledTimes(1); // the saved graph: restored, found to be of other vectors, freed
      expect(inserts).toHaveBeenCalledTimes(3); // and rebuilt
    }
    expect(await nearest(docs)).toBe('other');
    expect((await docs.search({ vector: [1, 0], k: 1 }))[0]?.score).toBeCloseTo(1, 5);
    // The repaired or rebuilt graph is saved at close, and the next open keeps it.
    await docs.close();
    inserts.mockClear();
    docs = await Collection.open(storage, ref);
    expect(inserts).not.toHaveBeenCalled();
    expect(await nearest(docs)).toBe('other');
  });

  it('checks a saved graph against the vectors themselves when records predate their hashes', async () => {
    await docs.close();
    const keys = new CollectionKeys(ref.namespace, ref.name);
    // Records without a hash (as written before they carried one), and 'other' moved unsaved.
    for (const id of ['near', 'far', 'other']) {
      const { hash, ...record } = JSON.parse((await storage.get(keys.doc(id)))!.toString('utf8')) as Record<string, unknown>;
      expect(hash).toEqual(expect.any(String));
      await storage.put(keys.doc(id), JSON.stringify(record));
    }
    await storage.put(keys.vector('other'), Buffer.from(new Float32Array([1, 0]).buffer));
    docs = await Collection.open(storage, ref);
    expect(await nearest(docs)).toBe('other');
  });

  it('is followed by another open collection on the same storage', async () => {
    const other = await Collection.open(storage, ref);
    try {
      expect(await nearest(other)).toBe('far');
      await docs.reindex({ metric: 'euclidean' });
      expect(await nearest(other)).toBe('near');
      expect(other.info.metric).toBe('euclidean');
    } finally {
      await other.close();
    }
  });

  it('changes nothing when its transaction aborts', async () => {
    const txn = storage.beginTransaction();
    await docs.reindex({ metric: 'euclidean' }, { txn });
    await txn.abort();
    expect(await nearest(docs)).toBe('far');
    expect((await Collection.info(storage, ref)).metric).toBe('cosine');
  });

  it('refuses bad settings, and cosine over an all-zero vector, with a CollectionConfigError', async () => {
    await expect(docs.reindex({ m: 1 })).rejects.toThrow(CollectionConfigError);
    await expect(docs.reindex({ metric: 'manhattan' as never })).rejects.toThrow(CollectionConfigError);
    await expect(docs.reindex(null as never)).rejects.toThrow(CollectionConfigError);
    await docs.reindex({ metric: 'euclidean' });
    await docs.insert({ id: 'zero', vector: [0, 0] });
    await expect(docs.reindex({ metric: 'cosine' })).rejects.toThrow(/'zero' has an all-zero vector/);
    expect((await Collection.info(storage, ref)).metric).toBe('euclidean');
    await docs.delete('zero');
    await docs.reindex({ metric: 'cosine' });
    expect(await nearest(docs)).toBe('far');
  });
});
