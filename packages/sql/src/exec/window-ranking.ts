import { QueryError } from '@sochdb/core';
import { arithmetic } from '../values/operators.js';
import type { SqlValue } from '../values/values.js';
import { exactInteger, fillFrames, visitFrame, type FrameOffsets, type Partition } from './window-frames.js';
import type { WindowCallPlan } from './window-types.js';

// The built-in window functions (window.c): the ranking ones read positions and peer groups in
// the partition, whatever frame is written (SQLite overrides it); lag and lead read another row
// of the partition; first_value, last_value and nth_value read a row of the frame.

const MAX_INT64 = 9223372036854775807n;
const MIN_INT64 = -9223372036854775808n;

/** Small INTEGER values, made once: a row number per row would otherwise allocate a bigint each. */
const SMALL: bigint[] = [];

/** n as an INTEGER (a shared bigint when small). */
export function integer(n: number): bigint {
  if (n >= 65536) return BigInt(n);
  for (let k = SMALL.length; k <= n; k++) SMALL.push(BigInt(k));
  return SMALL[n]!;
}

/** Computes one built-in window function for the rows of a partition, into row slot `slot`. */
export function computeBuiltin(call: WindowCallPlan, p: Partition, slot: number, offsets: FrameOffsets, starts: Int32Array, ends: Int32Array): void {
  const { rows, ps, pe } = p;
  const size = pe - ps;
  switch (call.kind) {
    case 'row_number':
      for (let i = ps; i < pe; i++) rows[i]![slot] = integer(i - ps + 1);
      return;
    case 'rank': {
      const peers = p.peers();
      for (let i = ps; i < pe; i++) rows[i]![slot] = integer(peers.start[i]! - ps + 1);
      return;
    }
    case 'dense_rank': {
      const peers = p.peers();
      const first = peers.group[ps]!;
      for (let i = ps; i < pe; i++) rows[i]![slot] = integer(peers.group[i]! - first + 1);
      return;
    }
    case 'percent_rank': {
      const peers = p.peers();
      for (let i = ps; i < pe; i++) rows[i]![slot] = size > 1 ? (peers.start[i]! - ps) / (size - 1) : 0;
      return;
    }
    case 'cume_dist': {
      const peers = p.peers();
      for (let i = ps; i < pe; i++) rows[i]![slot] = (peers.end[i]! - ps) / size;
      return;
    }
    case 'ntile':
      return ntile(call, p, slot);
    case 'lag':
    case 'lead':
      return shift(call, p, slot);
    case 'first_value':
    case 'last_value':
    case 'nth_value':
      fillFrames(call.frame, offsets, p, starts, ends);
      return frameValue(call, p, slot, starts, ends);
    case 'aggregate':
      throw new Error('computeBuiltin: aggregate');
  }
}

/** ntile(n): n as read at the partition's first row; groups of equal size, the first ones one larger. */
function ntile(call: WindowCallPlan, p: Partition, slot: number): void {
  const { rows, ps, pe, env } = p;
  env.row = rows[ps]!;
  const n = int64(call.args[0]!(env));
  if (n <= 0n) throw new QueryError('argument of ntile must be a positive integer', { remediation: 'Pass the number of buckets, e.g. ntile(4).' });
  const total = pe - ps;
  const buckets = Number(n);
  const size = n > BigInt(total) ? 0 : Math.floor(total / buckets);
  const large = total - buckets * size;
  const small = large * (size + 1);
  for (let i = ps; i < pe; i++) {
    const r = i - ps;
    const bucket = size === 0 ? r + 1 : r < small ? 1 + Math.floor(r / (size + 1)) : 1 + large + Math.floor((r - small) / size);
    rows[i]![slot] = integer(bucket);
  }
}

/**
 * lag(x, k, default) / lead(x, k, default): x at the row k before / after, else default. k and
 * default are read at the current row; the target position is computed with SQL arithmetic as
 * SQLite does (so k = 1.0 or '1' work, k = 1.5 or NULL find no row, and a negative k looks the
 * other way).
 */
