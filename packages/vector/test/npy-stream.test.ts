// Streaming .npy: an export writes rows as it reads them and fixes the header at the end; an
// import reads rows as it needs them. Files round-trip with readNpy/writeNpy (numpy's format).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir } from '@sochdb/core/testing';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { encodeNpy, matrixOf, NpyReader, NpyWriter, readNpy, VectorFileFormatError, writeNpy } from '../src/index.js';

let dir: ReturnType<typeof makeTempDir>;
beforeEach(() => {
  dir = makeTempDir('sochdb-npy-stream-');
});
afterEach(() => dir.cleanup());

it('NpyWriter writes what readNpy reads, over several appends', async () => {
  const path = join(dir.path, 'v.npy');
  const writer = await NpyWriter.create(path, 3);
  await writer.append(new Float32Array([1, 2, 3]));
  await writer.append(new Float32Array(Array.from({ length: 3 * 2000 }, (_, i) => i / 7)));
  await writer.close();
  expect(writer.rows).toBe(2001);
  const m = await readNpy(path);
  expect([m.rows, m.dimension]).toEqual([2001, 3]);
  expect(Array.from(m.data.subarray(0, 6))).toEqual([1, 2, 3, 0, 1 / 7, 2 / 7].map(Math.fround));
  expect(m.data[6002]).toBe(Math.fround(5999 / 7));
  await expect(writer.append(new Float32Array(3))).rejects.toThrow(/closed/);
});

it('NpyReader reads the rows of a file writeNpy (numpy’s layout) wrote, past its read chunks', async () => {
  const path = join(dir.path, 'r.npy');
  const rows = 2500;
  await writeNpy(
    path,
    matrixOf(
      Float32Array.from({ length: rows * 2 }, (_, i) => i),
      2,
    ),
  );
  const reader = await NpyReader.open(path);
  expect([reader.rows, reader.dimension]).toEqual([rows, 2]);
  let n = 0;
  for (let row = await reader.next(); row; row = await reader.next()) {
    expect(Array.from(row)).toEqual([2 * n, 2 * n + 1]);
    n++;
  }
  expect(n).toBe(rows);
  await reader.close();
});

it('NpyReader refuses a truncated file and another dtype with VectorFileFormatError', async () => {
  const good = encodeNpy(matrixOf(new Float32Array(8), 2));
  writeFileSync(join(dir.path, 'short.npy'), good.subarray(0, good.length - 4));
  await expect(NpyReader.open(join(dir.path, 'short.npy'))).rejects.toThrow(VectorFileFormatError);
  writeFileSync(join(dir.path, 'f8.npy'), Buffer.from(good.toString('latin1').replace("'<f4'", "'<f8'"), 'latin1'));
  await expect(NpyReader.open(join(dir.path, 'f8.npy'))).rejects.toThrow(/dtype '<f8'/);
});
