// Zod pieces the tools share. Each carries a description (clients show it to the model) and
// bounds that keep one call from asking for unbounded work.
import { z } from 'zod';

/** Any JSON value (metadata, properties, SQL parameters). */
export const jsonValue = z.json();

/** A non-empty identifier (key, node id, collection or queue name). */
export const id = (what: string) => z.string().min(1, `${what} must not be empty`).max(1024).describe(what);

/** A result-count bound: an integer from 1 to `max`, `fallback` when omitted. */
export const count = (what: string, fallback: number, max: number) =>
  z.number().int(`${what} must be an integer`).min(1).max(max).default(fallback).describe(`${what} (1–${max}, default ${fallback})`);

/** A vector of finite numbers. */
export const vector = z.array(z.number().finite()).min(1).max(65_536).describe('embedding vector, of the collection dimension');

/** Metadata: a flat or nested JSON object. */
export const metadata = z.record(z.string(), jsonValue).describe('JSON object stored with the document, filterable');

/**
 * A metadata filter: `{ field: value }` for equality, or operators
 * `$eq $ne $gt $gte $lt $lte $in $nin $and $or`. Its structure is checked by the collection,
 * which names the offending field in a ValidationError.
 */
export const filter = z
  .record(z.string(), jsonValue)
  .describe('metadata filter: { field: value } equality, or $eq $ne $gt $gte $lt $lte $in $nin $and $or, e.g. { "year": { "$gte": 2020 } }');

/** SQL parameters: positional (`?`) as an array, or named (`:name`, `$name`, `@name`) as an object. */
export const sqlParams = z
  .union([z.array(jsonValue), z.record(z.string(), jsonValue)], { error: 'params must be an array (for ? placeholders) or an object (for :name placeholders)' })
  .optional()
  .describe('parameters: an array for ? placeholders, or an object for :name placeholders');

/** How KV values are written and read: text, or base64 for binary values. */
export const encoding = z.enum(['utf8', 'base64']).default('utf8').describe("'utf8' (default) or 'base64' for binary values");

/** Which edges of a node to follow. */
export const direction = z.enum(['out', 'in', 'both']).default('out').describe("'out' (default), 'in' or 'both'");

/** A timestamp in ms since the epoch. */
export const timestamp = (what: string) => z.number().int().min(0).describe(`${what} (ms since the epoch)`);
