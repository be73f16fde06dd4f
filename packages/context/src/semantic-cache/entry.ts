import { DimensionMismatchError, serializeJson, ValidationError } from '@sochdb/core';

/** A JSON value as `put` stores it and lookups return it (what `JSON.parse` gives back). */
export type CacheValue = null | boolean | number | string | readonly CacheValue[] | { readonly [key: string]: CacheValue };

/** A vector as callers hold it. */
export type CacheVector = readonly number[] | Float32Array;

/**
 * An entry as stored under its `e` key: `c` createdAt and `x` expiresAt (ms since the epoch; `x`
 * null when it never expires), `g` the generation (a random number written with the vector's
 * document too, so a lookup can tell the entry it read is the one it ranked), `v` the value.
 */
export interface StoredEntry {
  readonly c: number;
  readonly x: number | null;
  readonly g: number;
  readonly v: CacheValue;
}

/** The entry's record text; the value goes in as the text `serializeJson` checked, not re-encoded. */
export function encodeEntry(createdAt: number, expiresAt: number | null, generation: number, valueJson: string): string {
  return `{"c":${createdAt},"x":${expiresAt === null ? 'null' : expiresAt},"g":${generation},"v":${valueJson}}`;
}

export function decodeEntry(raw: Buffer): StoredEntry {
  return JSON.parse(raw.toString('utf8')) as StoredEntry;
}

/** Whether an entry expiring at `expiresAt` is gone at `now` (it lives until strictly before its expiry). */
export function isExpired(expiresAt: number | null | undefined, now: number): boolean {
  return typeof expiresAt === 'number' && expiresAt <= now;
}

/** A fresh generation: a random integer JSON keeps exactly. */
export function newGeneration(): number {
  return Math.floor(Math.random() * Number.MAX_SAFE_INTEGER);
}

/** The value's JSON text; `ValidationError` (field `value…`) for anything JSON would not round-trip. */
export function valueJson(value: unknown): string {
  if (value === undefined) {
    throw new ValidationError('value must be a JSON value, got undefined', {
      field: 'value',
      remediation: 'Store null for "no value", or a string, number, boolean, array or plain object.',
    });
  }
  return serializeJson(value, 'value');
}

/** An entry key: a non-empty string. */
export function requireKey(key: unknown): string {
  if (typeof key !== 'string' || key.length === 0) {
    throw new ValidationError(`key must be a non-empty string, got ${typeof key === 'string' ? '""' : typeof key}`, {
      field: 'key',
      remediation: 'Pass the entry key as a non-empty string (e.g. a hash of the prompt).',
    });
  }
  return key;
}

/**
 * Checks a vector before anything is read or written: an array or Float32Array of `dimension`
 * finite float32 numbers, not all zero (its cosine with anything is undefined). The index would
 * refuse the same, but only after the cache's storage is opened.
 */
export function requireVector(vector: unknown, dimension: number): CacheVector {
  if (!(Array.isArray(vector) || vector instanceof Float32Array || vector instanceof Float64Array)) {
    throw new ValidationError('vector must be an array of numbers or a Float32Array', {
      field: 'vector',
      remediation: 'Pass the embedding as number[] or Float32Array.',
    });
  }
  const values = vector as ArrayLike<unknown>;
  if (values.length !== dimension) throw new DimensionMismatchError(dimension, values.length, { field: 'vector' });
  let nonZero = false;
  for (let i = 0; i < dimension; i++) {
    const x = values[i];
    if (typeof x !== 'number' || !Number.isFinite(Math.fround(x))) {
      throw new ValidationError(`vector[${i}] is ${String(x)}; every component must be a finite float32 number`, {
        field: `vector[${i}]`,
        remediation: 'Remove NaN/Infinity values (and values beyond ±3.4e38) from the embedding.',
      });
    }
    if (x !== 0) nonZero = true;
  }
  if (!nonZero) {
    throw new ValidationError('vector must not be all zeros: its cosine similarity is undefined', {
      field: 'vector',
      remediation: 'Pass a real embedding (at least one non-zero component).',
    });
  }
  return vector instanceof Float64Array ? Float32Array.from(vector) : (vector as CacheVector);
}
