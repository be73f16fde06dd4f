import { compareBytes, decodeKey, encodeKey, type KeyPart } from '@sochdb/core';
import { indexEntryParts, keyPart, type KeySpace } from '../schema/keys.js';
import type { IndexDef, TableDef } from '../schema/schema.js';
import type { SqlValue } from '../values/values.js';
import { accessRanges, type AccessPath, type SearchKey } from './access.js';
import { derivationOf, rowKeyOf, rowKeyPosition } from './row-cache.js';

// Index and primary-key searches served from a table's cached rows (row-cache.ts) instead of
// LevelDB: a search is a binary search over the rows in the order the index (or the table) keeps
// them, with no iterator, no thread-pool hop and no row decode. The order is made from the same
// key bytes the index stores (indexEntryParts), and a search uses the very key ranges a read of
// storage would (accessRanges), so both return the same rows in the same order by construction.

type Row = SqlValue[];

/**
 * A secondary index over shared rows: `rows` in the index's key order, and the key of each one's
 * entry after the index prefix as a latin1 string (`tails`). A latin1 string orders like its
 * bytes under `<`, which V8 compares natively: sorting and searching strings measured several
 * times faster than comparing Buffers in JavaScript, and a short string is smaller than a Buffer.
 */
interface SortedIndex {
  readonly rows: readonly Row[];
  readonly tails: readonly string[];
}

/** Indexes built over row arrays shared by the row cache; they go with the rows. */
const sortedIndexes = new WeakMap<readonly Row[], Map<IndexDef, SortedIndex>>();

/**
 * The rows a search selects from `rows` (a table's whole cached rows, in row key order), in the
 * order a read of storage returns them, one array per key range. Undefined when the rows cannot
 * say (a row whose key is not known); the caller then reads storage.
 */
export function searchCachedRows(rows: readonly Row[], keys: KeySpace, table: TableDef, path: AccessPath, key: SearchKey): (readonly Row[])[] | undefined {
  const ranges = accessRanges(keys, table, path, key);
  if (path.kind === 'index') {
    const index = indexOver(rows, table, path.index!);
    if (index === undefined) return undefined;
    const base = encodeKey(keys.indexPrefix(table.name.toLowerCase(), path.index!.name.toLowerCase()));
    return ranges.map((r) => index.rows.slice(indexPosition(index, base, r.gte), indexPosition(index, base, r.lt)));
  }
  const out: (readonly Row[])[] = [];
  for (const r of ranges) {
    const from = rowKeyPosition(rows, r.gte);
    const to = rowKeyPosition(rows, r.lt);
    if (from === undefined || to === undefined) return undefined;
    out.push(rows.slice(from, to));
  }
  return out;
}

/**
 * The first entry of `index` at or after the full key `bound`. Every entry's key is `base` then
 * its tail, so a bound that starts with `base` compares by its tail, and one that does not lies
 * before or after every entry.
 */
function indexPosition(index: SortedIndex, base: Uint8Array, bound: Uint8Array): number {
  const head = compareBytes(bound.subarray(0, base.length), base);
  if (head !== 0) return head < 0 ? 0 : index.rows.length;
  const tail = Buffer.from(bound.buffer, bound.byteOffset + base.length, bound.length - base.length).toString('latin1');
  const { tails } = index;
  let lo = 0;
  let hi = tails.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (tails[mid]! < tail) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The index over `rows`: kept with them, patched from the previous array's, or built. */
function indexOver(rows: readonly Row[], table: TableDef, def: IndexDef): SortedIndex | undefined {
  let byIndex = sortedIndexes.get(rows);
  const kept = byIndex?.get(def);
  if (kept !== undefined) return kept;
  const index = patchedIndex(rows, table, def) ?? builtIndex(rows, table, def);
  if (index === undefined) return undefined;
  if (byIndex === undefined) sortedIndexes.set(rows, (byIndex = new Map<IndexDef, SortedIndex>()));
  byIndex.set(def, index);
  return index;
}

/** A row's entry key after the index prefix, as the writer made it (table-writer's indexEntry), in latin1. */
function entryTail(table: TableDef, def: IndexDef, row: Row): string | undefined {
  let pk: KeyPart[];
  if (table.primaryKey.length > 0) pk = table.primaryKey.map((i) => keyPart(row[i]!));
  else {
    // A rowid table's rowid is in the row's key only: ['sql', ns, 'r', table, rowid].
    const key = rowKeyOf(row);
    if (key === undefined) return undefined;
    pk = decodeKey(key).slice(4);
  }
  return encodeKey(indexEntryParts(def, row, pk).parts).toString('latin1');
}

function builtIndex(rows: readonly Row[], table: TableDef, def: IndexDef): SortedIndex | undefined {
  const entries: Entry[] = [];
  for (const row of rows) {
    const tail = entryTail(table, def, row);
    if (tail === undefined) return undefined;
    entries.push({ row, tail });
  }
  return sorted(entries);
}

interface Entry {
  readonly row: Row;
  readonly tail: string;
}

function sorted(entries: Entry[]): SortedIndex {
  entries.sort(byTail);
  return { rows: entries.map((e) => e.row), tails: entries.map((e) => e.tail) };
}

const byTail = (a: Entry, b: Entry): number => (a.tail < b.tail ? -1 : a.tail > b.tail ? 1 : 0);

/**
 * The index of `rows` made from the one over the array they were derived from (a row cache
 * catch-up: a few rows replaced, deleted or added): one merge of the old entries, less the
 * removed rows, with the added rows' entries. Undefined when there is no such index.
 */
function patchedIndex(rows: readonly Row[], table: TableDef, def: IndexDef): SortedIndex | undefined {
  const derivation = derivationOf(rows);
  const old = derivation === undefined ? undefined : sortedIndexes.get(derivation.from)?.get(def);
  if (derivation === undefined || old === undefined) return undefined;
  const removed = new Set(derivation.removed);
  const added: Entry[] = [];
  for (const row of derivation.added) {
    const tail = entryTail(table, def, row);
    if (tail === undefined) return undefined;
    added.push({ row, tail });
  }
  added.sort(byTail);
  const rowsOut: Row[] = [];
  const tailsOut: string[] = [];
  let j = 0;
  for (let i = 0; i < old.rows.length; i++) {
    const row = old.rows[i]!;
    if (removed.has(row)) continue;
    const tail = old.tails[i]!;
    for (; j < added.length && added[j]!.tail < tail; j++) {
      rowsOut.push(added[j]!.row);
      tailsOut.push(added[j]!.tail);
    }
    rowsOut.push(row);
    tailsOut.push(tail);
  }
  for (; j < added.length; j++) {
    rowsOut.push(added[j]!.row);
    tailsOut.push(added[j]!.tail);
  }
  return { rows: rowsOut, tails: tailsOut };
}
