import { DatabaseError } from '@sochdb/core';
import type { CollectionKeys } from './collection-keys.js';

/**
 * Which documents a stored postings segment numbers 0…n−1 (`['s', segment]`): document j is
 * `ids[j]`, and its postings there count while its record names `origins[originOf[j]]` (the write
 * that indexed that version; `originOf` is omitted when every document has origin 0). A segment
 * written by one write has that write as its only origin; a merged one keeps each document's.
 * Its postings are in `buckets` values (see posting-block.ts).
 */
export interface SegmentHeader extends SegmentDocs {
  readonly buckets: number;
}

/** A segment header's documents (see `SegmentHeader`). */
export interface SegmentDocs {
  readonly ids: readonly string[];
  readonly origins: readonly string[];
  readonly originOf?: readonly number[];
}

/** What a merge committed: the segments it removed, and the one it wrote (none when nothing was live). */
export interface MergeResult {
  readonly removed: readonly string[];
  readonly added?: { readonly id: string; readonly header: SegmentHeader };
}

/** Document j's origin (the write segment its record must name for its postings to count). */
export function originAt(header: SegmentDocs, j: number): string {
  return header.origins[header.originOf?.[j] ?? 0]!;
}

export function encodeHeader({ ids, origins, originOf, buckets }: SegmentHeader): Buffer {
  return Buffer.from(JSON.stringify(originOf === undefined ? { ids, origins, buckets } : { ids, origins, originOf, buckets }), 'utf8');
}

/** A stored header, or a DatabaseError naming the collection when the bytes are not one. */
export function decodeHeader(value: Uint8Array, keys: CollectionKeys): SegmentHeader {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('utf8'));
  } catch {
    throw damaged(keys, 'a postings segment header is not JSON');
  }
  const { ids, origins, originOf, buckets } = (parsed ?? {}) as { ids?: unknown; origins?: unknown; originOf?: unknown; buckets?: unknown };
  if (!isStrings(ids) || !isStrings(origins) || origins.length === 0) throw damaged(keys, 'a postings segment header lacks its ids or origins');
  if (typeof buckets !== 'number' || !Number.isInteger(buckets) || buckets < 1) throw damaged(keys, 'a postings segment header lacks its bucket count');
  if (originOf !== undefined) {
    const ok = Array.isArray(originOf) && originOf.length === ids.length && originOf.every((o) => Number.isInteger(o) && o >= 0 && o < origins.length);
    if (!ok) throw damaged(keys, 'a postings segment header names origins out of range');
    return { ids, origins, originOf: originOf as number[], buckets };
  }
  return { ids, origins, buckets };
}

/** The error for damaged postings of the collection `keys` names. */
export function damaged(keys: CollectionKeys, what: string): DatabaseError {
  return new DatabaseError(`collection '${keys.name}' in namespace '${keys.namespace}' has damaged postings: ${what}`, {
    remediation: 'The database files are damaged or were written by a newer version; restore from a backup, or re-insert the documents into a new collection.',
  });
}

function isStrings(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((x) => typeof x === 'string');
}

/** Decodes a stored postings value, as a DatabaseError naming the collection when it is damaged. */
export function readStored<T>(keys: CollectionKeys, decode: () => T): T {
  try {
    return decode();
  } catch (error) {
    throw damaged(keys, (error as Error).message);
  }
}
