import { ValidationError } from '@sochdb/core';
import { makeTempDir } from '@sochdb/core/testing';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeNpy, encodeNpy, readNpy, readRawF32, readVectorFile, VectorFileFormatError, writeNpy, writeRawF32 } from '../src/index.js';

// Fixtures were written by NumPy 2.4 (np.save / numpy.lib.format.write_array / ndarray.tofile).
const fixture = (name: string) => join(import.meta.dirname, 'fixtures', name);
const expected = Array.from({ length: 12 }, (_, i) => i / 4 - 1);
const tmp = makeTempDir('sochdb-vector-files-');
afterAll(() => tmp.cleanup());

describe('.npy and raw f32 files', () => {
  it('reads NumPy float32 2-D arrays with v1 and v2 headers', async () => {
    for (const name of ['f32-3x4.npy', 'f32-3x4-v2.npy']) {
      const m = await readNpy(fixture(name));
      expect([m.rows, m.dimension]).toEqual([3, 4]);
      expect(Array.from(m.data)).toEqual(expected);
    }
  });

  it('writes byte-for-byte what NumPy writes, and reads its own output back', async () => {
    const m = await readNpy(fixture('f32-3x4.npy'));
    expect(encodeNpy(m).equals(readFileSync(fixture('f32-3x4.npy')))).toBe(true);
    const out = join(tmp.path, 'out.npy');
    await writeNpy(out, m);
    expect(Array.from((await readNpy(out)).data)).toEqual(expected);
  });

  it('reads and writes raw little-endian f32 given the dimension', async () => {
    const m = await readRawF32(fixture('f32-3x4.raw'), 4);
    expect([m.rows, m.dimension, ...m.data]).toEqual([3, 4, ...expected]);
    const out = join(tmp.path, 'out.raw');
    await writeRawF32(out, m);
    expect(readFileSync(out).equals(readFileSync(fixture('f32-3x4.raw')))).toBe(true);
    expect((await readVectorFile(fixture('f32-3x4.raw'), { dimension: 2 })).rows).toBe(6);
  });

  it.each([
    ['f64-3x4.npy', /dtype '<f8' is not supported/],
    ['f32-bigendian.npy', /dtype '>f4' is not supported/],
    ['f32-1d.npy', /not 2-D/],
    ['f32-3d.npy', /not 2-D/],
    ['f32-fortran.npy', /Fortran/],
    ['f32-3x4.raw', /not a \.npy file/],
  ])('refuses %s with a VectorFileFormatError that says why', async (name, message) => {
    const error = await readNpy(fixture(name)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VectorFileFormatError);
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ code: 6101, message: expect.stringMatching(message), remediation: expect.any(String) });
  });

  it('refuses truncated files, raw files without a dimension or with a wrong one, and missing files', async () => {
    const cut = join(tmp.path, 'cut.npy');
    writeFileSync(cut, readFileSync(fixture('f32-3x4.npy')).subarray(0, 150));
    await expect(readNpy(cut)).rejects.toThrow(/expected 48 data bytes/);
    expect(() => decodeNpy(Buffer.from('\x93NUMPY'))).toThrow(VectorFileFormatError);
    await expect(readRawF32(fixture('f32-3x4.raw'), 5)).rejects.toThrow(/not a whole number of 5-dimensional/);
    await expect(readVectorFile(fixture('f32-3x4.raw'))).rejects.toThrow(/dimension is required/);
    await expect(readVectorFile(fixture('f32-3x4.npy'), { dimension: 8 })).rejects.toMatchObject({
      name: 'DimensionMismatchError',
      code: 6001,
      expected: 8,
      actual: 4,
      remediation: expect.stringMatching(/holds 4-dimensional/),
    });
    await expect(readNpy(join(tmp.path, 'nope.npy'))).rejects.toMatchObject({ code: 6101, message: expect.stringMatching(/cannot read/) });
  });
});
