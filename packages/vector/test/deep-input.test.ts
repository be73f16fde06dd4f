import { ValidationError, type Storage } from '@sochdb/core';
import { persistentFactory, type StorageFactory } from '@sochdb/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_FILTER_DEPTH } from '@sochdb/core';
import { Collection, compileFilter, type Metadata, type MetadataFilter } from '../src/index.js';

// Deeply nested or cyclic input (filters, metadata) must give a typed error or work: never a
// RangeError from a recursion running out of stack.

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

/** A filter `levels` deep: `inner` wrapped in `levels − 1` single-element `$and`/`$or` arrays. */
function nested(levels: number, inner: MetadataFilter, op: '$and' | '$or' = '$and'): MetadataFilter {
  let filter = inner;
  for (let i = 1; i < levels; i++) filter = { [op]: [filter] };
  return filter;
}

async function seeded(): Promise<Collection> {
  const c = await Collection.create(storage, { namespace: 'n', name: 'deep', dimension: 2 });
  await c.insertBatch({
    ids: ['x', 'y'],
    vectors: [
      [1, 0],
      [0, 1],
    ],
    metadatas: [{ tag: 'x' }, { tag: 'y' }],
    contents: ['shared words', 'shared words'],
  });
  return c;
}

describe('filter nesting', () => {
  it(`refuses filters nested more than ${MAX_FILTER_DEPTH} levels with a ValidationError, however deep (or cyclic) they are`, async () => {
    expect(MAX_FILTER_DEPTH).toBe(256);
    const c = await seeded();
    const cyclic: { $or: MetadataFilter[] } = { $or: [] };
    cyclic.$or.push(cyclic, { tag: 'x' });
    for (const filter of [nested(MAX_FILTER_DEPTH + 1, { tag: 'x' }), nested(2_000, { tag: 'x' }, '$or'), nested(100_000, { tag: 'x' }), cyclic]) {
      const searches = [
        () => c.search({ vector: [1, 0], k: 2, filter }),
        () => c.search({ vector: [1, 0], k: 2, filter, filterStrategy: 'graph' }),
        () => c.keywordSearch('shared', 2, { filter }),
        () => c.hybridSearch([1, 0], 'shared', 2, { filter }),
      ];
      for (const search of searches) {
        const error = await Promise.resolve()
          .then(search)
          .then(
            () => undefined,
            (e: unknown) => e,
          );
        expect(error).toBeInstanceOf(ValidationError);
        expect(error).toMatchObject({ code: 6000, message: expect.stringContaining(`more than ${MAX_FILTER_DEPTH} levels`) });
        expect((error as ValidationError).remediation).toMatch(/\$and and \$or take any number of filters/);
      }
      expect(() => compileFilter(filter)).toThrow(ValidationError);
    }
  });

  it(`evaluates filters of exactly ${MAX_FILTER_DEPTH} levels as written`, async () => {
    const c = await seeded();
    const ids = async (filter: MetadataFilter) => (await c.search({ vector: [1, 0], k: 2, filter, filterStrategy: 'exact' })).map((r) => r.id);
    expect(await ids(nested(MAX_FILTER_DEPTH, { tag: 'x' }))).toEqual(['x']);
    expect(await ids(nested(MAX_FILTER_DEPTH, { tag: { $ne: 'x' } }, '$or'))).toEqual(['y']);
    expect((await c.keywordSearch('shared', 2, { filter: nested(MAX_FILTER_DEPTH, { tag: 'y' }) })).map((r) => r.id)).toEqual(['y']);
  });
});

