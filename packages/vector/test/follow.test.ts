// An open collection follows every commit to its documents, whoever made it: here another
// Collection object on the same storage (the multi-process case is in @sochdb/sdk's tests).
import { CollectionNotFoundError, type Storage } from '@sochdb/core';
import { persistentFactory, memoryFactory, type StorageFactory } from '@sochdb/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { Collection } from '../src/index.js';
import { clustered, rng } from './helpers.js';

const DIM = 16;
const vectors = clustered(400, DIM, 8, 7);

let factory: StorageFactory;
let storage: Storage;
afterEach(async () => {
  await storage.close();
  await factory.cleanup();
});

/** What a freshly opened collection answers: the reference every follower must equal. */
async function answers(c: Collection, probes: readonly number[]) {
  const out: unknown[] = [await c.count()];
  for (const p of probes) {
    out.push((await c.vectorSearch(vectors[p]!, 5, { efSearch: 200 })).map((r) => [r.id, r.metadata]));
    out.push((await c.keywordSearch(`word${p % 13}`, 5)).map((r) => r.id));
    out.push((await c.vectorSearch(vectors[p]!, 5, { filter: { bucket: p % 4 }, efSearch: 200 })).map((r) => r.id));
  }
  return out;
}

describe.each([
  ['level', persistentFactory, 16 * 1024 * 1024],
  ['memory', memoryFactory, 16 * 1024 * 1024],
  // A log this small forces the follower to reload instead of catching up, now and then.
  ['level, tiny commit log', persistentFactory, 2048],
] as const)('a collection follows other writers (%s)', (_name, makeFactory, changeLogBytes) => {
  it('sees inserts, replacements and deletes made through another object at its next call', async () => {
    factory = makeFactory();
    storage = await factory.open({ syncMode: 'off', changeLogBytes });
    const a = await Collection.create(storage, { namespace: 'ns', name: 'docs', dimension: DIM, metric: 'cosine' });
    const b = await Collection.open(storage, { namespace: 'ns', name: 'docs' });
    const next = rng(3);
    const live = new Set<string>();
    // Every version its own vector: equal distances would let two correct graphs order hits differently.
    let fresh = 0;
    for (let step = 0; step < 40; step++) {
      const writer = next() < 0.5 ? a : b;
      const roll = next();
      if (roll < 0.6 || live.size === 0) {
        const n = 1 + Math.floor(next() * 8);
        const ids = Array.from({ length: n }, () => `d${Math.floor(next() * 120)}`);
        const unique = [...new Set(ids)];
        await writer.insertBatch({
          ids: unique,
          vectors: unique.map(() => vectors[fresh++]!),
          metadatas: unique.map((_, i) => ({ bucket: (step + i) % 4, step })),
          contents: unique.map((_, i) => `word${(step + i) % 13} text of step ${step}`),
        });
        for (const id of unique) live.add(id);
      } else {
        const id = [...live][Math.floor(next() * live.size)]!;
        expect(await writer.delete(id)).toBe(true);
        live.delete(id);
      }
      if (step % 5 === 4) {
        const reopened = await Collection.open(storage, { namespace: 'ns', name: 'docs' });
        const probes = [step, step * 7 + 1, step * 13 + 2].map((p) => p % vectors.length);
        const expected = await answers(reopened, probes);
        expect(await answers(a, probes)).toEqual(expected);
        expect(await answers(b, probes)).toEqual(expected);
        expect(expected[0]).toBe(live.size);
        await reopened.close();
      }
    }
    await a.close();
    await b.close();
  });
});

