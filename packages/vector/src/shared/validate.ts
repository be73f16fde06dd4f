import { DimensionMismatchError, ValidationError } from '@sochdb/core';

// The one array guard every package shares (it keeps a readonly T[]'s elements typed).
export { isArray } from '@sochdb/core/internal';

/** A vector as users hold it: a plain array or a typed array of floats. */
export type VectorLike = readonly number[] | Float32Array | Float64Array;

/**
 * Checks a vector and returns it as the plain array hnswlib-node's addon wants (it reads JS
 * arrays only), converting typed arrays once. Values must survive the float32 conversion the
 * index applies: NaN, ±Infinity and magnitudes beyond float32 range are refused.
 */
export function toIndexArray(vector: unknown, dimension: number, field = 'vector'): number[] {
  if (!(Array.isArray(vector) || vector instanceof Float32Array || vector instanceof Float64Array)) {
    throw new ValidationError(`${field} must be an array of numbers or a Float32Array`, {
      field,
      remediation: 'Pass the vector as number[] or Float32Array.',
    });
  }
  const values = vector as ArrayLike<unknown>;
  if (values.length !== dimension) throw new DimensionMismatchError(dimension, values.length, { field });
  const out = Array.isArray(vector) ? (vector as number[]) : plainArray(vector);
  for (let i = 0; i < out.length; i++) {
    const x = out[i];
    if (typeof x !== 'number' || !Number.isFinite(Math.fround(x))) throw notFinite(field, i, x);
  }
  return out;
}

/**
 * Checks a vector like `toIndexArray`, but copies it into a Float32Array instead of a plain array:
 * what collections store and queue for the graph (a plain array per document would be a kilobyte
 * of JS heap kept alive across garbage collections).
 */
export function toFloat32(vector: unknown, dimension: number, field = 'vector'): Float32Array {
  if (!(Array.isArray(vector) || vector instanceof Float32Array || vector instanceof Float64Array)) {
    toIndexArray(vector, dimension, field); // throws the type error
  }
  const values = vector as ArrayLike<unknown>;
  if (values.length !== dimension) throw new DimensionMismatchError(dimension, values.length, { field });
  const out = pooledFloat32(dimension);
  if (Array.isArray(values)) {
    for (let i = 0; i < dimension; i++) {
      const x: unknown = values[i];
      if (typeof x !== 'number') throw notFinite(field, i, x);
      out[i] = x;
    }
  } else out.set(values as Float32Array | Float64Array); // typed: a copy (and float32 conversion) in one call
  // NaN and ±Infinity stay what they are in float32, and values beyond its range become ±Infinity.
  for (let i = 0; i < dimension; i++) if (!Number.isFinite(out[i]!)) throw notFinite(field, i, values[i]);
  return out;
}

/** From Node's Buffer pool: a typed array of its own per small vector costs an off-heap allocation each. */
function pooledFloat32(length: number): Float32Array {
  const bytes = Buffer.allocUnsafe(length * 4);
  return new Float32Array(bytes.buffer, bytes.byteOffset, length);
}

function notFinite(field: string, i: number, x: unknown): ValidationError {
  return new ValidationError(`${field}[${i}] is ${String(x)}; every component must be a finite float32 number`, {
    field: `${field}[${i}]`,
    remediation: 'Remove NaN/Infinity values (and values beyond ±3.4e38) before inserting or searching.',
  });
}

/**
 * A typed array's values as a plain array of unboxed doubles. `Array.from` goes through the
 * iterator protocol, allocating an iterator result and a boxed number per component (~6 KB of
 * garbage for a 128-d vector); this allocates the array alone.
 */
export function plainArray(values: Float32Array | Float64Array): number[] {
  const out = new Array<number>(values.length);
  for (let i = 0; i < values.length; i++) out[i] = values[i]!;
  return out;
}

/** Checks an integer option such as `k`, `m` or `efSearch`. */
export function requireInteger(value: unknown, field: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new ValidationError(`${field} must be an integer from ${min} to ${max}, got ${String(value)}`, {
      field,
      remediation: `Pass an integer ${field} between ${min} and ${max}.`,
    });
  }
  return value;
}

export function requireId(id: unknown, field = 'id'): string {
  if (typeof id !== 'string' || id.length === 0) {
    throw new ValidationError(`${field} must be a non-empty string, got ${typeof id === 'string' ? 'an empty string' : typeof id}`, {
      field,
      remediation: 'Use a non-empty string id (or omit it where an id is generated for you).',
    });
  }
  return id;
}
