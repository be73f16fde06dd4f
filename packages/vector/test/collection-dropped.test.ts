// A Collection object whose collection was dropped (by another object, process or the SDK's
// deleteCollection) refuses every call with CollectionNotFoundError. It used to answer as an
// empty collection and accept inserts into keys nothing could reach again: silently lost data.
import { CollectionNotFoundError, TransactionConflictError, type Storage } from '@sochdb/core';
import { persistentFactory, type StorageFactory } from '@sochdb/core/testing';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { Collection } from '../src/index.js';

let factory: StorageFactory;
let storage: Storage;
const ref = { namespace: 'ns', name: 'docs' };
beforeEach(async () => {
  factory = persistentFactory();
  storage = await factory.open();
});
afterEach(async () => {
  await storage.close();
  await factory.cleanup();
});

const keysUnder = async (): Promise<number> => {
  let n = 0;
  for await (const _ of storage.iterator()) n++;
  return n;
};

it('every call of a dropped collection is CollectionNotFoundError, and closing it writes nothing', async () => {
  const docs = await Collection.create(storage, { ...ref, dimension: 2 });
  await docs.insert({ id: 'a', vector: [1, 2], content: 'text' });
  await Collection.drop(storage, ref);
  const calls: (() => Promise<unknown>)[] = [
    () => docs.insert({ id: 'b', vector: [1, 2] }),
    () => docs.insertBatch({ vectors: [[1, 2]] }),
    () => docs.upsert([{ id: 'b', vector: [1, 2] }]),
    () => docs.update('a', { metadata: { x: 1 } }),
    () => docs.delete('a'),
    () => docs.delete({ filter: {} }),
    () => docs.get('a'),
    () => docs.get({}),
    () => docs.peek(),
    () => docs.count(),
    () => docs.search({ vector: [1, 2] }),
    () => docs.keywordSearch('text'),
    () => docs.reindex({ m: 8 }),
    () => docs.flush(),
  ];
  for (const call of calls) await expect(call()).rejects.toThrow(CollectionNotFoundError);
  await docs.close();
  expect(await keysUnder()).toBe(0); // no stray vector, record or saved graph
});

it('a drop that commits while an insert’s transaction is open fails that insert', async () => {
  const docs = await Collection.create(storage, { ...ref, dimension: 2 });
  const txn = storage.beginTransaction();
  await docs.insert({ id: 'late', vector: [1, 2] }, { txn });
  await Collection.drop(storage, ref);
  await expect(txn.commit()).rejects.toThrow(TransactionConflictError);
  expect(await keysUnder()).toBe(0);
  await docs.close();
});

it('answers again once a collection of that name is created anew', async () => {
  const docs = await Collection.create(storage, { ...ref, dimension: 2 });
  await Collection.drop(storage, ref);
  await expect(docs.count()).rejects.toThrow(CollectionNotFoundError);
  const again = await Collection.create(storage, { ...ref, dimension: 2 });
  await again.insert({ id: 'new', vector: [3, 4] });
  expect(await docs.count()).toBe(1);
  expect((await docs.get('new'))?.vector).toEqual([3, 4]);
  await again.close();
  await docs.close();
});
