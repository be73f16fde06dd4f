import { decodeKey, encodeKey, keyRange, LocalTransaction, type Entry, type EntryIterator, type KeyPart, type KeyValueReader, type Range } from '@sochdb/core';
import { keyPart, type KeySpace } from '../schema/keys.js';
import { decodeRow } from '../schema/row-codec.js';
import type { IndexDef, TableDef } from '../schema/schema.js';
import type { Compiled, Env } from '../expr/scope.js';
import type { SqlValue } from '../values/values.js';

/** A bound on the column after the equality prefix; `value` is already converted for the column. */
export interface Bound {
  readonly value: Compiled;
  readonly inclusive: boolean;
}

/**
 * How a table's rows are found: a full scan, or a search on the primary key or a secondary
 * index by an equality prefix (`eq`, one value per leading key column) and an optional range on
 * the next key column. Every conjunct used here is still re-checked as a filter.
 */
export interface AccessPath {
  readonly kind: 'scan' | 'pk' | 'index';
  readonly index: IndexDef | undefined;
  readonly eq: readonly Compiled[];
  readonly lower: Bound | undefined;
  readonly upper: Bound | undefined;
  /** For EXPLAIN: e.g. `(id=?)` or `(age>? AND age<?)`. */
  readonly detail: string;
}

export const FULL_SCAN: AccessPath = { kind: 'scan', index: undefined, eq: [], lower: undefined, upper: undefined, detail: '' };

export interface StoredRow {
  readonly key: Buffer;
  readonly values: SqlValue[];
}

/** True when the path reads exactly one row by its whole primary key. */
export function isPointLookup(table: TableDef, path: AccessPath): boolean {
  return path.kind === 'pk' && path.eq.length === keyColumnCount(table) && path.lower === undefined && path.upper === undefined;
}

function keyColumnCount(table: TableDef): number {
  return table.primaryKey.length === 0 ? 1 : table.primaryKey.length;
}

/** A `[gte, lt)` range of keys. */
export interface KeySpan {
  readonly gte: Buffer;
  readonly lt: Buffer;
}

/**
 * The key ranges holding values between `lower` and `upper` in SQLite's order. Key order is
 * per type (bytes < strings < numbers) while SQLite orders numbers < text < blobs, so a bound
 * maps to up to three ranges, one per storage class.
 */
export function classRanges(
  prefix: readonly KeyPart[],
  lower: { v: KeyPart; inclusive: boolean } | undefined,
  upper: { v: KeyPart; inclusive: boolean } | undefined,
): KeySpan[] {
  const classes = ['number', 'text', 'blob'] as const;
  const classOf = (v: KeyPart) => (typeof v === 'number' || typeof v === 'bigint' ? 0 : typeof v === 'string' ? 1 : 2);
  const ranges: KeySpan[] = [];
  const lo = lower ? classOf(lower.v) : 0;
  const hi = upper ? classOf(upper.v) : 2;
  for (let c = lo; c <= hi; c++) {
    const start: { gte: Buffer } =
      lower && classOf(lower.v) === c
        ? lower.inclusive
          ? { gte: encodeKey([...prefix, lower.v]) }
          : { gte: keyRange([...prefix, lower.v]).lt ?? encodeKey([...prefix, lower.v]) }
        : { gte: encodeKey([...prefix, classes[c] === 'number' ? -Infinity : classes[c] === 'text' ? '' : new Uint8Array(0)]) };
    const end: { lt: Buffer } =
      upper && classOf(upper.v) === c
        ? upper.inclusive
          ? { lt: keyRange([...prefix, upper.v]).lt }
          : { lt: encodeKey([...prefix, upper.v]) }
        : classes[c] === 'number'
          ? { lt: keyRange([...prefix, Infinity]).lt }
          : { lt: encodeKey([...prefix, classes[c] === 'text' ? -Infinity : '']) };
    ranges.push({ ...start, ...end });
  }
  return ranges;
}

/** Rows per scan batch: 2048 and 4096 measured slower on whole-table queries (more GC of long-lived arrays). */
const SCAN_BATCH = 512;

/** A batch of rows read by an access path: `rows[i]` is stored under `keys[i]`. */
export interface RowBatch {
  readonly keys: Buffer[];
  readonly rows: SqlValue[][];
}

/** Reads the rows an access path selects, in key order, as key/values pairs (for statements that change them). */
export async function* readRows(
  reader: KeyValueReader,
  keys: KeySpace,
  table: TableDef,
  path: AccessPath,
  env: Env,
  defaults: readonly SqlValue[],
  needed: readonly boolean[] | undefined = undefined,
): AsyncGenerator<StoredRow[]> {
  for await (const batch of readBatches(reader, keys, table, path, env, defaults, needed)) {
    yield batch.rows.map((values, i) => ({ key: batch.keys[i]!, values }));
  }
}

/**
 * Reads the rows an access path selects, in key order, in batches (one await per batch, not per
 * row), as parallel key and row arrays so a query makes no object per row.
 */
export async function* readBatches(
  reader: KeyValueReader,
  keys: KeySpace,
  table: TableDef,
  path: AccessPath,
  env: Env,
  defaults: readonly SqlValue[],
  needed: readonly boolean[] | undefined = undefined,
): AsyncGenerator<RowBatch> {
  const key = searchKey(path, env);
  if (key === undefined) return;
  const tableName = table.name.toLowerCase();
  const read: RangeRead = { reader, width: table.columns.length, defaults, needed, shortBatchEnds: shortBatchEndsRange(reader) };
  if (path.kind === 'pk' && isPointLookup(table, path)) {
    const rowKey = keys.row(tableName, key.eqParts);
    const v = await reader.get(rowKey);
    if (v) yield { keys: [rowKey], rows: [decodeRow(v, read.width, defaults, needed)] };
    return;
  }
  for (const range of accessRanges(keys, table, path, key)) {
    if (path.kind === 'index') yield* readIndexRange(read, keys, tableName, range);
    else yield* readRowRange(read, range);
  }
}

