import { DatabaseError, DimensionMismatchError, ValidationError } from '@sochdb/core';
import { mkdirSync, readdirSync } from 'node:fs';
import { makeTempDir } from '@sochdb/core/testing';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { VectorIndex } from '../src/index.js';
import { bruteForce, clustered, lowRank } from './helpers.js';

const tmp = makeTempDir('sochdb-vector-');
afterAll(() => tmp.cleanup());

describe('VectorIndex', () => {
  it('runs the seed example: insert one by one or in a batch, then search with efSearch', () => {
    const embeddings = clustered(500, 768, 10, 21); // seed: np.random.randn(10000, 768)
    const index = new VectorIndex({ dimension: 768, metric: 'cosine', m: 16, efConstruction: 100 });
    embeddings.forEach((vec, i) => index.insert(`doc_${i}`, vec));
    const batch = new VectorIndex({ dimension: 768, metric: 'cosine', m: 16, efConstruction: 100 });
    batch.insertBatch(
      embeddings.map((_, i) => `doc_${i}`),
      embeddings,
    );
    const query = embeddings[42]!;
    const results = index.search(query, 10, { efSearch: 64 });
    expect(results).toHaveLength(10);
    expect(results[0]).toEqual({ id: 'doc_42', distance: expect.closeTo(0, 5) });
    expect(results.map((r) => r.distance)).toEqual([...results.map((r) => r.distance)].sort((a, b) => a - b));
    expect(batch.search(query, 10, { efSearch: 64 })).toEqual(results); // same build order, same seed
  });

  it('round-trips string ids exactly, including ones that look numeric or use any characters', () => {
    const index = new VectorIndex({ dimension: 2, metric: 'euclidean' });
    const ids = ['doc_1', '42', '00042', 'émoji 🚀', 'a/b\\c'];
    ids.forEach((id, i) => index.insert(id, [i, 0]));
    expect(index.size).toBe(5);
    expect(index.search([3.1, 0], 5).map((n) => n.id)).toEqual(['émoji 🚀', 'a/b\\c', '00042', '42', 'doc_1']);
    expect([...index.ids()].sort()).toEqual([...ids].sort());
  });

  it('reports the documented distance for each metric', () => {
    const cos = new VectorIndex({ dimension: 2, metric: 'cosine' });
    cos.insert('x', [1, 0]);
    cos.insert('diag', [1, 1]);
    const [xd, diag] = [cos.search([2, 0], 2)[0]!, cos.search([2, 0], 2)[1]!];
    expect(xd).toEqual({ id: 'x', distance: expect.closeTo(0, 6) });
    expect(diag.distance).toBeCloseTo(1 - Math.SQRT1_2, 6); // 1 − cos 45°

    const l2 = new VectorIndex({ dimension: 2, metric: 'euclidean' });
    l2.insert('p', [3, 4]);
    expect(l2.search([0, 0], 1)[0]!.distance).toBeCloseTo(5, 5); // ‖(3,4)‖, not its square

    const dot = new VectorIndex({ dimension: 2, metric: 'dot_product' });
    dot.insert('a', [1, 2]);
    dot.insert('b', [3, 1]);
    const res = dot.search([1, 1], 2);
    expect(res.map((n) => n.id)).toEqual(['b', 'a']); // a·q = 3, b·q = 4: larger dot is closer
    expect(res[0]!.distance).toBeCloseTo(1 - 4, 5);
    expect(res[1]!.distance).toBeCloseTo(1 - 3, 5);
  });

  it('inserts batches from a flat Float32Array or from rows, and replaces an existing id', () => {
    const index = new VectorIndex({ dimension: 3, metric: 'euclidean' });
    index.insertBatch(['a', 'b'], new Float32Array([0, 0, 0, 10, 10, 10]));
    index.insertBatch(['c'], [[5, 5, 5]]);
    expect(index.size).toBe(3);
    index.insert('a', [20, 20, 20]); // replace: a moves far away
    expect(index.size).toBe(3);
    expect(index.search([0, 0, 0], 3).map((n) => n.id)).toEqual(['c', 'b', 'a']);
  });

  it('deletes, re-inserts a deleted id, and reuses freed slots instead of growing', () => {
    const index = new VectorIndex({ dimension: 2, metric: 'euclidean', capacity: 4 });
    for (let i = 0; i < 4; i++) index.insert(`v${i}`, [i, i]);
    expect(index.delete('v1')).toBe(true);
    expect(index.delete('v1')).toBe(false);
    expect(index.has('v1')).toBe(false);
    expect(index.search([1, 1], 4).map((n) => n.id)).not.toContain('v1');
    expect(index.search([1, 1], 10)).toHaveLength(3);
    index.insert('v1', [1, 1]);
    expect(index.search([1, 1], 1)[0]).toEqual({ id: 'v1', distance: 0 });
    expect(index.capacity).toBe(4);
    index.delete('v0');
    index.insert('new', [100, 100]); // takes v0's slot
    expect(index.capacity).toBe(4);
    expect(index.search([0, 0], 4).map((n) => n.id)).toEqual(['v1', 'v2', 'v3', 'new']);
  });

  it('grows its capacity automatically', () => {
    const index = new VectorIndex({ dimension: 4, capacity: 2 });
    const data = clustered(100, 4, 3);
    data.forEach((v, i) => index.insert(String(i), v));
    expect(index.size).toBe(100);
    expect(index.capacity).toBeGreaterThanOrEqual(100);
    expect(index.search(data[7]!, 1)[0]!.id).toBe('7');
  });

  it('filters inside the search and returns k matches when they exist', () => {
    const index = new VectorIndex({ dimension: 8 });
    const data = clustered(500, 8, 5);
    data.forEach((v, i) => index.insert(`d${i}`, v));
    const even = index.search(data[0]!, 10, { filter: (id) => Number(id.slice(1)) % 2 === 0 });
    expect(even).toHaveLength(10);
    expect(even.every((n) => Number(n.id.slice(1)) % 2 === 0)).toBe(true);
  });

  it('refuses bad input with typed errors', () => {
    const index = new VectorIndex({ dimension: 3 });
    expect(() => index.insert('a', [1, 2])).toThrow(DimensionMismatchError);
    try {
      index.search([1, 2, 3, 4], 1);
    } catch (e) {
      expect(e).toMatchObject({ code: 6001, expected: 3, actual: 4 });
    }
    expect(() => index.insert('a', [1, Number.NaN, 3])).toThrow(ValidationError);
    expect(() => index.insert('a', [1, Infinity, 3])).toThrow(/finite/);
    expect(() => index.insert('a', [1, 1e39, 3])).toThrow(/float32/);
    expect(() => index.insert('a', [0, 0, 0])).toThrow(/all zeros/);
    expect(() => index.insert('', [1, 2, 3])).toThrow(ValidationError);
    expect(() => index.search([1, 2, 3], 0)).toThrow(/k must be/);
    expect(() =>
      index.insertBatch(
        ['a', 'a'],
        [
          [1, 1, 1],
          [2, 2, 2],
        ],
      ),
    ).toThrow(/twice/);
    expect(() => index.insertBatch(['a', 'b'], new Float32Array(5))).toThrow(/must hold 6 numbers/);
    expect(() =>
      index.insertBatch(
        ['a', 'b'],
        [
          [1, 1, 1],
          [Number.NaN, 1, 1],
        ],
      ),
    ).toThrow(ValidationError);
    expect(index.size).toBe(0); // a bad row adds nothing from its batch
    expect(() => new VectorIndex({ dimension: 0 })).toThrow(/dimension/);
    // @ts-expect-error an unknown metric is refused at runtime too
    expect(() => new VectorIndex({ dimension: 3, metric: 'manhattan' })).toThrow(/metric/);
  });

  it('save/load restores ids, metric, parameters and identical search results, including after deletes', async () => {
    const index = new VectorIndex({ dimension: 16, metric: 'dot_product', m: 8, efConstruction: 50, efSearch: 40 });
    const data = clustered(300, 16, 4, 7);
    data.forEach((v, i) => index.insert(`id-${i}`, v));
    for (let i = 0; i < 300; i += 7) index.delete(`id-${i}`);
    index.insert('id-14', data[14]!); // re-insert a deleted one
    const path = join(tmp.path, 'idx.hnsw');
    await index.save(path);
    const loaded = await VectorIndex.load(path);
    expect([loaded.dimension, loaded.metric, loaded.m, loaded.efConstruction, loaded.efSearch]).toEqual([16, 'dot_product', 8, 50, 40]);
    expect(loaded.size).toBe(index.size);
    for (const q of data.slice(0, 20)) expect(loaded.search(q, 10)).toEqual(index.search(q, 10));
    loaded.insert('after-load', data[0]!); // a loaded index keeps working, reusing freed slots
    expect(loaded.has('after-load')).toBe(true);
    await expect(VectorIndex.load(join(tmp.path, 'missing.hnsw'))).rejects.toMatchObject({ code: 6101 });
  });

  it('fromChunks restores from the bytes cut anywhere, as fromBuffer does; vectors given are used for exact distances', async () => {
    const index = new VectorIndex({ dimension: 8, metric: 'euclidean', m: 8, efConstruction: 40 });
    const data = clustered(200, 8, 4, 3);
    data.forEach((v, i) => index.insert(`doc/${i}`, v));
    index.delete('doc/5');
    const bytes = await index.toBuffer();
    const whole = await VectorIndex.fromBuffer(bytes);
    // One-byte pieces, then pieces that split the preamble, the JSON header and the graph.
    for (const size of [1, 7, 4096, bytes.length]) {
      const pieces = Array.from({ length: Math.ceil(bytes.length / size) }, (_, i) => bytes.subarray(i * size, (i + 1) * size));
      const loaded = await VectorIndex.fromChunks(
        (async function* () {
          yield* pieces;
        })(),
      );
      expect(loaded.size).toBe(index.size);
      for (const q of data.slice(0, 10)) expect(loaded.search(q, 5)).toEqual(whole.search(q, 5));
      expect(loaded.getVector('doc/7')).toEqual(index.getVector('doc/7'));
      loaded.close();
    }
    // Vectors the caller holds are the index's copies (the exact ones a filtered scan uses).
    const given = await VectorIndex.fromChunks([bytes], { vectors: data.map((v, i) => [`doc/${i}`, Float32Array.from(v)] as const) });
    expect(given.getVector('doc/9')).toEqual(index.getVector('doc/9'));
    expect(given.getVector('doc/5')).toBeUndefined();
    given.close();
    whole.close();
    await expect(VectorIndex.fromChunks([Buffer.from('not an index at all')])).rejects.toMatchObject({ code: 6101 });
    await expect(VectorIndex.fromChunks([bytes.subarray(0, 20)])).rejects.toMatchObject({ code: 6101 });
    await expect(VectorIndex.fromChunks([])).rejects.toMatchObject({ code: 6101 });
  });

  it('keepVectors: false keeps no JS copy yet answers exact scans and getVector as a copying index does', async () => {
    for (const metric of ['cosine', 'euclidean', 'dot_product'] as const) {
      const data = clustered(300, 8, 4, 11);
      // A small capacity, so both indexes grow while inserting.
      const copying = new VectorIndex({ dimension: 8, metric, capacity: 16 });
      const lean = new VectorIndex({ dimension: 8, metric, capacity: 16, keepVectors: false });
      expect([copying.keepsVectors, lean.keepsVectors]).toEqual([true, false]);
      data.forEach((v, i) => {
        copying.insert(`d${i}`, v);
        lean.insert(`d${i}`, v);
      });
      lean.delete('d3');
      copying.delete('d3');
      expect(lean.capacity).toBe(copying.capacity);
      const among = data.slice(0, 120).map((_, i) => `d${i}`);
      for (const q of data.slice(200, 210)) {
        expect(lean.searchAmong(q, 7, among)).toEqual(copying.searchAmong(q, 7, among));
        expect(lean.search(q, 5)).toEqual(copying.search(q, 5));
      }
      expect(lean.getVector('d8')).toEqual(copying.getVector('d8'));
      expect(lean.getVector('d3')).toBeUndefined();
      // Restored without copies: the given vectors are not needed, and answers stay the same.
      const restored = await VectorIndex.fromBuffer(await copying.toBuffer(), { keepVectors: false });
      expect(restored.keepsVectors).toBe(false);
      expect(restored.searchAmong(data[250]!, 7, among)).toEqual(copying.searchAmong(data[250]!, 7, among));
      expect(restored.getVector('d9')).toEqual(copying.getVector('d9'));
      for (const index of [copying, lean, restored]) index.close();
    }
    expect(() => new VectorIndex({ dimension: 2, keepVectors: 'no' as unknown as boolean })).toThrow(ValidationError);
  });

  it('save into a path it cannot write throws DatabaseError and leaves no temp file behind', async () => {
    const index = new VectorIndex({ dimension: 2, metric: 'euclidean' });
    index.insert('a', [1, 2]);
    const folder = join(tmp.path, 'in-the-way');
    mkdirSync(join(folder, 'child'), { recursive: true }); // a non-empty folder where the file should go
    await expect(index.save(folder)).rejects.toThrow(DatabaseError);
    await expect(index.save(folder)).rejects.toThrow(/cannot save the index/);
    expect(readdirSync(tmp.path).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    await expect(index.save(join(tmp.path, 'no-such-folder', 'x.hnsw'))).rejects.toThrow(DatabaseError);
    await expect(index.save('')).rejects.toThrow(ValidationError);
  });

  it('reaches recall@10 ≥ 0.95 at efSearch 64 (M=16, efC=100) on clustered data', () => {
    // 4,000 × 64 embedding-like vectors (48 latent factors + noise): hard enough that efSearch matters.
    const n = 4000;
    const dim = 64;
    const all = lowRank(n + 100, dim, 48, 3);
    const data = all.slice(0, n);
    const queries = all.slice(n);
    const index = new VectorIndex({ dimension: dim, metric: 'cosine', m: 16, efConstruction: 100 });
    index.insertBatch(
      data.map((_, i) => String(i)),
      data,
    );
    const truths = queries.map((q) => new Set(bruteForce(data, q, 10).map(String)));
    const recallAt = (efSearch: number) =>
      queries.reduce((hits, q, i) => hits + index.search(q, 10, { efSearch }).filter((r) => truths[i]!.has(r.id)).length, 0) / (queries.length * 10);
    const recall64 = recallAt(64);
    const recall10 = recallAt(10);
    console.log(`recall@10 (n=${n}, d=${dim}, M=16, efC=100): ${recall64.toFixed(4)} at efSearch 64, ${recall10.toFixed(4)} at efSearch 10`);
    expect(recall64).toBeGreaterThanOrEqual(0.95);
    expect(recall10).toBeLessThan(recall64); // efSearch reaches hnswlib
  });
});