describe('filter values', () => {
  it('refuses objects that are not plain operator objects instead of matching every document', async () => {
    const c = await seeded();
    class Condition {
      readonly $eq = 'x';
    }
    const odd: [unknown, string][] = [
      [new Date(0), 'filter.tag'],
      [new Map([['$eq', 'x']]), 'filter.tag'],
      [new Condition(), 'filter.tag'],
      [{ $eq: new Date(0) }, 'filter.tag.$eq'],
      [{ $in: [new Date(0)] }, 'filter.tag.$in[0]'],
    ];
    for (const [condition, field] of odd) {
      await expect(c.search({ vector: [1, 0], k: 2, filter: { tag: condition } as never })).rejects.toMatchObject({ code: 6000, field });
    }
    await expect(c.search({ vector: [1, 0], k: 2, filter: new Map() as never })).rejects.toMatchObject({ code: 6000, field: 'filter' });
    await expect(c.search({ vector: [1, 0], k: 2, filter: { $and: [new Date(0)] } as never })).rejects.toMatchObject({ code: 6000, field: 'filter.$and[0]' });
    // Objects without a prototype are plain too (e.g. made with Object.create(null)).
    const bare = Object.assign(Object.create(null) as Record<string, unknown>, { tag: 'x' });
    expect((await c.search({ vector: [1, 0], k: 2, filter: bare as MetadataFilter })).map((r) => r.id)).toEqual(['x']);
  });
});

describe('metadata nesting', () => {
  /** Metadata whose object nesting, the metadata object included, is `levels`. */
  function deepMetadata(levels: number): Metadata {
    let value: Metadata = { leaf: 'bottom' };
    for (let i = 1; i < levels; i++) value = { down: value };
    return value;
  }

  it('refuses metadata nested more than 32 levels (or cyclic) with a ValidationError and writes nothing', async () => {
    const c = await seeded();
    let before = 0;
    for await (const _ of storage.iterator()) before++;
    const cyclic: Record<string, unknown> = { title: 'loop' };
    cyclic.self = cyclic;
    let arrays: unknown = 'x';
    for (let i = 0; i < 100_000; i++) arrays = [arrays];
    for (const metadata of [deepMetadata(33), deepMetadata(100_000), cyclic, { list: arrays }]) {
      await expect(c.insert({ id: 'z', vector: [1, 1], metadata: metadata as Metadata })).rejects.toMatchObject({
        code: 6000,
        message: expect.stringMatching(/nested too deeply/),
      });
      await expect(c.insertBatch({ ids: ['z'], vectors: [[1, 1]], metadatas: [metadata as Metadata] })).rejects.toBeInstanceOf(ValidationError);
    }
    let after = 0;
    for await (const _ of storage.iterator()) after++;
    expect(after).toBe(before);
    expect(await c.get('z')).toBeNull();
  });

  it('stores metadata nested exactly 32 levels, returns it whole and indexes its top-level strings', async () => {
    const c = await seeded();
    const metadata = { ...deepMetadata(32), title: 'deep document', tags: ['nested'] };
    await c.insert({ id: 'z', vector: [1, 1], metadata });
    expect((await c.get('z'))?.metadata).toEqual(metadata);
    expect((await c.keywordSearch('deep', 5)).map((r) => [r.id, r.metadata])).toEqual([['z', metadata]]);
    expect((await c.keywordSearch('nested', 5)).map((r) => r.id)).toEqual(['z']);
    // Strings below the top level are not searchable text, by design (see searchable-text.ts).
    expect(await c.keywordSearch('bottom', 5)).toEqual([]);
    const path = [...Array.from({ length: 31 }, () => 'down'), 'leaf'].join('.');
    expect((await c.search({ vector: [1, 1], k: 5, filter: { [path]: 'bottom' } })).map((r) => r.id)).toEqual(['z']);
    // An object without a prototype is plain JSON too.
    await c.insert({ id: 'bare', vector: [1, 1], metadata: Object.assign(Object.create(null) as Metadata, { k: 'v' }) });
    expect((await c.get('bare'))?.metadata).toEqual({ k: 'v' });
    await c.close();
    const reopened = await Collection.open(storage, { namespace: 'n', name: 'deep' });
    expect((await reopened.get('z'))?.metadata).toEqual(metadata);
  });
});
