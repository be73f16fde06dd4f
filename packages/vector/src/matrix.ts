import { ValidationError } from '@sochdb/core';
import { checkInteger, type VectorLike } from './validate.js';

/** A row-major float32 matrix: `rows` vectors of `dimension` numbers in `data`. */
export interface VectorMatrix {
  readonly rows: number;
  readonly dimension: number;
  readonly data: Float32Array;
}

/** Wraps row-major data, checking that it divides into whole rows. */
export function matrixOf(data: Float32Array, dimension: number): VectorMatrix {
  checkInteger(dimension, 'dimension', 1);
  if (data.length % dimension !== 0) {
    throw new ValidationError(`${data.length} numbers do not divide into rows of ${dimension}`, {
      field: 'dimension',
      remediation: 'Check the dimension: the data length must be a multiple of it.',
    });
  }
  return { rows: data.length / dimension, dimension, data };
}

/** Packs vectors of equal length into one matrix (values are checked later by the index). */
export function matrixFromRows(rows: readonly VectorLike[]): VectorMatrix {
  if (!Array.isArray(rows) || rows.length === 0) {
    throw new ValidationError('expected a non-empty array of vectors', { field: 'vectors', remediation: 'Pass at least one vector.' });
  }
  const dimension = rows[0]!.length;
  checkInteger(dimension, 'vectors[0].length', 1);
  const data = new Float32Array(rows.length * dimension);
  rows.forEach((row, i) => {
    if (row.length !== dimension) {
      throw new ValidationError(`vectors[${i}] has ${row.length} numbers but vectors[0] has ${dimension}`, {
        field: `vectors[${i}]`,
        remediation: 'Every vector in a matrix must have the same dimension.',
      });
    }
    data.set(row, i * dimension);
  });
  return { rows: rows.length, dimension, data };
}

export function rowOf(matrix: VectorMatrix, i: number): Float32Array {
  return matrix.data.subarray(i * matrix.dimension, (i + 1) * matrix.dimension);
}