function shift(call: WindowCallPlan, p: Partition, slot: number): void {
  const { rows, ps, pe, env } = p;
  const [value, offset, fallback] = call.args;
  const lead = call.kind === 'lead';
  for (let i = ps; i < pe; i++) {
    const row = rows[i]!;
    env.row = row;
    const dflt = fallback ? fallback(env) : null;
    let target = -1;
    if (!offset) target = lead ? i + 1 : i - 1;
    else {
      const k = rowNumber(arithmetic(lead ? '+' : '-', BigInt(i - ps + 1), offset(env)));
      if (k !== undefined && k >= 1 && k <= pe - ps) target = ps + k - 1;
    }
    if (target >= ps && target < pe) {
      env.row = rows[target]!;
      row[slot] = value!(env);
    } else row[slot] = dflt;
  }
}

/** A computed position, when it names a row (an integer, or a REAL with an integer value). */
function rowNumber(v: SqlValue): number | undefined {
  if (typeof v === 'bigint') return v >= -(2n ** 52n) && v <= 2n ** 52n ? Number(v) : undefined;
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  return undefined;
}

/**
 * first_value, last_value, nth_value. Without EXCLUDE the frame's row is read directly (and
 * nth_value's n at the current row); with one, the frame's rows are stepped one by one as
 * SQLite's full scan does (n read at each of them).
 */
function frameValue(call: WindowCallPlan, p: Partition, slot: number, starts: Int32Array, ends: Int32Array): void {
  const { rows, ps, pe, env } = p;
  const value = call.args[0]!;
  const nth = call.args[1];
  const exclude = call.frame.exclude;
  for (let i = ps; i < pe; i++) {
    const s = starts[i]!;
    const e = ends[i]!;
    let at = -1;
    if (exclude === undefined) {
      if (call.kind === 'first_value') at = s < e ? s : -1;
      else if (call.kind === 'last_value') at = s < e ? e - 1 : -1;
      else {
        env.row = rows[i]!;
        const k = s + Number(nthArgument(nth!(env))) - 1;
        at = k < e ? k : -1;
      }
    } else {
      let seen = 0;
      visitFrame(s, e, i, exclude, p, (j) => {
        seen++;
        if (call.kind === 'first_value') {
          if (at < 0) at = j;
        } else if (call.kind === 'last_value') at = j;
        else {
          env.row = rows[j]!;
          if (nthArgument(nth!(env)) === BigInt(seen)) at = j;
        }
      });
    }
    if (at >= 0) {
      env.row = rows[at]!;
      rows[i]![slot] = value(env);
    } else rows[i]![slot] = null;
  }
}

function nthArgument(v: SqlValue): bigint {
  const n = exactInteger(v);
  if (n === undefined || n <= 0n)
    throw new QueryError('second argument to nth_value must be a positive integer', { remediation: 'Pass a row number counted from 1, e.g. nth_value(x, 2).' });
  return n;
}

/** sqlite3_value_int64: a REAL truncated, text and blobs by their integer prefix, NULL as 0. */
function int64(v: SqlValue): bigint {
  if (v === null) return 0n;
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return 0n;
    // 2^63, the first double above INT64_MAX (the literal 9223372036854775807 rounds to it anyway).
    if (v >= 2 ** 63) return MAX_INT64;
    if (v <= -9223372036854775808) return MIN_INT64;
    return BigInt(Math.trunc(v));
  }
  const text = typeof v === 'string' ? v : Buffer.from(v).toString('utf8');
  const m = /^\s*([+-]?\d+)/.exec(text);
  if (!m) return 0n;
  const n = BigInt(m[1]!);
  return n > MAX_INT64 ? MAX_INT64 : n < MIN_INT64 ? MIN_INT64 : n;
}
