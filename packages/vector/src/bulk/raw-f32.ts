import { writeFile } from 'node:fs/promises';
import { DimensionMismatchError } from '@sochdb/core';
import { VectorFileFormatError } from '../shared/errors.js';
import { requireMatrix, matrixOf, type VectorMatrix } from './matrix.js';
import { decodeNpy, readInput } from './npy.js';
import { requireInteger } from '../shared/validate.js';

/** Parses headerless little-endian float32 rows of `dimension` numbers. */
export function decodeRawF32(bytes: Buffer, dimension: number, path?: string): VectorMatrix {
  requireInteger(dimension, 'dimension', 1);
  if (bytes.length % (dimension * 4) !== 0) {
    throw new VectorFileFormatError(
      `${path ?? 'raw f32 data'}: ${bytes.length} bytes is not a whole number of ${dimension}-dimensional float32 rows (${dimension * 4} bytes each)`,
      { ...(path === undefined ? {} : { path }), remediation: 'Check --dimension, and that the file holds little-endian float32 values only.' },
    );
  }
  const data = new Float32Array(bytes.length / 4);
  Buffer.from(data.buffer).set(bytes);
  return matrixOf(data, dimension);
}

/** The matrix as headerless little-endian float32 rows: `rows × dimension × 4` bytes, sharing memory with `data` (no copy). */
export function encodeRawF32(input: VectorMatrix): Buffer {
  const matrix = requireMatrix(input);
  return Buffer.from(matrix.data.buffer, matrix.data.byteOffset, matrix.rows * matrix.dimension * 4);
}

/** Reads a raw f32 file of `dimension`-number rows; VectorFileFormatError when unreadable or not a whole number of rows. */
export async function readRawF32(path: string, dimension: number): Promise<VectorMatrix> {
  return decodeRawF32(await readInput(path), dimension, path);
}

/** Writes `encodeRawF32(matrix)` to `path` (mode 0600), replacing any file there. The file has no header: keep the dimension. */
export async function writeRawF32(path: string, matrix: VectorMatrix): Promise<void> {
  await writeFile(path, encodeRawF32(matrix), { mode: 0o600 });
}

/** `npy`: NumPy's `.npy` (2-D little-endian float32). `raw_f32`: headerless little-endian float32 rows. */
export type VectorFileFormat = 'npy' | 'raw_f32';

/**
 * Reads a vector file: `.npy` by its extension or an explicit `format: 'npy'`; anything else is
 * raw f32 and needs `dimension`. A `.npy` read with a `dimension` must match it.
 */
export async function readVectorFile(path: string, options: { readonly format?: VectorFileFormat; readonly dimension?: number } = {}): Promise<VectorMatrix> {
  const format = options.format ?? (path.toLowerCase().endsWith('.npy') ? 'npy' : 'raw_f32');
  if (format === 'npy') {
    const matrix = decodeNpy(await readInput(path), path);
    if (options.dimension !== undefined && options.dimension !== matrix.dimension) {
      // The file is well-formed; its vectors are the wrong size for the caller: a dimension error.
      throw new DimensionMismatchError(options.dimension, matrix.dimension, {
        field: 'dimension',
        remediation: `${path} holds ${matrix.dimension}-dimensional vectors: pass dimension ${matrix.dimension}, or the file of ${options.dimension}-dimensional ones.`,
      });
    }
    return matrix;
  }
  if (format !== 'raw_f32') {
    throw new VectorFileFormatError(`unknown vector file format '${String(format)}'`, { path, remediation: "Use 'npy' or 'raw_f32'." });
  }
  if (options.dimension === undefined) {
    throw new VectorFileFormatError(`${path} is read as raw f32, which has no header: the dimension is required`, {
      path,
      remediation: 'Pass { dimension } (sochdb-bulk: --dimension), or use a .npy file.',
    });
  }
  return readRawF32(path, options.dimension);
}