/**
 * The key ranges a search reads, in key order: of the index's entries for an index path, else
 * of the table's row keys (a scan reads the whole table's range).
 */
export function accessRanges(keys: KeySpace, table: TableDef, path: AccessPath, key: SearchKey): KeySpan[] {
  const tableName = table.name.toLowerCase();
  const { eqParts, lower, upper } = key;
  const prefix = path.kind === 'index' ? keys.indexPrefix(tableName, path.index!.name.toLowerCase(), eqParts) : keys.rowPrefix(tableName, eqParts);
  return lower || upper ? classRanges(prefix, lower, upper) : [keyRange(prefix)];
}

/**
 * Whether an iterator of `reader` returns a batch shorter than asked for only at the end of its
 * range, so that the read can stop there without one more round trip. Core promises only that an
 * empty batch is the end (a LevelDB iterator may return fewer entries mid-range); a
 * LocalTransaction's iterator merges its own writes into its snapshot's entries and fills every
 * batch until the range runs out. Any other reader is read until an empty batch.
 */
function shortBatchEndsRange(reader: KeyValueReader): boolean {
  return reader instanceof LocalTransaction;
}

/** What one range read needs besides the range. */
interface RangeRead {
  readonly reader: KeyValueReader;
  /** Columns of the table (decodeRow's column count). */
  readonly width: number;
  readonly defaults: readonly SqlValue[];
  readonly needed: readonly boolean[] | undefined;
  /** See shortBatchEndsRange. */
  readonly shortBatchEnds: boolean;
}

type KeyBound = { v: KeyPart; inclusive: boolean } | undefined;

/** An access path's key values for one execution: the equality prefix, then the range bounds on the next key column. */
export interface SearchKey {
  readonly eqParts: KeyPart[];
  readonly lower: KeyBound;
  readonly upper: KeyBound;
}

/**
 * The access path's key values for this execution. Undefined when a value is NULL: `= NULL`
 * and `< NULL` match nothing.
 */
export function searchKey(path: AccessPath, env: Env): SearchKey | undefined {
  const eqParts: KeyPart[] = [];
  for (const e of path.eq) {
    const v = e.evaluate(env);
    if (v === null) return undefined; // `= NULL` matches nothing
    eqParts.push(keyPart(v));
  }
  const bound = (b: Bound | undefined) => {
    if (!b) return undefined;
    const v = b.value.evaluate(env);
    return v === null ? null : { v: keyPart(v), inclusive: b.inclusive };
  };
  const lower = bound(path.lower);
  const upper = bound(path.upper);
  if (lower === null || upper === null) return undefined;
  return { eqParts, lower, upper };
}

/** One range of a secondary index: each batch of entries, then one getMany of their rows. */
async function* readIndexRange(read: RangeRead, keys: KeySpace, tableName: string, range: Range): AsyncGenerator<RowBatch> {
  const { reader } = read;
  const it = reader.iterator(range);
  try {
    for (;;) {
      const batch = await it.nextv(256);
      if (batch.length === 0) break;
      const last = batch.length < 256 && read.shortBatchEnds;
      const rowKeys = batch.map(([, pk]) => keys.row(tableName, decodeKey(pk)));
      const values = await reader.getMany(rowKeys);
      const out: RowBatch = { keys: [], rows: [] };
      for (let i = 0; i < rowKeys.length; i++) {
        const v = values[i];
        if (v) {
          out.keys.push(rowKeys[i]!);
          out.rows.push(decodeRow(v, read.width, read.defaults, read.needed));
        }
      }
      yield out;
      if (last) break;
    }
  } finally {
    await it.close();
  }
}

/** One range of row keys (a primary-key search or a scan), decoded batch by batch. */
async function* readRowRange(read: RangeRead, range: Range): AsyncGenerator<RowBatch> {
  const it = read.reader.iterator(range);
  // The next batch is requested before this one is decoded, so LevelDB reads it (off the main
  // thread) while JS decodes and the caller consumes: a scan waits less.
  let next: Promise<Entry[]> | undefined = prefetch(it, SCAN_BATCH);
  try {
    while (next) {
      const batch: Entry[] = await next;
      next = undefined;
      if (batch.length === 0) break;
      if (!(batch.length < SCAN_BATCH && read.shortBatchEnds)) next = prefetch(it, SCAN_BATCH);
      const rows: SqlValue[][] = [];
      const rowKeys: Buffer[] = [];
      for (let i = 0; i < batch.length; i++) {
        const entry = batch[i]!;
        rowKeys.push(entry[0]);
        rows.push(decodeRow(entry[1], read.width, read.defaults, read.needed));
      }
      yield { keys: rowKeys, rows };
    }
  } finally {
    // A caller that stops early leaves a read in flight: let it settle (its result unused).
    if (next) await next.catch(ignore);
    await it.close();
  }
}

/**
 * `it.nextv(size)`, marked as handled at once: it is awaited only after the current batch is
 * consumed, and a read that fails meanwhile (Storage closed under the scan) must surface there,
 * not as an unhandled rejection that stops the process.
 */
function prefetch(it: EntryIterator, size: number): Promise<Entry[]> {
  const read = it.nextv(size);
  read.catch(ignore);
  return read;
}

const ignore = (): undefined => undefined;

/** The primary key parts of a row (its rowid for rowid tables is read from the key). */
export function primaryKeyParts(table: TableDef, values: readonly SqlValue[]): KeyPart[] {
  return table.primaryKey.map((i) => keyPart(values[i]!));
}
