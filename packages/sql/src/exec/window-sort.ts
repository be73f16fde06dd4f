import type { Env } from '../expr/scope.js';
import { valueKey, type SqlValue } from '../values/values.js';
import { compareTerm } from './window-frames.js';
import type { WindowKey } from './window-types.js';

// Sorting a window pass by its PARTITION BY and ORDER BY terms. Each term's values are first
// replaced by their dense rank in the term's order (equal values, as the term's collation and
// direction see them, share a rank): numbers through a native Float64Array sort, other values
// by sorting only the distinct ones with the SQL comparator. The rows are then sorted by the
// ranks packed into one number with the row's position last, again natively, which is stable
// and several times faster than a comparator sort over SQL values; comparing rows later
// (partition bounds, peers) is an integer comparison.

type Row = SqlValue[];

/** One term's value for every row of the pass, in row order, with its rank. */
export interface KeyColumn {
  readonly term: WindowKey;
  readonly values: SqlValue[];
  readonly rank: Int32Array;
  /** How many distinct ranks there are. */
  readonly distinct: number;
}

export function keyColumns(terms: readonly WindowKey[], rows: readonly Row[], env: Env): KeyColumn[] {
  return terms.map((term) => {
    const values = rows.map((r) => {
      env.row = r;
      return term.evaluate(env);
    });
    const numbers = asNumbers(values);
    const { rank, distinct } = numbers ? numericRanks(numbers, term.desc) : valueRanks(values, term);
    return { term, values, rank, distinct };
  });
}

/** Whether rows a and b have equal values in every column. */
export function sameKeys(columns: readonly KeyColumn[], a: number, b: number): boolean {
  for (const k of columns) if (k.rank[a] !== k.rank[b]) return false;
  return true;
}

/** The rows (and their key columns) sorted by the columns in turn; equal rows keep their order. */
export function sortRows(rows: readonly Row[], columns: readonly KeyColumn[]): { rows: Row[]; index: Int32Array } {
  const n = rows.length;
  let index: Int32Array;
  let span = n;
  for (const k of columns) span *= Math.max(1, k.distinct);
  if (span <= Number.MAX_SAFE_INTEGER) {
    const packed = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let key = 0;
      for (const k of columns) key = key * Math.max(1, k.distinct) + k.rank[i]!;
      packed[i] = key * n + i;
    }
    packed.sort();
    index = new Int32Array(n);
    for (let j = 0; j < n; j++) index[j] = packed[j]! % n;
  } else {
    const order = Array.from({ length: n }, (_, i) => i);
    order.sort((a, b) => {
      for (const k of columns) {
        const c = k.rank[a]! - k.rank[b]!;
        if (c !== 0) return c;
      }
      return a - b;
    });
    index = Int32Array.from(order);
  }
  const sorted = new Array<Row>(n);
  for (let j = 0; j < n; j++) sorted[j] = rows[index[j]!]!;
  return { rows: sorted, index };
}

/** A key column in the order `index` gives (its values too, or none when they will not be read). */
export function permute(k: KeyColumn, index: Int32Array, withValues: boolean): KeyColumn {
  const n = index.length;
  const rank = new Int32Array(n);
  for (let j = 0; j < n; j++) rank[j] = k.rank[index[j]!]!;
  const values = withValues ? Array.from(index, (i) => k.values[i]!) : [];
  return { term: k.term, values, rank, distinct: k.distinct };
}

/** The values as doubles when all are numbers a double holds exactly (no NULL, no huge integer). */
function asNumbers(values: readonly SqlValue[]): Float64Array | undefined {
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v === 'number') out[i] = v;
    else if (typeof v === 'bigint') {
      // Beyond 2^53 a bigint rounds to a double that is not a safe integer.
      const f = Number(v);
      if (!Number.isSafeInteger(f)) return undefined;
      out[i] = f;
    } else return undefined;
  }
  return out;
}

function numericRanks(x: Float64Array, desc: boolean): { rank: Int32Array; distinct: number } {
  const n = x.length;
  // Sorted, then made unique in place (-0 and 0 are equal here, as in SQL).
  const unique = x.slice().sort();
  let d = 0;
  for (let i = 0; i < n; i++) if (d === 0 || unique[i] !== unique[d - 1]) unique[d++] = unique[i]!;
  const rank = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const v = x[i]!;
    let lo = 0;
    let hi = d - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (unique[mid]! < v) lo = mid + 1;
      else hi = mid;
    }
    rank[i] = desc ? d - 1 - lo : lo;
  }
  return { rank, distinct: d };
}

/**
 * Ranks through the distinct values: a Map finds them (by value; values that differ but compare
 * equal, such as 'a' and 'A' under NOCASE, are merged after sorting), then only they are sorted.
 */
function valueRanks(values: readonly SqlValue[], term: WindowKey): { rank: Int32Array; distinct: number } {
  const n = values.length;
  const texts = new Map<string, number>();
  const others = new Map<unknown, number>();
  const distinctValues: SqlValue[] = [];
  const ids = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    const map = typeof v === 'string' ? texts : others;
    const key =
      typeof v === 'string'
        ? v
        : typeof v === 'bigint' && v >= -9007199254740991n && v <= 9007199254740991n
          ? Number(v)
          : v instanceof Uint8Array
            ? `x${valueKey(v)}`
            : v;
    let id = map.get(key);
    if (id === undefined) {
      id = distinctValues.length;
      map.set(key, id);
      distinctValues.push(v);
    }
    ids[i] = id;
  }
  const order = distinctValues.map((_, j) => j).sort((a, b) => compareTerm(term, distinctValues[a]!, distinctValues[b]!));
  const rankOf = new Int32Array(order.length);
  let r = -1;
  order.forEach((j, at) => {
    if (at === 0 || compareTerm(term, distinctValues[order[at - 1]!]!, distinctValues[j]!) !== 0) r++;
    rankOf[j] = r;
  });
  const rank = new Int32Array(n);
  for (let i = 0; i < n; i++) rank[i] = rankOf[ids[i]!]!;
  return { rank, distinct: r + 1 };
}
