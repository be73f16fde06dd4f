import { status as Status } from '@grpc/grpc-js';
import {
  CollectionConfigError,
  CollectionExistsError,
  CollectionNotFoundError,
  DimensionMismatchError,
  NamespaceNotFoundError,
  ValidationError,
} from '@sochdb/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawUnary, rejection, startTestServer, type TestServer } from './helpers.js';

let t: TestServer;
const target = { namespace: 'docs', collection: 'articles' };
beforeAll(async () => {
  t = await startTestServer();
  await t.client.createNamespace('docs');
});
afterAll(() => t.stop());

describe('CollectionService and VectorIndexService', () => {
  it('creates, gets, lists and deletes collections', async () => {
    const info = await t.client.createCollection('docs', { name: 'articles', dimension: 3, metric: 'cosine', m: 8 });
    expect(info).toMatchObject({ namespace: 'docs', name: 'articles', dimension: 3, metric: 'cosine', m: 8, efConstruction: 100, efSearch: 64 });
    expect(await t.client.getCollection('docs', 'articles')).toEqual(info);
    const auto = await t.client.createCollection('docs', { name: 'auto', metric: 'euclidean' });
    expect(auto.dimension).toBeNull();
    expect((await t.client.listCollections('docs')).map((c) => c.name).sort()).toEqual(['articles', 'auto']);
    await t.client.deleteCollection('docs', 'auto');
    expect((await t.client.listCollections('docs')).map((c) => c.name)).toEqual(['articles']);
  });

  it('inserts documents and finds them by vector, keyword and both, with filters', async () => {
    const id = await t.client.insert({ ...target, id: 'a', vector: [1, 0, 0], metadata: { source: 'web', year: 2020 }, content: 'neural networks' });
    expect(id).toBe('a');
    const ids = await t.client.insertBatch({
      ...target,
      vectors: [new Float32Array([0, 1, 0]), [0, 0, 1]],
      ids: ['b', 'c'],
      metadatas: [
        { source: 'book', year: 2021 },
        { source: 'web', year: 2022 },
      ],
      contents: ['deep learning', undefined],
    });
    expect(ids).toEqual(['b', 'c']);
    expect(await t.client.count(target)).toBe(3);

    const nearest = await t.client.vectorSearch({ ...target, query: [0.9, 0.1, 0], k: 2 });
    expect(nearest.map((r) => r.id)).toEqual(['a', 'b']);
    expect(nearest[0]!.metadata).toEqual({ source: 'web', year: 2020 });
    expect(nearest[0]!.content).toBe('neural networks');
    expect(nearest[0]!.score).toBeGreaterThan(nearest[1]!.score);

    const filtered = await t.client.vectorSearch({ ...target, query: [0.9, 0.1, 0], k: 2, filter: { source: 'web', year: { $gte: 2021 } } });
    expect(filtered.map((r) => r.id)).toEqual(['c']);

    expect((await t.client.search({ ...target, textQuery: 'deep learning', k: 5 })).map((r) => r.id)).toEqual(['b']);
    const hybrid = await t.client.search({ ...target, vector: [0, 1, 0], textQuery: 'neural', k: 3, alpha: 0.5 });
    expect(hybrid.map((r) => r.id).sort()).toEqual(['a', 'b', 'c']);
  });

  it('gets and deletes single documents; a missing one is null / false', async () => {
    const doc = await t.client.getDocument({ ...target, id: 'b' });
    expect(doc).toMatchObject({ id: 'b', metadata: { source: 'book', year: 2021 }, content: 'deep learning' });
    expect(doc!.vector).toEqual([0, 1, 0]);
    expect((await t.client.getDocument({ ...target, id: 'c' }))!.content).toBeUndefined();
    expect(await t.client.getDocument({ ...target, id: 'zzz' })).toBeNull();
    expect(await t.client.deleteDocument({ ...target, id: 'c' })).toBe(true);
    expect(await t.client.deleteDocument({ ...target, id: 'c' })).toBe(false);
    expect(await t.client.count(target)).toBe(2);
  });

  it('reports an unknown collection or namespace as NOT_FOUND with the typed error', async () => {
    const error = await rejection(t.client.vectorSearch({ namespace: 'docs', collection: 'nope', query: [1, 0, 0], k: 1 }));
    expect(error).toBeInstanceOf(CollectionNotFoundError);
    expect((error as CollectionNotFoundError).code).toBe(4001);
    const raw = await rawUnary(t.server, 'VectorIndexService/Search', { namespace: 'docs', collection: 'nope', query: [1, 0, 0], k: 1 });
    expect(raw.code).toBe(Status.NOT_FOUND);
    expect(raw.metadata.get('sochdb-code')).toEqual(['4001']);
    expect(await rejection(t.client.count({ namespace: 'ghost', collection: 'x' }))).toBeInstanceOf(NamespaceNotFoundError);
  });

  it('reports a wrong dimension as DimensionMismatchError with expected and actual', async () => {
    const error = await rejection(t.client.insert({ ...target, vector: [1, 2] }));
    expect(error).toBeInstanceOf(DimensionMismatchError);
    expect(error).toMatchObject({ code: 6001, expected: 3, actual: 2 });
    expect(await rejection(t.client.vectorSearch({ ...target, query: [1, 2, 3, 4], k: 1 }))).toBeInstanceOf(DimensionMismatchError);
    expect((await rawUnary(t.server, 'CollectionService/Insert', { ...target, documents: [{ vector: [1] }] })).code).toBe(Status.INVALID_ARGUMENT);
  });

  it('refuses bad input with typed errors: duplicate, bad config, wrong types, bad JSON', async () => {
    expect(await rejection(t.client.createCollection('docs', { name: 'articles', dimension: 3 }))).toBeInstanceOf(CollectionExistsError);
    expect(await rejection(t.client.createCollection('docs', { name: 'tiny', m: 1 }))).toBeInstanceOf(CollectionConfigError);
    const badMetric = await rejection(t.client.createCollection('docs', { name: 'm', metric: 'manhattan' as 'cosine' }));
    expect(badMetric).toBeInstanceOf(ValidationError);
    const badK = await rejection(t.client.vectorSearch({ ...target, query: [1, 0, 0], k: 'ten' as unknown as number }));
    expect(badK).toMatchObject({ code: 6000, field: 'k' });
    const badVector = await rejection(t.client.vectorSearch({ ...target, query: [1, 'x', 0] as unknown as number[], k: 1 }));
    expect(badVector).toBeInstanceOf(ValidationError);
    // filterStrategy crosses the wire: the server checks it (it used to be dropped silently).
    const badStrategy = await rejection(t.client.search({ ...target, vector: [1, 0, 0], k: 1, filter: { source: 'web' }, filterStrategy: 'fast' as 'exact' }));
    expect(badStrategy).toMatchObject({ code: 6000, field: 'filterStrategy' });
    const exact = await t.client.search({ ...target, vector: [0.9, 0.1, 0], k: 2, filter: { source: 'web' }, filterStrategy: 'exact' });
    const auto = await t.client.search({ ...target, vector: [0.9, 0.1, 0], k: 2, filter: { source: 'web' } });
    expect(exact.length).toBeGreaterThan(0);
    expect(exact.map((r) => r.id)).toEqual(auto.map((r) => r.id));
    const badFilter = await rejection(t.client.vectorSearch({ ...target, query: [1, 0, 0], k: 1, filter: { year: { $regex: 'x' } } as never }));
    expect(badFilter).toBeInstanceOf(ValidationError);
    const raw = await rawUnary(t.server, 'VectorIndexService/Search', { ...target, query: [1, 0, 0], k: 1, filterJson: '{not json' });
    expect(raw.code).toBe(Status.INVALID_ARGUMENT);
    expect(raw.metadata.get('sochdb-error')).toEqual(['ValidationError']);
  });

  it('creates with BM25 text analysis and existOk over the wire, as embedded', async () => {
    const text = { stemming: 'english', stopWords: ['the', 'of'] } as const;
    const info = await t.client.createCollection('docs', { name: 'stemmed', dimension: 2, text });
    expect(info.text).toEqual({ stemming: 'english', stopWords: ['of', 'the'] });
    expect((await t.client.getCollection('docs', 'stemmed')).text).toEqual(info.text);
    await t.client.insert({ namespace: 'docs', collection: 'stemmed', id: 'r', vector: [1, 0], content: 'the running of runners' });
    const hits = await t.client.search({ namespace: 'docs', collection: 'stemmed', textQuery: 'run', k: 5 });
    expect(hits.map((h) => h.id)).toEqual(['r']); // 'run' matches 'running' only with stemming
    // existOk opens the existing one when the settings given agree, and refuses one that differs.
    expect(await t.client.createCollection('docs', { name: 'stemmed', existOk: true, text: { stemming: 'english' } })).toEqual(info);
    const differs = await rejection(t.client.createCollection('docs', { name: 'stemmed', existOk: true, text: { stemming: 'none' } }));
    expect(differs).toMatchObject({ code: 4003 });
    expect(differs).toBeInstanceOf(CollectionConfigError);
    // Without existOk it is still CollectionExistsError; a collection made without options reads as none.
    expect(await rejection(t.client.createCollection('docs', { name: 'stemmed', text }))).toBeInstanceOf(CollectionExistsError);
    expect((await t.client.getCollection('docs', 'articles')).text).toEqual({ stemming: 'none', stopWords: 'none' });
    // Bad options: the server's typed error naming the field, or the client's for a wrong type.
    expect(await rejection(t.client.createCollection('docs', { name: 'bad', text: { stemming: 'klingon' as 'english' } }))).toBeInstanceOf(
      CollectionConfigError,
    );
    expect(await rejection(t.client.createCollection('docs', { name: 'bad', text: { stemming: 5 as unknown as 'english' } }))).toMatchObject({
      code: 6000,
      field: 'text.stemming',
    });
    await t.client.deleteCollection('docs', 'stemmed');
  });

  it('inserts a row-major matrix through VectorIndexService.InsertBatch', async () => {
    const raw = await rawUnary(t.server, 'VectorIndexService/InsertBatch', {
      ...target,
      ids: ['m1', 'm2'],
      vectors: [1, 1, 0, 0, 1, 1],
      metadataJson: ['{"k":1}', ''],
    });
    expect(raw.code).toBe(0);
    expect((await t.client.getDocument({ ...target, id: 'm1' }))!.metadata).toEqual({ k: 1 });
    const ragged = await rawUnary(t.server, 'VectorIndexService/InsertBatch', { ...target, ids: ['x', 'y'], vectors: [1, 1, 0] });
    expect(ragged.code).toBe(Status.INVALID_ARGUMENT);
    // Without metadata_json the rows get no metadata (an empty list is not a length mismatch).
    const bare = await rawUnary(t.server, 'VectorIndexService/InsertBatch', { ...target, ids: ['n1', 'n2'], vectors: [1, 0, 0, 0, 0, 1] });
    expect(bare.code).toBe(0);
    expect((await t.client.getDocument({ ...target, id: 'n2' }))!.metadata).toEqual({});
  });

  it('the client refuses an insertBatch whose arrays differ in length, before sending anything', async () => {
    const before = await t.client.count(target);
    for (const bad of [{ ids: ['p', 'q', 'r'] }, { metadatas: [{ a: 1 }] }, { contents: ['x', 'y', 'z'] }]) {
      await expect(
        t.client.insertBatch({
          ...target,
          vectors: [
            [1, 0, 0],
            [0, 1, 0],
          ],
          ...bad,
        }),
      ).rejects.toMatchObject({ code: 6000 });
    }
    expect(await t.client.count(target)).toBe(before);
  });
});
