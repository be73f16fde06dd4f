import { ValidationError } from '@sochdb/core';
import { toFloat32, toIndexArray } from '../shared/validate.js';

/**
 * Distance metrics and the distance each reports (smaller is closer):
 * - `cosine`: `1 − cos(a, b)`, in [0, 2].
 * - `euclidean`: `‖a − b‖`, the true (square-rooted) L2 distance.
 * - `dot_product`: `1 − a·b` (hnswlib's inner-product distance), so for unit vectors it equals the
 *   cosine distance; it may be negative when `a·b > 1`.
 */
export type Metric = 'cosine' | 'euclidean' | 'dot_product';
/** Every `Metric` value, e.g. to validate a user's choice or list it in a CLI. */
export const METRICS: readonly Metric[] = ['cosine', 'euclidean', 'dot_product'];

export type HnswSpace = 'cosine' | 'l2' | 'ip';

export function requireMetric(metric: unknown, field = 'metric'): Metric {
  if (typeof metric === 'string' && (METRICS as readonly string[]).includes(metric)) return metric as Metric;
  throw new ValidationError(`${field} must be one of ${METRICS.join(', ')}, got ${JSON.stringify(metric)}`, {
    field,
    remediation: `Use 'cosine', 'euclidean' or 'dot_product'.`,
  });
}

export function spaceOf(metric: Metric): HnswSpace {
  return metric === 'cosine' ? 'cosine' : metric === 'euclidean' ? 'l2' : 'ip';
}

/** hnswlib reports squared L2; users expect the L2 distance itself. */
export function fromHnswDistance(metric: Metric, raw: number): number {
  return metric === 'euclidean' ? Math.sqrt(Math.max(0, raw)) : raw;
}

/**
 * A similarity score where larger is better: `cos(a, b)` for cosine, `a·b` for dot product and
 * `1 / (1 + ‖a − b‖)` for euclidean.
 */
export function scoreOf(metric: Metric, distance: number): number {
  return metric === 'euclidean' ? 1 / (1 + distance) : 1 - distance;
}

/** Exact distance in the metric's convention, for brute-force scans. `stored` is as hnswlib keeps it. */
export function exactDistance(metric: Metric, query: ArrayLike<number>, stored: ArrayLike<number>): number {
  let acc = 0;
  if (metric === 'euclidean') {
    for (let i = 0; i < query.length; i++) {
      const d = query[i]! - stored[i]!;
      acc += d * d;
    }
    return Math.sqrt(acc);
  }
  let norm = 0;
  for (let i = 0; i < query.length; i++) {
    acc += query[i]! * stored[i]!;
    norm += query[i]! * query[i]!;
  }
  // hnswlib stores cosine vectors already normalised; only the query needs it here.
  return metric === 'cosine' ? 1 - (norm > 0 ? acc / Math.sqrt(norm) : 0) : 1 - acc;
}

/** Checks a document's vector and copies it to float32, as stored; see `toFloat32`. */
export function prepareStoredVector(vector: unknown, dimension: number, metric: Metric, field: string): Float32Array {
  const values = toFloat32(vector, dimension, field);
  if (metric === 'cosine' && values.every((x) => x === 0)) throw zeroVector(field);
  return values;
}

function zeroVector(field: string): ValidationError {
  return new ValidationError(`${field} is all zeros; cosine distance is undefined for it`, {
    field,
    remediation: "Pass a non-zero vector, or use metric 'euclidean'.",
  });
}

/** Checks a vector for an index of this dimension and metric; see `toIndexArray`. */
export function prepareVector(vector: unknown, dimension: number, metric: Metric, field: string): number[] {
  const values = toIndexArray(vector, dimension, field);
  if (metric === 'cosine' && values.every((x) => x === 0)) throw zeroVector(field);
  return values;
}
