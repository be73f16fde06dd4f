// Keeping a collection's documents up to date the way Chroma and LanceDB users do: read them
// back in pages, change part of one, upsert, delete by ids or by a metadata filter (issue 22).
import { ValidationError, type Storage } from '@sochdb/core';
import { persistentFactory, type StorageFactory } from '@sochdb/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Collection } from '../src/index.js';

let factory: StorageFactory;
let storage: Storage;
let docs: Collection;

const ids = ['a', 'b', 'c', 'd', 'e', 'f'];
const vectorOf = (i: number): number[] => [1, i, 0];

beforeEach(async () => {
  factory = persistentFactory();
  storage = await factory.open();
  docs = await Collection.create(storage, { namespace: 'ns', name: 'docs', dimension: 3, metric: 'euclidean' });
  // Inserted out of id order: get() must return id order anyway.
  for (const i of [3, 0, 5, 1, 4, 2]) {
    await docs.insert({ id: ids[i]!, vector: vectorOf(i), metadata: { n: i, even: i % 2 === 0, tag: 'x' }, content: `document ${ids[i]} about topic${i}` });
  }
});
afterEach(async () => {
  await docs.close();
  await storage.close();
  await factory.cleanup();
});

describe('Collection.get(query) and peek', () => {
  it('returns every document in id order, with its vector, metadata and text', async () => {
    const all = await docs.get({});
    expect(all.map((d) => d.id)).toEqual(ids);
    expect(all[2]).toEqual({ id: 'c', vector: [1, 2, 0], metadata: { n: 2, even: true, tag: 'x' }, content: 'document c about topic2' });
    expect((await docs.peek(2)).map((d) => d.id)).toEqual(['a', 'b']);
    expect(await docs.peek(0)).toEqual([]);
  });

  it('filters by metadata and pages by offset or by the afterId cursor', async () => {
    expect((await docs.get({ filter: { even: true } })).map((d) => d.id)).toEqual(['a', 'c', 'e']);
    expect((await docs.get({ filter: { n: { $gte: 1 } }, offset: 1, limit: 2 })).map((d) => d.id)).toEqual(['c', 'd']);
    const seen: string[] = [];
    let afterId: string | undefined;
    for (;;) {
      const page = await docs.get({ limit: 4, ...(afterId === undefined ? {} : { afterId }) });
      seen.push(...page.map((d) => d.id));
      if (page.length < 4) break;
      afterId = page.at(-1)!.id;
    }
    expect(seen).toEqual(ids);
  });

  it('reads given ids in the order given, skipping missing ones and repeats', async () => {
    const got = await docs.get({ ids: ['e', 'zz', 'a', 'e'], filter: { tag: 'x' } });
    expect(got.map((d) => d.id)).toEqual(['e', 'a']);
    expect(await docs.get('zz')).toBeNull();
    expect((await docs.get('b'))?.metadata).toEqual({ n: 1, even: false, tag: 'x' });
  });

  it('refuses a malformed query with a ValidationError naming the field', async () => {
    await expect(docs.get({ limit: -1 })).rejects.toThrow(ValidationError);
    await expect(docs.get({ offset: 1.5 })).rejects.toThrow(/offset/);
    await expect(docs.get({ ids: ['a'], afterId: 'a' })).rejects.toThrow(/ids or afterId/);
    await expect(docs.get({ ids: ['a', ''] })).rejects.toThrow(/ids\[1\]/);
    await expect(docs.get({ filter: { n: { $bogus: 1 } } as never })).rejects.toThrow(ValidationError);
    await expect(docs.get(null as never)).rejects.toThrow(ValidationError);
  });

  it('sees a transaction’s own writes through { txn }', async () => {
    const txn = storage.beginTransaction();
    await docs.insert({ id: 'aa', vector: [9, 9, 9] }, { txn });
    expect((await docs.get({ limit: 2 }, { txn })).map((d) => d.id)).toEqual(['a', 'aa']);
    expect((await docs.get({ limit: 2 })).map((d) => d.id)).toEqual(['a', 'b']);
    await txn.abort();
  });
});

