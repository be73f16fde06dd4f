import { describe, expect, it } from 'vitest';
import { VectorFileFormatError } from '../src/shared/errors.js';
import { restoreWithoutVectors, toBytesWithoutVectors, VectorIndex } from '../src/hnsw/vector-index.js';

// A collection saves its graph without the vectors it keeps in records anyway, and splices them
// back on load: the restored index must be the very index that was saved, byte for byte.

const DIM = 12;
const vector = (i: number): Float32Array => Float32Array.from({ length: DIM }, (_, d) => Math.sin(i * 7.1 + d * 1.3) + (d === i % DIM ? 2 : 0));

function built(metric: 'cosine' | 'euclidean', n: number, deleted: readonly number[]): { index: VectorIndex; vectors: Map<string, Float32Array> } {
  const index = new VectorIndex({ dimension: DIM, metric, capacity: 8, keepVectors: false });
  const vectors = new Map<string, Float32Array>();
  for (let i = 0; i < n; i++) {
    index.insert(`doc-${i}`, vector(i));
    vectors.set(`doc-${i}`, vector(i));
  }
  for (const i of deleted) {
    index.delete(`doc-${i}`);
    vectors.delete(`doc-${i}`);
  }
  return { index, vectors };
}

/** `vectorsOf` over a map, recording the batches asked for. */
function from(vectors: Map<string, Float32Array>, asked: string[][] = []) {
  return async (ids: readonly string[]) => {
    asked.push([...ids]);
    return ids.map((id) => {
      const v = vectors.get(id);
      return v && new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
    });
  };
}

/** The bytes cut into small uneven pieces, as storage chunks cut them anywhere. */
function pieces(bytes: Buffer, size: number): Buffer[] {
  const out: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += size) out.push(bytes.subarray(at, at + size));
  return out;
}

describe('a graph saved without its vectors', () => {
  for (const metric of ['cosine', 'euclidean'] as const) {
    it(`restores, from the vectors as inserted, exactly the index that was saved (${metric}, with free slots)`, async () => {
      const { index, vectors } = built(metric, 300, [3, 50, 51, 299]);
      const full = index.toBufferSync();
      const stripped = toBytesWithoutVectors(index);
      // Every vector leaves its element; the 4 free slots' vectors (which no record holds) stay,
      // each with its element number, after a count.
      expect(full.length - stripped.length).toBe(300 * DIM * 4 - 4 - 4 * (4 + DIM * 4));
      const asked: string[][] = [];
      const restored = await restoreWithoutVectors(pieces(stripped, 333), from(vectors, asked), { keepVectors: true });
      // Each live id asked for once, in the graph's order, a few at a time (as pieces arrive).
      expect(asked.flat()).toEqual([...vectors.keys()]);
      expect(restored).toBeDefined();
      expect(restored!.toBufferSync().equals(full)).toBe(true);
      expect(restored!.getVector('doc-7')).toEqual(index.getVector('doc-7'));
      expect(restored!.search(vector(42), 1)[0]!.id).toBe('doc-42');
      restored!.close();
      index.close();
    });
  }

  it('answers undefined when a live slot gets no vector, and ignores vectors of ids it does not hold', async () => {
    const { index, vectors } = built('cosine', 40, []);
    const stripped = toBytesWithoutVectors(index);
    const missing = new Map(vectors);
    missing.delete('doc-5');
    missing.set('stranger', vector(99));
    expect(await restoreWithoutVectors([stripped], from(missing), { keepVectors: false })).toBeUndefined();
    const wrongSize = new Map(vectors).set('doc-5', new Float32Array(DIM - 1));
    expect(await restoreWithoutVectors([stripped], from(wrongSize), { keepVectors: false })).toBeUndefined();
    const extra = new Map(vectors).set('stranger', vector(99));
    const restored = await restoreWithoutVectors([stripped], from(extra), { keepVectors: false });
    expect(restored?.size).toBe(40);
    restored?.close();
    index.close();
  });

  it('throws a VectorFileFormatError for cut-short bytes, never handing hnswlib a partial file', async () => {
    const { index, vectors } = built('cosine', 60, [10]);
    const stripped = toBytesWithoutVectors(index);
    await expect(restoreWithoutVectors([stripped.subarray(0, stripped.length - 2_000)], from(vectors), { keepVectors: false })).rejects.toBeInstanceOf(
      VectorFileFormatError,
    );
    index.close();
  });

  it('keeps an empty index empty', async () => {
    const index = new VectorIndex({ dimension: DIM });
    const restored = await restoreWithoutVectors([toBytesWithoutVectors(index)], from(new Map()), { keepVectors: true });
    expect(restored?.size).toBe(0);
    restored?.close();
    index.close();
  });
});
