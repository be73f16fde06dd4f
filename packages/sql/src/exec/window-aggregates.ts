import { truth, type SqlValue } from '../values/values.js';
import { comparator } from '../values/collation.js';
import { createAccumulator, type AggregateSpec } from './aggregates.js';
import { fillFrames, visitFrame, type FrameOffsets, type Partition } from './window-frames.js';
import { integer } from './window-ranking.js';
import { SumState } from './window-sum.js';
import type { WindowCallPlan } from './window-types.js';

// Aggregates over window frames. How each frame's value is computed (frames are contiguous and
// both ends only move forward as the current row does, in every frame kind):
// - count, sum, total, avg: one running state per partition; a row is added when the frame's
//   end reaches it and removed when its start passes it (SQLite's step / inverse), O(1) per row.
// - min, max: a monotonic queue of the frame's candidates, O(1) amortized per row.
// - any other aggregate (group_concat, string_agg, json_group_array, …, through the Accumulator
//   interface of aggregates.ts): stepped incrementally when the frame starts at UNBOUNDED
//   PRECEDING (running totals); otherwise recomputed for each row over its frame, so O(frame
//   size) per row, reusing the previous row's value when the frame is the same.
// - with an EXCLUDE clause (any, even NO OTHERS): every aggregate is recomputed per row over
//   its frame less the excluded rows, which is also what SQLite does (its full-scan path), and
//   what its answers depend on (sum's REAL-ness, rounding).

/** Computes one aggregate call for the rows of a partition, into row slot `slot`. */
export function computeAggregate(
  call: WindowCallPlan,
  p: Partition,
  slot: number,
  offsets: FrameOffsets,
  starts: Int32Array,
  ends: Int32Array,
  scratch: Int32Array,
): void {
  fillFrames(call.frame, offsets, p, starts, ends);
  const spec = call.aggregate!;
  if (call.frame.exclude !== undefined) return recompute(call, spec, p, slot, starts, ends);
  switch (spec.name) {
    case 'count':
    case 'sum':
    case 'total':
    case 'avg':
      return running(spec, p, slot, starts, ends, rowsWidth(call, offsets));
    case 'min':
    case 'max':
      return extreme(spec, p, slot, starts, ends, scratch);
    default:
      if (call.frame.start.kind === 'UNBOUNDED PRECEDING') return growing(spec, p, slot, ends);
      return recompute(call, spec, p, slot, starts, ends);
  }
}

/** The value each row adds: NULL for rows the FILTER drops (count(*) counts the others as 1). */
function inputs(spec: AggregateSpec, p: Partition): SqlValue[] {
  const { rows, ps, pe, env } = p;
  const arg = spec.args[0];
  const filter = spec.filter;
  const out: SqlValue[] = new Array<SqlValue>(pe - ps);
  for (let j = ps; j < pe; j++) {
    env.row = rows[j]!;
    out[j - ps] = filter && truth(filter(env)) !== true ? null : spec.star || !arg ? 1n : arg(env);
  }
  return out;
}

/**
 * A ROWS frame between two offsets holds `width` rows (1 PRECEDING AND 1 FOLLOWING: 3). SQLite's
 * start cursor then trails its end cursor by that many rows even before the first frame is
 * complete, removing rows as soon as they are that far behind (which decides when an integer
 * sum overflows, and the rounding of a REAL one).
 */
function rowsWidth(call: WindowCallPlan, offsets: FrameOffsets): number | undefined {
  const { units, start, end } = call.frame;
  if (units !== 'ROWS' || start.kind === 'UNBOUNDED PRECEDING' || end.kind === 'UNBOUNDED FOLLOWING') return undefined;
  const at = (kind: string, offset: bigint | number | undefined) => (kind === 'CURRENT ROW' ? 0 : kind === 'PRECEDING' ? -Number(offset) : Number(offset));
  return at(end.kind, offsets.end) - at(start.kind, offsets.start) + 1;
}

