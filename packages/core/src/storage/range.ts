import { compareBytes, toBytes } from '../bytes.js';
import { ValidationError } from '../errors.js';
import type { Range } from './types.js';

/** A validated range with byte bounds. The lower bound always excludes the reserved empty key. */
export interface NormalizedRange {
  readonly gt?: Buffer;
  readonly gte?: Buffer;
  readonly lt?: Buffer;
  readonly lte?: Buffer;
  readonly reverse: boolean;
  /** -1 for no limit, as LevelDB takes it. */
  readonly limit: number;
}

const EMPTY = Buffer.alloc(0);

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
