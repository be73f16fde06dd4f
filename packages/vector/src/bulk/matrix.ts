import { ValidationError } from '@sochdb/core';
import { requireInteger, type VectorLike } from '../shared/validate.js';

/** A row-major float32 matrix: `rows` vectors of `dimension` numbers in `data`. */
export interface VectorMatrix {
  /** Number of vectors. */
  readonly rows: number;
  /** Numbers per vector (≥ 1). */
  readonly dimension: number;
  /** Row i is `data[i × dimension … (i + 1) × dimension)`; at least `rows × dimension` long. */
  readonly data: Float32Array;
}

/** Wraps row-major data, checking that it divides into whole rows. */
export function matrixOf(data: Float32Array, dimension: number): VectorMatrix {
  requireInteger(dimension, 'dimension', 1);
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
  // An index loop: forEach skips holes, which would leave rows of zeros in the matrix.
  const rowAt = (i: number): VectorLike => {
    const row: unknown = rows[i];
    if (!Array.isArray(row) && !(row instanceof Float32Array) && !(row instanceof Float64Array)) {
      throw new ValidationError(`vectors[${i}] must be an array of numbers or a Float32Array, got ${row === undefined ? 'nothing (a hole)' : typeof row}`, {
        field: `vectors[${i}]`,
        remediation: 'Pass one vector per row.',
      });
    }
    return row as VectorLike;
  };
  const dimension = rowAt(0).length;
  requireInteger(dimension, 'vectors[0].length', 1);
  const data = new Float32Array(rows.length * dimension);
  for (let i = 0; i < rows.length; i++) {
    const row = rowAt(i);
    if (row.length !== dimension) {
      throw new ValidationError(`vectors[${i}] has ${row.length} numbers but vectors[0] has ${dimension}`, {
        field: `vectors[${i}]`,
        remediation: 'Every vector in a matrix must have the same dimension.',
      });
    }
    data.set(row, i * dimension);
  }
  return { rows: rows.length, dimension, data };
}

/**
 * Checks a matrix a caller built by hand and returns it with `data` cut to exactly rows ×
 * dimension numbers. Longer data is spare capacity; shorter data is refused, since encoding it
 * would read past the view into whatever shares its buffer (or throw an untyped RangeError).
 */
export function requireMatrix(matrix: VectorMatrix, field = 'matrix'): VectorMatrix {
  if (matrix === null || typeof matrix !== 'object' || !(matrix.data instanceof Float32Array)) {
    throw new ValidationError(`${field} must be { rows, dimension, data: Float32Array }`, {
      field,
      remediation: 'Build one with matrixOf(data, dimension) or matrixFromRows(rows).',
    });
  }
  const rows = requireInteger(matrix.rows, 'rows', 0);
  const dimension = requireInteger(matrix.dimension, 'dimension', 1);
  const needed = rows * dimension;
  if (matrix.data.length < needed) {
    throw new ValidationError(`${rows} rows × ${dimension} dimensions need ${needed} numbers, got ${matrix.data.length}`, {
      field: 'data',
      remediation: 'Pass data holding every row, or set rows to data.length / dimension.',
    });
  }
  return matrix.data.length === needed ? matrix : { rows, dimension, data: matrix.data.subarray(0, needed) };
}

/** Row `i` as a view into `matrix.data` (no copy: writes go through). `i` is not range-checked: past the end gives a short or empty array. */
export function rowOf(matrix: VectorMatrix, i: number): Float32Array {
  return matrix.data.subarray(i * matrix.dimension, (i + 1) * matrix.dimension);
}