function running(spec: AggregateSpec, p: Partition, slot: number, starts: Int32Array, ends: Int32Array, width: number | undefined): void {
  const { rows, ps, pe } = p;
  const values = inputs(spec, p);
  const sum = new SumState();
  let count = 0;
  const add = (j: number, sign: 1 | -1) => {
    const v = values[j - ps]!;
    if (spec.name === 'count') {
      if (v !== null) count += sign;
    } else if (sign > 0) sum.step(v);
    else sum.inverse(v);
  };
  // Rows lo … hi - 1 are in the state. As SQLite's cursors, the frame's end steps every row it
  // passes and its start removes every row it passes, never one not yet stepped: a row a frame
  // jumps over (ROWS BETWEEN 1 FOLLOWING AND …) still passes through the state, which decides
  // sum()'s type. Leaving rows go first, then entering ones, then any entered row already left.
  let lo = ps;
  let hi = ps;
  for (let i = ps; i < pe; i++) {
    const s = starts[i]!;
    const e = ends[i]!;
    while (lo < s && lo < hi) add(lo++, -1);
    while (hi < e) {
      add(hi++, 1);
      if (width !== undefined) while (lo < s && lo < hi - width + 1) add(lo++, -1);
    }
    while (lo < s && lo < hi) add(lo++, -1);
    rows[i]![slot] = spec.name === 'count' ? integer(count) : spec.name === 'sum' ? sum.sum() : spec.name === 'total' ? sum.total() : sum.avg();
  }
}

/** min / max: `queue` holds the candidates in frame order, best first (an earlier equal value wins, as in SQLite). */
function extreme(spec: AggregateSpec, p: Partition, slot: number, starts: Int32Array, ends: Int32Array, queue: Int32Array): void {
  const { rows, ps, pe } = p;
  const values = inputs(spec, p);
  const sign = spec.name === 'max' ? 1 : -1;
  const compare = comparator(spec.collation);
  let front = ps;
  let back = ps;
  let next = ps;
  for (let i = ps; i < pe; i++) {
    const s = starts[i]!;
    const e = ends[i]!;
    if (next < s) next = s;
    for (; next < e; next++) {
      const v = values[next - ps]!;
      if (v === null) continue;
      while (back > front && compare(values[queue[back - 1]! - ps]!, v) * sign < 0) back--;
      queue[back++] = next;
    }
    while (front < back && queue[front]! < s) front++;
    rows[i]![slot] = front < back ? values[queue[front]! - ps]! : null;
  }
}

/** A frame that starts at the partition's first row only grows: one accumulator, stepped as it does. */
function growing(spec: AggregateSpec, p: Partition, slot: number, ends: Int32Array): void {
  const { rows, ps, pe, env } = p;
  const acc = createAccumulator(spec);
  let hi = ps;
  for (let i = ps; i < pe; i++) {
    for (const e = ends[i]!; hi < e; hi++) {
      env.row = rows[hi]!;
      acc.step(env);
    }
    rows[i]![slot] = acc.result();
  }
}

/** Each row's frame (less what EXCLUDE removes) aggregated afresh; equal consecutive frames share the work. */
function recompute(call: WindowCallPlan, spec: AggregateSpec, p: Partition, slot: number, starts: Int32Array, ends: Int32Array): void {
  const { rows, ps, pe, env } = p;
  const exclude = call.frame.exclude;
  const sums = spec.name === 'sum' || spec.name === 'total' || spec.name === 'avg';
  const values = sums ? inputs(spec, p) : undefined;
  let last: SqlValue = null;
  let lastKey: readonly number[] | undefined;
  for (let i = ps; i < pe; i++) {
    const s = starts[i]!;
    const e = ends[i]!;
    const key = exclusionKey(s, e, i, exclude, p);
    if (!lastKey || key.some((k, n) => k !== lastKey![n])) {
      if (sums) {
        const sum = new SumState();
        visitFrame(s, e, i, exclude, p, (j) => sum.step(values![j - ps]!));
        last = spec.name === 'sum' ? sum.sum() : spec.name === 'total' ? sum.total() : sum.avg();
      } else {
        const acc = createAccumulator(spec);
        visitFrame(s, e, i, exclude, p, (j) => {
          env.row = rows[j]!;
          acc.step(env);
        });
        last = acc.result();
      }
      lastKey = key;
    }
    rows[i]![slot] = last;
  }
}

/** What decides row i's set of frame rows: its bounds, and the rows its EXCLUDE clause removes. */
function exclusionKey(s: number, e: number, i: number, exclude: WindowCallPlan['frame']['exclude'], p: Partition): readonly number[] {
  switch (exclude) {
    case undefined:
    case 'NO OTHERS':
      return [s, e];
    case 'CURRENT ROW':
      return [s, e, i];
    case 'GROUP':
      return [s, e, p.peers().start[i]!];
    case 'TIES':
      return [s, e, p.peers().start[i]!, i];
  }
}