describe('Collection.update', () => {
  it('merges metadata, keeps the vector and text, and searches see the change', async () => {
    expect(await docs.update('c', { metadata: { tag: 'y', even: undefined, added: [1, 2] } })).toBe(true);
    const c = await docs.get('c');
    expect(c).toEqual({ id: 'c', vector: [1, 2, 0], metadata: { n: 2, tag: 'y', added: [1, 2] }, content: 'document c about topic2' });
    expect((await docs.search({ vector: [1, 2, 0], k: 6, filter: { tag: 'y' } })).map((h) => h.id)).toEqual(['c']);
    expect((await docs.search({ textQuery: 'topic2', k: 3 }))[0]?.id).toBe('c');
  });

  it('replaces the text (or removes it with null) and the vector', async () => {
    await docs.update('a', { content: 'entirely new words', vector: [1, 40, 0] });
    expect((await docs.search({ textQuery: 'entirely', k: 3 })).map((h) => h.id)).toEqual(['a']);
    expect(await docs.search({ textQuery: 'topic0', k: 3 })).toEqual([]);
    expect((await docs.search({ vector: [1, 40, 0], k: 1 }))[0]?.id).toBe('a');
    await docs.update('a', { content: null });
    expect(await docs.search({ textQuery: 'entirely', k: 3 })).toEqual([]);
    expect((await docs.get('a'))?.content).toBeUndefined();
    expect((await docs.get('a'))?.metadata).toEqual({ n: 0, even: true, tag: 'x' });
  });

  it('resolves false for a missing id and writes nothing', async () => {
    const lsn = await storage.latestLsn();
    expect(await docs.update('nope', { metadata: { tag: 'y' } })).toBe(false);
    expect(await docs.count()).toBe(6);
    expect(await storage.latestLsn()).toBe(lsn);
  });

  it('refuses a bad patch with a ValidationError and changes nothing', async () => {
    await expect(docs.update('a', null as never)).rejects.toThrow(ValidationError);
    await expect(docs.update('a', { metadata: [1] as never })).rejects.toThrow(/patch.metadata/);
    await expect(docs.update('a', { vector: [1, 2] })).rejects.toThrow(/dimension/i);
    await expect(docs.update('a', { metadata: { when: new Date() as never } })).rejects.toThrow(ValidationError);
    expect(await docs.get('a')).toEqual({ id: 'a', vector: [1, 0, 0], metadata: { n: 0, even: true, tag: 'x' }, content: 'document a about topic0' });
  });

  it('is undone with an aborted transaction, and survives reopening when committed', async () => {
    const txn = storage.beginTransaction();
    await docs.update('b', { metadata: { tag: 'gone' } }, { txn });
    await txn.abort();
    expect((await docs.get('b'))?.metadata.tag).toBe('x');
    expect(await docs.search({ vector: [1, 1, 0], k: 6, filter: { tag: 'gone' } })).toEqual([]);

    await docs.update('b', { metadata: { tag: 'kept' } });
    await docs.close();
    docs = await Collection.open(storage, { namespace: 'ns', name: 'docs' });
    expect((await docs.search({ vector: [1, 1, 0], k: 6, filter: { tag: 'kept' } })).map((h) => h.id)).toEqual(['b']);
  });
});

describe('Collection.upsert', () => {
  it('replaces existing ids and adds new ones, one or many at once', async () => {
    expect(await docs.upsert({ id: 'a', vector: [0, 0, 7], metadata: { tag: 'new' } })).toBe('a');
    expect(
      await docs.upsert([
        { id: 'b', vector: [0, 0, 8] },
        { id: 'g', vector: [0, 0, 9], content: 'fresh' },
      ]),
    ).toEqual(['b', 'g']);
    expect(await docs.count()).toBe(7);
    expect(await docs.get('a')).toEqual({ id: 'a', vector: [0, 0, 7], metadata: { tag: 'new' } });
    expect((await docs.search({ vector: [0, 0, 9], k: 1 }))[0]?.id).toBe('g');
  });
});

describe('Collection.delete', () => {
  it('deletes by ids and by filter, resolving with how many went', async () => {
    expect(await docs.delete(['a', 'b', 'missing'])).toBe(2);
    expect(await docs.delete({ filter: { even: true } })).toBe(2); // c, e
    expect((await docs.get({})).map((d) => d.id)).toEqual(['d', 'f']);
    expect(await docs.count()).toBe(2);
    expect((await docs.search({ vector: [1, 2, 0], k: 6 })).map((h) => h.id).sort()).toEqual(['d', 'f']);
    expect(await docs.search({ textQuery: 'topic2', k: 3 })).toEqual([]);
    expect(await docs.delete({ ids: ['d', 'f'], filter: { n: 5 } })).toBe(1);
    expect(await docs.delete('d')).toBe(true);
    expect(await docs.delete('d')).toBe(false);
    expect(await docs.count()).toBe(0);
  });

  it('is atomic: an aborted transaction keeps every document', async () => {
    const txn = storage.beginTransaction();
    expect(await docs.delete({ filter: {} }, { txn })).toBe(6);
    await txn.abort();
    expect(await docs.count()).toBe(6);
    expect((await docs.search({ vector: [1, 0, 0], k: 6 })).length).toBe(6);
  });

  it('needs a selection: an empty object is a ValidationError, not "delete everything"', async () => {
    await expect(docs.delete({})).rejects.toThrow(ValidationError);
    await expect(docs.delete([''])).rejects.toThrow(/ids\[0\]/);
    await expect(docs.delete({ filter: { n: { $in: 3 } } as never })).rejects.toThrow(ValidationError);
    expect(await docs.count()).toBe(6);
  });

  it('is seen by another Collection object on the same storage', async () => {
    const other = await Collection.open(storage, { namespace: 'ns', name: 'docs' });
    try {
      await docs.delete({ filter: { n: { $lt: 3 } } });
      await docs.update('d', { metadata: { tag: 'changed' } });
      expect(await other.count()).toBe(3);
      expect((await other.search({ vector: [1, 3, 0], k: 6, filter: { tag: 'changed' } })).map((h) => h.id)).toEqual(['d']);
    } finally {
      await other.close();
    }
  });
});
