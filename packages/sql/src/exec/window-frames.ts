import { QueryError } from '@sochdb/core';
import type { Env } from '../expr/scope.js';
import { arithmetic } from '../values/operators.js';
import type { SortDirection } from '../values/sort-keys.js';
import { textToNumber, type SqlValue } from '../values/values.js';
import type { FrameBoundPlan, FramePlan } from './window-types.js';

// Where each row's frame starts and ends, for ROWS, RANGE and GROUPS frames, within the rows of
// one window pass (sorted by partition, then by the window's ORDER BY). Frames are half-open
// index ranges [start, end) of that sorted array; an empty frame has start >= end.

type Row = SqlValue[];

/** Peer groups (rows with equal ORDER BY values, all of a partition without ORDER BY). */
export interface Peers {
  /** First row of row i's peer group. */
  readonly start: Int32Array;
  /** One past the last row of row i's peer group. */
  readonly end: Int32Array;
  /** Row i's peer group, numbered across the whole pass. */
  readonly group: Int32Array;
  /** First row of each peer group. */
  readonly groupStart: Int32Array;
}

/** One partition of a window pass: rows[ps] … rows[pe - 1]. */
export interface Partition {
  readonly rows: readonly Row[];
  readonly ps: number;
  readonly pe: number;
  readonly env: Env;
  /** The pass's peer groups, computed on first use. */
  peers(): Peers;
  /** The values of the first ORDER BY term, and the terms (a RANGE offset measures along the only one). */
  readonly orderValues: readonly SqlValue[];
  readonly orderTerms: readonly SortDirection[];
}

/** The evaluated offsets of a frame's `n PRECEDING` / `n FOLLOWING` bounds. */
export interface FrameOffsets {
  readonly start: bigint | number | undefined;
  readonly end: bigint | number | undefined;
}

/**
 * Evaluates and checks a frame's offsets, as SQLite does at the start of each partition (so an
 * empty input reports nothing): ROWS and GROUPS take a non-negative integer (2.0 and '2' are
 * 2), RANGE a non-negative number.
 */
export function frameOffsets(frame: FramePlan, env: Env): FrameOffsets {
  return { start: offsetOf(frame.start, frame.units, 'starting', env), end: offsetOf(frame.end, frame.units, 'ending', env) };
}

function offsetOf(b: FrameBoundPlan, units: FramePlan['units'], which: string, env: Env): bigint | number | undefined {
  if (!b.offset) return undefined;
  const v = b.offset(env);
  if (units === 'RANGE') {
    const n = typeof v === 'string' ? (textToNumber(v, false) ?? v) : v;
    if ((typeof n === 'bigint' || typeof n === 'number') && n >= 0) return n;
    throw new QueryError(`frame ${which} offset must be a non-negative number`, {
      remediation: 'Write a constant such as RANGE BETWEEN 5 PRECEDING AND CURRENT ROW.',
    });
  }
  const n = exactInteger(v);
  if (n === undefined || n < 0n)
    throw new QueryError(`frame ${which} offset must be a non-negative integer`, {
      remediation: 'Write a constant such as ROWS BETWEEN 2 PRECEDING AND CURRENT ROW.',
    });
  return n;
}

/** The integer a value is without loss (OP_MustBeInt: 2.0 and '2' are 2, 2.5 and 'x' are not). */
export function exactInteger(v: SqlValue): bigint | undefined {
  const n = typeof v === 'string' ? textToNumber(v, false) : v;
  if (typeof n === 'bigint') return n;
  if (typeof n === 'number' && Number.isInteger(n) && Math.abs(n) < 2 ** 63) return BigInt(n);
  return undefined;
}

/** Fills starts[i] and ends[i] for the rows of one partition. */
export function fillFrames(frame: FramePlan, offsets: FrameOffsets, p: Partition, starts: Int32Array, ends: Int32Array): void {
  for (let i = p.ps; i < p.pe; i++) {
    starts[i] = bound(frame.units, frame.start, offsets.start, true, i, p);
    ends[i] = bound(frame.units, frame.end, offsets.end, false, i, p);
  }
}

function bound(units: FramePlan['units'], b: FrameBoundPlan, offset: bigint | number | undefined, isStart: boolean, i: number, p: Partition): number {
  const { ps, pe } = p;
  switch (b.kind) {
    case 'UNBOUNDED PRECEDING':
      return ps;
    case 'UNBOUNDED FOLLOWING':
      return pe;
    case 'CURRENT ROW':
      if (units === 'ROWS') return isStart ? i : i + 1;
      return isStart ? p.peers().start[i]! : p.peers().end[i]!;
  }
  const back = b.kind === 'PRECEDING';
  if (units === 'RANGE') return rangeBound(back, offset!, isStart, i, p);
  // Offsets beyond 2^53 lose nothing that matters here: they reach past any partition.
  const k = Number(offset!);
  if (units === 'ROWS') {
    const at = (back ? i - k : i + k) + (isStart ? 0 : 1);
    return at < ps ? ps : at > pe ? pe : at;
  }
  const peers = p.peers();
  const first = peers.group[ps]!;
  const last = peers.group[pe - 1]!;
  const g = peers.group[i]! + (back ? -k : k);
  if (g < first) return ps;
  if (g > last) return pe;
  if (isStart) return peers.groupStart[g]!;
  return g < last ? peers.groupStart[g + 1]! : pe;
}

/**
 * RANGE `n PRECEDING` / `n FOLLOWING` (one ORDER BY term): the bound is the current value moved
 * by n along the sort order. A value that is not a number (NULL, text, blob) does not move, so
 * its frame bound is its peers; numbers never reach NULL, text or blob rows (SQLite's rules).
 */
function rangeBound(back: boolean, offset: bigint | number, isStart: boolean, i: number, p: Partition): number {
  const term = p.orderTerms[0]!;
  const v = p.orderValues[i]!;
  const target = typeof v === 'bigint' || typeof v === 'number' ? arithmetic(back !== term.desc ? '-' : '+', v, offset) : v;
  // The first row at or after the target (a start), or the first row after it (an end).
  let lo = p.ps;
  let hi = p.pe;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const c = compareTerm(term, p.orderValues[mid]!, target);
    if (c < 0 || (!isStart && c === 0)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** One ORDER BY term's comparison (its direction, NULL placement and collation). */
export function compareTerm(term: SortDirection, x: SqlValue, y: SqlValue): number {
  if (x === null || y === null) {
    if (x === y) return 0;
    return (x === null) === term.nullsFirst ? -1 : 1;
  }
  const c = term.compare(x, y);
  return term.desc ? -c : c;
}

/**
 * Calls `visit` for each row of [start, end) in order, less those the frame's EXCLUDE clause
 * removes for row i: itself (CURRENT ROW), its peers and itself (GROUP), its peers (TIES).
 */
export function visitFrame(start: number, end: number, i: number, exclude: FramePlan['exclude'], p: Partition, visit: (j: number) => void): void {
  if (exclude === undefined || exclude === 'NO OTHERS') {
    for (let j = start; j < end; j++) visit(j);
    return;
  }
  let from = i;
  let to = i + 1;
  if (exclude !== 'CURRENT ROW') {
    from = p.peers().start[i]!;
    to = p.peers().end[i]!;
  }
  for (let j = start; j < end && j < from; j++) visit(j);
  if (exclude === 'TIES' && i >= start && i < end) visit(i);
  for (let j = Math.max(start, to); j < end; j++) visit(j);
}
