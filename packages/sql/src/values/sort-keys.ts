import type { Comparator } from './collation.js';
import type { SqlValue } from './values.js';

/** How one ORDER BY key sorts (a query's, or one inside an aggregate call). */
export interface SortDirection {
  readonly desc: boolean;
  /** Where NULLs go; SQLite's default puts them first ascending and last descending. */
  readonly nullsFirst: boolean;
  readonly compare: Comparator;
}

/** Compares two rows of sort keys, key by key, as ORDER BY does. */
export function compareSortKeys(terms: readonly SortDirection[], a: readonly SqlValue[], b: readonly SqlValue[]): number {
  for (let i = 0; i < terms.length; i++) {
    const t = terms[i]!;
    const x = a[i]!;
    const y = b[i]!;
    if (x === null || y === null) {
      if (x === y) continue;
      return (x === null) === t.nullsFirst ? -1 : 1;
    }
    const c = t.compare(x, y);
    if (c !== 0) return t.desc ? -c : c;
  }
  return 0;
}
