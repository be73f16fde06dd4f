import { compareBytes, toBytes } from '../bytes.js';
import { ValidationError } from '../errors.js';
import type { Range } from './types.js';

/** A validated range with byte bounds. The lower bound always excludes the reserved empty key. */
export interface NormalizedRange {
  /** Exclusive lower bound; the empty Buffer when the caller gave no lower bound (or `gte: ''`). */
  readonly gt?: Buffer;
  /** Inclusive lower bound, never empty; at most one of `gt` and `gte` is set. */
  readonly gte?: Buffer;
  /** Exclusive upper bound; absent means to the last key. */
  readonly lt?: Buffer;
  /** Inclusive upper bound; at most one of `lt` and `lte` is set. */
  readonly lte?: Buffer;
  /** Whether to yield from the upper bound down. */
  readonly reverse: boolean;
  /** -1 for no limit, as LevelDB takes it. */
  readonly limit: number;
}

const EMPTY = Buffer.alloc(0);

/**
 * Validates a caller's `Range` and converts its bounds to Buffers, for a backend's `_iterator`.
 * Does not check that the bounds are in order: an inverted range simply yields nothing.
 * @throws ValidationError when both `gt` and `gte` (or `lt` and `lte`) are given, a bound is not
 * bytes or a string, or `limit` is not a non-negative integer.
 */
export function normalizeRange(range: Range = {}): NormalizedRange {
  if (range === null || typeof range !== 'object') throw new ValidationError('range must be an object like { gte, lt }', { field: 'range' });
  if (range.gt !== undefined && range.gte !== undefined) throw new ValidationError('give either gt or gte, not both', { field: 'range.gt' });
  if (range.lt !== undefined && range.lte !== undefined) throw new ValidationError('give either lt or lte, not both', { field: 'range.lt' });
  const limit = range.limit ?? -1;
  if (limit !== -1 && limit !== Infinity && (!Number.isInteger(limit) || limit < 0)) {
    throw new ValidationError(`range.limit must be a non-negative integer, got ${String(limit)}`, { field: 'range.limit' });
  }
  const out: { -readonly [K in keyof NormalizedRange]?: NormalizedRange[K] } = {
    reverse: range.reverse === true,
    limit: limit === Infinity ? -1 : limit,
  };
  // The empty key holds SochDB's own metadata, so no range may start at or below it.
  const gte = range.gte === undefined ? undefined : asBuffer(toBytes(range.gte, 'range.gte'));
  if (range.gt !== undefined) out.gt = asBuffer(toBytes(range.gt, 'range.gt'));
  else if (gte === undefined || gte.byteLength === 0) out.gt = EMPTY;
  else out.gte = gte;
  if (range.lt !== undefined) out.lt = asBuffer(toBytes(range.lt, 'range.lt'));
  if (range.lte !== undefined) out.lte = asBuffer(toBytes(range.lte, 'range.lte'));
  return out as NormalizedRange;
}

/** True when no key can fall inside the range (so backends need not be asked). */
export function isEmptyRange(r: NormalizedRange): boolean {
  if (r.limit === 0) return true;
  const lower = r.gt ?? r.gte;
  const upper = r.lt ?? r.lte;
  if (r.lt !== undefined && r.lt.byteLength === 0) return true;
  if (lower === undefined || upper === undefined) return false;
  const c = compareBytes(lower, upper);
  return c > 0 || (c === 0 && (r.gt !== undefined || r.lt !== undefined));
}

export function inRange(key: Buffer, r: NormalizedRange): boolean {
  if (r.gt !== undefined && compareBytes(key, r.gt) <= 0) return false;
  if (r.gte !== undefined && compareBytes(key, r.gte) < 0) return false;
  if (r.lt !== undefined && compareBytes(key, r.lt) >= 0) return false;
  if (r.lte !== undefined && compareBytes(key, r.lte) > 0) return false;
  return true;
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
