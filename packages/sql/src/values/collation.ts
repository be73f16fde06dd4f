import { QueryError } from '@sochdb/core';
import { compareValues, type SqlValue } from './values.js';

/** SQLite's built-in collating sequences. */
export type CollationName = 'BINARY' | 'NOCASE' | 'RTRIM';

/** A collation attached to an expression: written with COLLATE (`explicit`), or a column's. */
export interface Collation {
  readonly name: CollationName;
  readonly explicit: boolean;
}

export function collationOf(name: string): CollationName {
  const n = name.toUpperCase();
  if (n === 'BINARY' || n === 'NOCASE' || n === 'RTRIM') return n;
  throw new QueryError(`no such collation sequence: ${name}`, { remediation: 'Use BINARY, NOCASE or RTRIM.' });
}

/** NOCASE folds ASCII letters only, as SQLite's does. */
function foldAscii(s: string): string {
  return s.replace(/[A-Z]/g, (c) => c.toLowerCase());
}

function trimRight(s: string): string {
  let end = s.length;
  while (end > 0 && s.charCodeAt(end - 1) === 32) end--;
  return end === s.length ? s : s.slice(0, end);
}

/** Compares two non-NULL values; collations only change how two TEXT values compare. */
export type Comparator = (a: SqlValue, b: SqlValue) => number;

const NOCASE: Comparator = (a, b) => (typeof a === 'string' && typeof b === 'string' ? compareValues(foldAscii(a), foldAscii(b)) : compareValues(a, b));
const RTRIM: Comparator = (a, b) => (typeof a === 'string' && typeof b === 'string' ? compareValues(trimRight(a), trimRight(b)) : compareValues(a, b));

export function comparator(collation: Collation | CollationName | undefined): Comparator {
  const name = typeof collation === 'string' ? collation : collation?.name;
  return name === 'NOCASE' ? NOCASE : name === 'RTRIM' ? RTRIM : compareValues;
}

/** A key that is equal for values the collation calls equal (GROUP BY, DISTINCT, hash joins). */
export function collationKey(v: SqlValue, name: CollationName | undefined): SqlValue {
  if (typeof v !== 'string' || name === undefined || name === 'BINARY') return v;
  return name === 'NOCASE' ? foldAscii(v) : trimRight(v);
}
