import { encodeKey, type Storage } from '@sochdb/core';
import { persistentFactory, type StorageFactory } from '@sochdb/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Collection } from '../src/index.js';

// Collections written before text moved out of the document record ('m') into its own key ('t')
// keep it as the record's `content`: every read of text must still find it there.

let factory: StorageFactory;
let storage: Storage;
const ref = { namespace: 'n', name: 'old' } as const;
const key = (kind: string, id: string): Buffer => encodeKey(['vec', 'n', 'd', 'old', kind, id]);

beforeEach(async () => {
  factory = persistentFactory();
  storage = await factory.open();
});
afterEach(async () => {
  await storage.close();
  await factory.cleanup();
});

describe('a collection written before text had its own key', () => {
  it('returns, searches, updates and deletes its text as before', async () => {
    let c = await Collection.create(storage, { ...ref, dimension: 2 });
    await c.insertBatch({
      ids: ['a', 'b', 'c'],
      vectors: [
        [1, 0],
        [0, 1],
        [1, 1],
      ],
      contents: ['red apples', 'green "pears" \ud800', undefined],
      metadatas: [{ n: 1 }, { n: 2 }, { n: 3 }],
    });
    await c.close();
    // The previous format: { metadata, content, segment, length } and no 't' key.
    for (const [id, content] of [
      ['a', 'red apples'],
      ['b', 'green "pears" \ud800'],
    ] as const) {
      const record = JSON.parse((await storage.get(key('m', id)))!.toString('utf8')) as { metadata: unknown; segment: string; length: number };
      await storage.batch([
        { type: 'put', key: key('m', id), value: JSON.stringify({ metadata: record.metadata, content, segment: record.segment, length: record.length }) },
        { type: 'del', key: key('t', id) },
      ]);
    }
    expect(await storage.get(key('t', 'a'))).toBeUndefined();

    c = await Collection.open(storage, ref);
    expect((await c.get('a'))?.content).toBe('red apples');
    expect((await c.get('b'))?.content).toBe('green "pears" \ud800');
    expect((await c.get('c'))?.content).toBeUndefined();
    expect((await c.get({ ids: ['b', 'a'] })).map((d) => d.content)).toEqual(['green "pears" \ud800', 'red apples']);
    const [hit] = await c.keywordSearch('apples', 1);
    expect(hit).toMatchObject({ id: 'a', content: 'red apples', metadata: { n: 1 } });

    // A metadata-only update keeps the text (now in its own key); content: null removes it.
    expect(await c.update('a', { metadata: { n: 10 } })).toBe(true);
    expect(await c.get('a')).toMatchObject({ content: 'red apples', metadata: { n: 10 } });
    expect(JSON.parse((await storage.get(key('t', 'a')))!.toString('utf8'))).toBe('red apples');
    expect(JSON.parse((await storage.get(key('m', 'a')))!.toString('utf8'))).not.toHaveProperty('content');
    expect(await c.update('b', { content: null })).toBe(true);
    expect((await c.get('b'))?.content).toBeUndefined();
    expect(await c.keywordSearch('pears', 1)).toEqual([]);
    expect(await c.delete('a')).toBe(true);
    expect(await storage.get(key('t', 'a'))).toBeUndefined();
    await c.close();
  });
});
