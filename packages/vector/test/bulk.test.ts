import { DimensionMismatchError, ValidationError } from '@sochdb/core';
import { makeTempDir } from '@sochdb/core/testing';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bulkBuildIndex, bulkInfo, bulkQueryIndex, VectorIndex, writeNpy, writeRawF32, type BulkProgress } from '../src/index.js';
import { clustered } from './helpers.js';

const tmp = makeTempDir('sochdb-vector-bulk-');
afterAll(() => tmp.cleanup());

describe('bulk API', () => {
  it('runs the seed example: build from a matrix, query it, read its info', async () => {
    // Seed: embeddings = np.random.randn(N, D); stats = bulk_build_index(embeddings, output=…, m=16, ef_construction=100, metric="cosine")
    const embeddings = clustered(1000, 32, 20, 5);
    const output = join(tmp.path, 'my_index.hnsw');
    const progress: BulkProgress[] = [];
    const stats = await bulkBuildIndex(embeddings, { output, m: 16, efConstruction: 100, metric: 'cosine', onProgress: (p) => progress.push(p) });
    expect(stats).toMatchObject({ vectors: 1000, dimension: 32, bytes: expect.any(Number) });
    expect(stats.rate).toBeCloseTo(1000 / stats.seconds, 6);
    expect(progress.length).toBeGreaterThanOrEqual(10);
    expect(progress.at(-1)).toMatchObject({ done: 1000, total: 1000 });
    expect(progress.map((p) => p.done)).toEqual([...progress.map((p) => p.done)].sort((a, b) => a - b));

    const results = await bulkQueryIndex({ index: output, query: embeddings[123]!, k: 10, efSearch: 64 });
    expect(results).toHaveLength(10);
    expect(results[0]).toEqual({ id: '123', distance: expect.closeTo(0, 5) });
    expect(await bulkInfo(output)).toEqual({
      dimension: 32,
      vectors: 1000,
      metric: 'cosine',
      m: 16,
      efConstruction: 100,
      efSearch: 64,
      capacity: 1000,
      bytes: stats.bytes,
    });
  });

  it('builds from .npy and raw f32 files with custom ids and answers many queries at once', async () => {
    const data = clustered(200, 8, 4, 9);
    const flat = new Float32Array(200 * 8);
    data.forEach((v, i) => flat.set(v, i * 8));
    const npy = join(tmp.path, 'emb.npy');
    const raw = join(tmp.path, 'emb.raw');
    await writeNpy(npy, { rows: 200, dimension: 8, data: flat });
    await writeRawF32(raw, { rows: 200, dimension: 8, data: flat });
    const ids = data.map((_, i) => `doc_${i}`);
    await bulkBuildIndex(npy, { output: join(tmp.path, 'a.hnsw'), metric: 'euclidean', ids });
    await bulkBuildIndex(raw, { output: join(tmp.path, 'b.hnsw'), metric: 'euclidean', dimension: 8, ids });
    await bulkBuildIndex(flat, { output: join(tmp.path, 'c.hnsw'), metric: 'euclidean', dimension: 8, ids });
    const [a, b, c] = await Promise.all(['a', 'b', 'c'].map((n) => VectorIndex.load(join(tmp.path, `${n}.hnsw`))));
    for (const q of data.slice(0, 5)) {
      expect(b!.search(q, 5)).toEqual(a!.search(q, 5));
      expect(c!.search(q, 5)).toEqual(a!.search(q, 5));
    }
    const q1 = join(tmp.path, 'q.raw');
    await writeRawF32(q1, { rows: 1, dimension: 8, data: data[7]! });
    expect((await bulkQueryIndex({ index: a!, query: q1, k: 1 }))[0]!.id).toBe('doc_7');
    const many = await bulkQueryIndex({ index: join(tmp.path, 'a.hnsw'), queries: data.slice(0, 3), k: 1 });
    expect(many.map((r) => r[0]!.id)).toEqual(['doc_0', 'doc_1', 'doc_2']);
    await expect(bulkQueryIndex({ index: a!, query: raw, k: 1 })).rejects.toThrow(/holds 200 vectors; 'query' takes exactly one/);
  });

  it('refuses bad input with typed errors', async () => {
    const output = join(tmp.path, 'x.hnsw');
    await expect(bulkBuildIndex(new Float32Array(16), { output })).rejects.toThrow(/needs options.dimension/);
    await expect(bulkBuildIndex(new Float32Array(10), { output, dimension: 4 })).rejects.toThrow(ValidationError);
    await expect(
      bulkBuildIndex(
        [
          [1, 2],
          [3, 4],
        ],
        { output, dimension: 3 },
      ),
    ).rejects.toBeInstanceOf(DimensionMismatchError);
    await expect(bulkBuildIndex([[1, 2], [3]], { output })).rejects.toThrow(/vectors\[1\] has 1 numbers/);
    await expect(bulkBuildIndex([[1, Number.NaN]], { output })).rejects.toThrow(/finite/);
    // @ts-expect-error output is required
    await expect(bulkBuildIndex([[1, 2]], {})).rejects.toThrow(/output/);
    await expect(bulkBuildIndex([[1, 2]], { output, ids: ['only-one', 'two', 'three'] })).rejects.toThrow(/one id per vector/);
    const notIndex = join(tmp.path, 'not-an-index.hnsw');
    writeFileSync(notIndex, 'hello world, definitely not an index');
    await expect(bulkInfo(notIndex)).rejects.toMatchObject({ code: 6101, message: expect.stringMatching(/SOCHHNSW/) });
    await expect(bulkQueryIndex({ index: notIndex, query: [1, 2], k: 1 })).rejects.toMatchObject({ code: 6101 });
    await expect(bulkInfo(join(tmp.path, 'missing.hnsw'))).rejects.toMatchObject({ code: 6101 });
  });
});
