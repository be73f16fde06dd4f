import { ValidationError } from '@sochdb/core';
import { MAX_CACHE_NAME_LENGTH } from './keys.js';

/** What `new SemanticCache(storage, options)` takes; a bad option is a `ValidationError` naming it. */
export interface SemanticCacheOptions {
  /** The namespace the cache belongs to: 1–256 characters, no NUL. Caches never see another namespace's entries. */
  readonly namespace: string;
  /** The cache's name within its namespace: 1–245 characters, no NUL (its collection is `__semcache:<name>`). */
  readonly name: string;
  /** Length of every vector, an integer 1–65,536; fixed when the cache is first created. */
  readonly dimension: number;
  /**
   * The least cosine similarity a lookup accepts, in [-1, 1]; default 0.9. Similarity is
   * `cos(a, b)`: 1 for the same direction, 0 for orthogonal vectors. The index stores float32
   * values, so the same vector scores 1 only to about 1e-7: a threshold of exactly 1 may miss it.
   */
  readonly threshold?: number;
  /** Milliseconds an entry lives after its put (a positive number); default no expiry (`Infinity`). */
  readonly ttlMs?: number;
  /** At most this many entries (an integer ≥ 1); a put beyond it evicts the least recently used. Default unbounded. */
  readonly maxEntries?: number;
  /** The similarity measure; only `'cosine'` (the default). */
  readonly metric?: 'cosine';
  /**
   * HNSW candidate list size of a lookup (1–100,000; default 256): larger finds the nearest entry
   * more often, at some cost in time. Not stored: each object may use its own.
   */
  readonly efSearch?: number;
}

/** The default `efSearch` of lookups (see `SemanticCacheOptions.efSearch`). */
export const DEFAULT_EF_SEARCH = 256;

/** Options of one `put`. */
export interface SemanticCachePutOptions {
  /** This entry's lifetime in milliseconds (a positive number, `Infinity` for none), instead of the cache's `ttlMs`. */
  readonly ttlMs?: number;
}

/** The options with their defaults, checked. */
export interface ResolvedCacheOptions {
  readonly namespace: string;
  readonly name: string;
  readonly dimension: number;
  readonly threshold: number;
  readonly ttlMs: number;
  readonly maxEntries: number;
  readonly metric: 'cosine';
  readonly efSearch: number;
}

/** Checks the constructor's options (synchronously: the constructor does no I/O). */
export function resolveCacheOptions(options: unknown): ResolvedCacheOptions {
  if (options === null || typeof options !== 'object') {
    throw new ValidationError('semantic cache options must be an object', {
      field: 'options',
      remediation: "Pass { namespace: 'app', name: 'answers', dimension: 384 }.",
    });
  }
  const o = options as Partial<Record<keyof SemanticCacheOptions, unknown>>;
  if (o.metric !== undefined && o.metric !== 'cosine') {
    throw new ValidationError(`metric must be 'cosine', got ${describe(o.metric)}`, { field: 'metric', remediation: "Omit metric or pass 'cosine'." });
  }
  return {
    namespace: requireName(o.namespace, 'namespace', 256),
    name: requireName(o.name, 'name', MAX_CACHE_NAME_LENGTH),
    dimension: requireInteger(o.dimension, 'dimension', 1, 65_536),
    threshold: requireThreshold(o.threshold),
    ttlMs: o.ttlMs === undefined ? Infinity : requireTtl(o.ttlMs, 'ttlMs'),
    maxEntries: o.maxEntries === undefined ? Infinity : requireInteger(o.maxEntries, 'maxEntries', 1, Number.MAX_SAFE_INTEGER),
    metric: 'cosine',
    efSearch: o.efSearch === undefined ? DEFAULT_EF_SEARCH : requireInteger(o.efSearch, 'efSearch', 1, 100_000),
  };
}

/** A lifetime in milliseconds: a positive number, `Infinity` meaning none. */
export function requireTtl(value: unknown, field: string): number {
  if (typeof value !== 'number' || Number.isNaN(value) || value <= 0) {
    throw new ValidationError(`${field} must be a positive number of milliseconds (Infinity for no expiry), got ${describe(value)}`, {
      field,
      remediation: 'Pass e.g. 3_600_000 for one hour, or omit it for no expiry.',
    });
  }
  return value;
}

function requireThreshold(value: unknown): number {
  if (value === undefined) return 0.9;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < -1 || value > 1) {
    throw new ValidationError(`threshold must be a cosine similarity in [-1, 1], got ${describe(value)}`, {
      field: 'threshold',
      remediation: 'Pass e.g. 0.9 (1 = the same direction, 0 = unrelated); omit it for 0.9.',
    });
  }
  return value;
}

function requireName(value: unknown, field: string, max: number): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > max || value.includes('\0')) {
    throw new ValidationError(`${field} must be a non-empty string of at most ${max} characters without NUL, got ${describe(value)}`, {
      field,
      remediation: `Pass a ${field} such as '${field === 'name' ? 'answers' : 'app'}'.`,
    });
  }
  return value;
}

function requireInteger(value: unknown, field: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new ValidationError(`${field} must be an integer from ${min} to ${max}, got ${describe(value)}`, { field });
  }
  return value;
}

/** A short description of a bad value for a message (never a whole large value). */
function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) return String(value);
  return typeof value;
}
