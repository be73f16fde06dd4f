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
  const changes = [...last.values()].sort((a, b) => compareBytes(a.key, b.key));
  const removed: Row[] = [];
  const added: Row[] = [];
  const addedKeys: Buffer[] = [];
  const { rows: oldRows, keys: oldKeys } = table;
  if (changes.length <= SPLICE_MAX) {
    // A few changes: a native copy of each array, then each change in place, the last key first
    // so that the positions of the earlier ones do not move.
    const rows = oldRows.slice();
    const keys = oldKeys.slice();
    for (let c = changes.length - 1; c >= 0; c--) {
      const change = changes[c]!;
      const at = lowerBound(oldKeys, change.key, 0);
      const replaces = at < oldKeys.length && compareBytes(oldKeys[at]!, change.key) === 0;
      if (replaces) removed.push(oldRows[at]!);
      if (change.value !== undefined) {
        const row = decode(change.value);
        added.push(row);
        addedKeys.push(change.key);
        if (replaces) {
          rows[at] = row;
          keys[at] = change.key;
        } else {
          rows.splice(at, 0, row);
          keys.splice(at, 0, change.key);
        }
      } else if (replaces) {
        rows.splice(at, 1);
        keys.splice(at, 1);
      }
    }
    return { rows, keys, removed, added, addedKeys };
  }
  const rows: Row[] = [];
  const keys: Buffer[] = [];
  let from = 0;
  for (const change of changes) {
    const at = lowerBound(oldKeys, change.key, from);
    for (let i = from; i < at; i++) {
      rows.push(oldRows[i]!);
      keys.push(oldKeys[i]!);
    }
    const replaces = at < oldKeys.length && compareBytes(oldKeys[at]!, change.key) === 0;
    if (replaces) removed.push(oldRows[at]!);
    from = replaces ? at + 1 : at;
    if (change.value !== undefined) {
      const row = decode(change.value);
      rows.push(row);
      keys.push(change.key);
      added.push(row);
      addedKeys.push(change.key);
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

/** The first index at or after `from` whose key is not below `key`. */
function lowerBound(keys: readonly Buffer[], key: Buffer, from: number): number {
  let lo = from;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareBytes(keys[mid]!, key) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
