import { compareBytes } from '@sochdb/core';
import type { SqlValue } from '../values/values.js';

type Row = SqlValue[];

/** A committed write of one row key: the new stored row, or undefined when the row was deleted. */
export interface RowWrite {
  readonly key: Buffer;
  readonly value: Buffer | undefined;
}

/** A cached table's rows with their row keys, both in key order. */
export interface KeyedRows {
  readonly rows: readonly Row[];
  readonly keys: readonly Buffer[];
}

/** The rows after writes, and what changed: the old rows replaced or deleted, the new ones. */
export interface PatchedRows extends KeyedRows {
  readonly removed: readonly Row[];
  readonly added: readonly Row[];
  /** The row key of each of `added`. */
  readonly addedKeys: readonly Buffer[];
}

/**
 * The rows after `writes` (in commit order; the last write of a key wins), as new arrays: the
 * old ones are shared with queries still reading them. Each written key is found by binary
 * search and the unchanged runs between them are copied, so a few writes to a large table cost
 * one copy of its array rather than a re-read from storage. `decode` turns a stored row into
 * values (it may throw on a value that is not an encoded row; the caller then drops the entry).
 */
export function applyRowWrites(table: KeyedRows, writes: readonly RowWrite[], decode: (value: Buffer) => Row): PatchedRows {
  const last = new Map<string, RowWrite>();
  for (const write of writes) last.set(write.key.toString('latin1'), write);
  const { rows: oldRows, keys: oldKeys } = table;
  // Each changed key once, in key order: where it falls in the old arrays, whether it replaces
  // the row there, and its new row (undefined: deleted).
  const changes = [...last.values()]
    .sort((a, b) => compareBytes(a.key, b.key))
    .map(({ key, value }) => {
      const at = lowerBound(oldKeys, key);
      const replaces = at < oldKeys.length && compareBytes(oldKeys[at]!, key) === 0;
      return { key, at, replaces, row: value === undefined ? undefined : decode(value) };
    });
  const removed: Row[] = [];
  const added: Row[] = [];
  const addedKeys: Buffer[] = [];
  for (const { key, at, replaces, row } of changes) {
    if (replaces) removed.push(oldRows[at]!);
    if (row !== undefined) {
      added.push(row);
      addedKeys.push(key);
    }
  }
  if (changes.length <= SPLICE_MAX) {
    // A few changes: a native copy of each array, then each change in place, the last key first
    // so that the positions of the earlier ones do not move.
    const rows = oldRows.slice();
    const keys = oldKeys.slice();
    for (let c = changes.length - 1; c >= 0; c--) {
      const { key, at, replaces, row } = changes[c]!;
      if (row !== undefined && replaces) {
        rows[at] = row;
        keys[at] = key;
      } else if (row !== undefined) {
        rows.splice(at, 0, row);
        keys.splice(at, 0, key);
      } else if (replaces) {
        rows.splice(at, 1);
        keys.splice(at, 1);
      }
    }
    return { rows, keys, removed, added, addedKeys };
  }
  // Many: one merge pass, copying the unchanged runs between the changed keys.
  const rows: Row[] = [];
  const keys: Buffer[] = [];
  let from = 0;
  for (const { key, at, replaces, row } of changes) {
    for (let i = from; i < at; i++) {
      rows.push(oldRows[i]!);
      keys.push(oldKeys[i]!);
    }
    from = replaces ? at + 1 : at;
    if (row !== undefined) {
      rows.push(row);
      keys.push(key);
    }
  }
  for (let i = from; i < oldRows.length; i++) {
    rows.push(oldRows[i]!);
    keys.push(oldKeys[i]!);
  }
  return { rows, keys, removed, added, addedKeys };
}

/** Up to this many changed keys, the arrays are copied whole and changed in place (each splice a native move). */
const SPLICE_MAX = 64;

/** The first index whose key is not below `key`. */
function lowerBound(keys: readonly Buffer[], key: Buffer): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareBytes(keys[mid]!, key) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