it('a collection dropped and recreated elsewhere is followed too', async () => {
  factory = persistentFactory();
  storage = await factory.open({ syncMode: 'off' });
  const a = await Collection.create(storage, { namespace: 'ns', name: 'docs', dimension: DIM });
  await a.insert({ id: 'x', vector: vectors[0]!, content: 'hello world' });
  await Collection.drop(storage, { namespace: 'ns', name: 'docs' });
  // Not an empty answer: the collection is gone, and writes must not land in unreachable keys.
  await expect(a.count()).rejects.toThrow(CollectionNotFoundError);
  await expect(a.keywordSearch('hello')).rejects.toThrow(/was dropped/);
  await expect(a.insert({ id: 'lost', vector: vectors[2]! })).rejects.toThrow(CollectionNotFoundError);
  const again = await Collection.create(storage, { namespace: 'ns', name: 'docs', dimension: DIM });
  await again.insert({ id: 'y', vector: vectors[1]!, content: 'hello again' });
  expect((await a.keywordSearch('hello')).map((r) => r.id)).toEqual(['y']);
  expect((await a.vectorSearch(vectors[1]!, 1)).map((r) => r.id)).toEqual(['y']);
});

it('a collection created again elsewhere with other settings is reloaded with them', async () => {
  factory = persistentFactory();
  storage = await factory.open({ syncMode: 'off' });
  const a = await Collection.create(storage, { namespace: 'ns', name: 'docs', dimension: DIM, metric: 'cosine' });
  await a.insert({ id: 'x', vector: vectors[0]! });
  await Collection.drop(storage, { namespace: 'ns', name: 'docs' });
  const other = await Collection.create(storage, { namespace: 'ns', name: 'docs', dimension: 3, metric: 'euclidean' });
  await other.insert({ id: 'p', vector: [1, 0, 0] });
  expect(await a.count()).toBe(1);
  expect(a.info).toMatchObject({ dimension: 3, metric: 'euclidean' });
  expect((await a.vectorSearch([1, 0, 0], 1)).map((r) => [r.id, r.distance])).toEqual([['p', 0]]);
  // Another collection of the namespace changes nothing here.
  const sibling = await Collection.create(storage, { namespace: 'ns', name: 'sibling', dimension: 3 });
  await sibling.insert({ id: 'q', vector: [0, 1, 0] });
  expect(await a.count()).toBe(1);
});

describe("search reads its hits' text from storage", () => {
  it('a record rewritten between the ranking and the read makes the search catch up and rank again', async () => {
    factory = persistentFactory();
    storage = await factory.open({ syncMode: 'off' });
    const writer = await Collection.create(storage, { namespace: 'ns', name: 'docs', dimension: 2 });
    await writer.insertBatch({
      ids: ['x', 'y'],
      vectors: [
        [1, 0],
        [0, 1],
      ],
      contents: ['alpha beta', 'alpha gamma'],
    });
    // The reader's storage lets another writer commit just before the reader reads its hits (it
    // offers no synchronous reads, as a concurrent-mode client's does not, so hits come by getMany).
    let before: (() => Promise<void>) | undefined;
    const hooked = new Proxy(storage, {
      get(target, prop) {
        const value: unknown = Reflect.get(target, prop, target);
        if (prop === 'supports') return { ...target.supports, getSync: false };
        if (prop === 'getMany') {
          return async (keys: Buffer[]) => {
            const run = before;
            before = undefined;
            await run?.();
            return target.getMany(keys);
          };
        }
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });
    const reader = await Collection.open(hooked, { namespace: 'ns', name: 'docs' });
    expect((await reader.keywordSearch('alpha', 5)).map((r) => [r.id, r.content])).toEqual([
      ['x', 'alpha beta'],
      ['y', 'alpha gamma'],
    ]);
    before = async () => void (await writer.update('x', { content: 'delta' }));
    // Ranked with x's old text, read after the update: x's record names another segment, so the
    // search catches up and ranks again, and x (no longer about alpha) is not returned with 'delta'.
    expect((await reader.keywordSearch('alpha', 5)).map((r) => [r.id, r.content])).toEqual([['y', 'alpha gamma']]);
    before = async () => void (await writer.delete('y'));
    expect(await reader.keywordSearch('alpha', 5)).toEqual([]);
    expect((await reader.vectorSearch([1, 0], 1)).map((r) => [r.id, r.content])).toEqual([['x', 'delta']]);
    await reader.close();
    await writer.close();
  });
});
