import type { KeyValueReader } from '@sochdb/core';
import { FULL_SCAN, isPointLookup, readBatches, searchKey, type AccessPath } from './access.js';
import { searchCachedRows } from './cached-ranges.js';
import { isShared, type RowCache } from './row-cache.js';
import type { KeySpace } from '../schema/keys.js';
import type { TableDef } from '../schema/schema.js';
import type { Env } from '../expr/scope.js';
import type { SqlValue } from '../values/values.js';

// Reading a table through the row cache: scans and searches served from it, and the reads that fill it.

type Row = SqlValue[];

/**
 * The rows an access path selects, in batches, as `readBatches` reads them; a whole-table scan
 * is served from `cache` when it can be, and fills it when it runs to the end.
 */
export async function* scanBatches(
  reader: KeyValueReader,
  keys: KeySpace,
  cache: RowCache | undefined,
  table: TableDef,
  path: AccessPath,
  env: Env,
  defaults: readonly SqlValue[],
  needed: readonly boolean[] | undefined,
): AsyncGenerator<{ readonly rows: readonly Row[] }> {
  const lsn = cache ? cache.eligible(reader) : undefined;
  if (lsn === undefined || (path.kind === 'pk' && isPointLookup(table, path))) {
    yield* readBatches(reader, keys, table, path, env, defaults, needed);
    return;
  }
  if (path.kind !== 'scan') {
    yield* searchBatches(reader, keys, cache!, table, path, env, defaults, needed);
    return;
  }
  const cached = cache!.lookup(table, reader);
  if (cached) {
    yield { rows: cached };
    return;
  }
  // Kept for the cache only while the table may still fit in it: past `maxRows` the scan streams
  // on without them, so a COUNT(*) over ten million rows holds one batch, not the table.
  let all: Row[] | undefined = [];
  let rowKeys: Buffer[] = [];
  for await (const batch of readBatches(reader, keys, table, path, env, defaults, undefined)) {
    if (all !== undefined) {
      for (const r of batch.rows) all.push(r);
      for (const k of batch.keys) rowKeys.push(k);
      if (all.length > cache!.maxRows) {
        all = undefined;
        rowKeys = [];
      }
    }
    yield batch;
  }
  // Reached only when the caller read to the end (a LIMIT that stops early stores nothing).
  if (all !== undefined) cache!.store(table, lsn, all, rowKeys, defaults, keys);
}

/**
 * A search (by index, or a primary-key range) answered from the table's cached rows when they
 * are there and current (cached-ranges.ts), else from storage. Storage reads are counted, and
 * once they add up to a fraction of the table (RowCache.searchDue) the table is loaded whole or
 * caught up with its commits, so a table searched again and again is soon searched in memory,
 * while one written between every few searches is not copied for each of them.
 */
async function* searchBatches(
  reader: KeyValueReader,
  keys: KeySpace,
  cache: RowCache,
  table: TableDef,
  path: AccessPath,
  env: Env,
  defaults: readonly SqlValue[],
  needed: readonly boolean[] | undefined,
): AsyncGenerator<{ readonly rows: readonly Row[] }> {
  const key = searchKey(path, env);
  if (key === undefined) return;
  const due = cache.searchDue(table);
  let rows = cache.lookup(table, reader, due);
  if (rows === undefined && due) {
    const loaded = await loadWholeTable(reader, keys, cache, table, env, defaults, cache.maxRows);
    if (loaded !== undefined && isShared(loaded)) rows = loaded;
    else cache.loadFailed(table, loaded?.length ?? cache.maxRows + 1);
  }
  const found = rows === undefined ? undefined : searchCachedRows(rows, keys, table, path, key);
  if (found !== undefined) {
    for (const part of found) if (part.length > 0) yield { rows: part };
    return;
  }
  for await (const batch of readBatches(reader, keys, table, path, env, defaults, needed)) {
    cache.searchedStorage(table, batch.rows.length);
    yield batch;
  }
}

/**
 * Every row of `table`, when `cache` can serve or keep them: the
 * cache's own array (shared, read-only) — also on the read that fills it, so whatever a query
 * builds over the array (a hash table) is reused from the next query on. Undefined when the
 * reader may not use the cache.
 */
export async function loadWholeTable(
  reader: KeyValueReader,
  keys: KeySpace,
  cache: RowCache,
  table: TableDef,
  env: Env,
  defaults: readonly SqlValue[],
  atMost = Infinity,
): Promise<readonly Row[] | undefined> {
  const lsn = cache.eligible(reader);
  if (lsn === undefined) return undefined;
  const cached = cache.lookup(table, reader);
  if (cached) return cached;
  const all: Row[] = [];
  const rowKeys: Buffer[] = [];
  for await (const batch of readBatches(reader, keys, table, FULL_SCAN, env, defaults, undefined)) {
    for (const r of batch.rows) all.push(r);
    for (const k of batch.keys) rowKeys.push(k);
    if (all.length > atMost) return undefined;
  }
  cache.store(table, lsn, all, rowKeys, defaults, keys);
  return all;
}
