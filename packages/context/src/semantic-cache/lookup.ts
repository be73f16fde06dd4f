import type { Collection, MetadataFilter } from '@sochdb/vector';
import { isExpired, type CacheVector, type StoredEntry } from './entry.js';
import type { SemanticCacheEntry, SemanticCacheHit } from './types.js';

/** Rankings a lookup makes at most while the entry it found keeps being replaced under it. */
const MAX_LOOKUP_ROUNDS = 3;

/** What a lookup needs besides the query. */
export interface LookupSettings {
  readonly threshold: number;
  readonly efSearch: number;
  /** The entry's record, read from storage at the time of the call. */
  readonly readEntry: (key: string) => Promise<StoredEntry | undefined> | StoredEntry | undefined;
}

/**
 * The live entry most similar to `query` at `now`, if its similarity reaches the threshold. One
 * HNSW search for the nearest entry; only when that one has expired (not yet swept) a second,
 * filtered to the live entries. The entry's record is then read from storage and must be the
 * version the index ranked (its generation `g`): one replaced or deleted since, by any process,
 * makes the lookup rank again (the collection catches up with the commit feed first).
 */
export async function nearestLive(collection: Collection, query: CacheVector, now: number, settings: LookupSettings): Promise<SemanticCacheHit | null> {
  const { threshold, efSearch } = settings;
  for (let round = 0; round < MAX_LOOKUP_ROUNDS; round++) {
    let [best] = await collection.vectorSearch(query, 1, { efSearch });
    if (best !== undefined && best.score >= threshold && isExpired(best.metadata.x as number | null, now)) {
      [best] = await collection.vectorSearch(query, 1, { filter: liveAt(now), efSearch });
    }
    if (best === undefined || best.score < threshold) return null;
    const entry = await settings.readEntry(best.id);
    if (entry === undefined || entry.g !== best.metadata.g || isExpired(entry.x, now)) continue;
    return { ...entryOf(best.id, entry), score: best.score };
  }
  return null;
}

/** Entries that have not expired at `now`: no expiry, or one after `now`. */
function liveAt(now: number): MetadataFilter {
  return { $or: [{ x: null }, { x: { $gt: now } }] };
}

/** The entry as lookups return it. */
export function entryOf(key: string, entry: StoredEntry): SemanticCacheEntry {
  return entry.x === null ? { key, value: entry.v, createdAt: entry.c } : { key, value: entry.v, createdAt: entry.c, expiresAt: entry.x };
}
