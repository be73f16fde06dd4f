import { keyRange, type Range, type Storage } from '@sochdb/core';
import { persistentFactory, type StorageFactory } from '@sochdb/core/testing';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Collection } from '../src/index.js';
import { CollectionKeys } from '../src/collection/collection-keys.js';
import { clustered } from './helpers.js';

// What opening a collection reads (issue 25: open cost independent of the text and vector bytes
// beyond the saved graph), and that exact scans, which now read vectors from storage instead of
// a copy in memory, answer as a brute-force scan does.

let factory: StorageFactory;
let storage: Storage;
const ref = { namespace: 'n', name: 'docs' } as const;
const keys = new CollectionKeys(ref.namespace, ref.name);
const data = clustered(300, 8, 4, 7);

beforeEach(async () => {
  factory = persistentFactory();
  storage = await factory.open();
  const c = await Collection.create(storage, { ...ref, dimension: 8, metric: 'euclidean' });
  await c.insertBatch({
    ids: data.map((_, i) => `d${i}`),
    vectors: data,
    contents: data.map((_, i) => `text number ${i} ${'lorem '.repeat(i % 7)}`),
    metadatas: data.map((_, i) => ({ bucket: i % 10 })),
  });
  await c.close(); // saves the graph
});
afterEach(async () => {
  await storage.close();
  await factory.cleanup();
});

/** The kinds of document keys (v, m, t, p, g) whose ranges `fn` iterates. */
async function rangesRead(fn: () => Promise<unknown>): Promise<string[]> {
  const spy = vi.spyOn(storage, 'iterator');
  try {
    await fn();
    const kinds = spy.mock.calls.map(([range]) => {
      for (const kind of ['v', 'm', 't', 'p', 'g'] as const) {
        if (Buffer.compare((range as Range).gte as Buffer, keyRange(['vec', 'n', 'd', 'docs', kind]).gte) === 0) return kind;
      }
      return 'other';
    });
    return [...new Set(kinds)].sort();
  } finally {
    spy.mockRestore();
  }
}

describe('opening a collection', () => {
  it('reads records and postings, but no vector and no text, when its graph was saved', async () => {
    let c: Collection | undefined;
    expect(await rangesRead(async () => (c = await Collection.open(storage, ref)))).toEqual(['m', 'p']);
    expect(await c!.count()).toBe(300);
    expect((await c!.keywordSearch('number 42', 1))[0]?.id).toBe('d42');
    await c!.close();
  });

  it('reads the vectors to check the saved graph when the records predate their hashes', async () => {
    for await (const [key, value] of storage.iterator(keys.range('m'))) {
      const { hash: _, ...record } = JSON.parse(value.toString('utf8')) as Record<string, unknown>;
      await storage.put(key, JSON.stringify(record));
    }
    let c: Collection | undefined;
    expect(await rangesRead(async () => (c = await Collection.open(storage, ref)))).toEqual(['m', 'p', 'v']);
    expect(await c!.count()).toBe(300);
    await c!.close();
  });

  it('answers exact filtered scans from the stored vectors as a brute-force scan does', async () => {
    const c = await Collection.open(storage, ref);
    const query = data[17]!;
    const distance = (v: Float32Array) => Math.sqrt(v.reduce((s, x, i) => s + (x - query[i]!) ** 2, 0));
    const expected = data
      .map((v, i) => [distance(v), `d${i}`] as const)
      .filter(([, id]) => Number(id.slice(1)) % 10 === 3)
      .sort((a, b) => a[0] - b[0])
      .slice(0, 5)
      .map(([, id]) => id);
    const reads = vi.spyOn(storage, 'getSync');
    const hits = await c.vectorSearch(query, 5, { filter: { bucket: 3 }, filterStrategy: 'exact' });
    expect(hits.map((h) => h.id)).toEqual(expected);
    // The 30 matching vectors came from storage (the graph keeps no copies), plus the hits' records.
    expect(reads.mock.calls.length).toBeGreaterThanOrEqual(30);
    reads.mockRestore();
    await c.close();
  });
});
