import type { Env } from '../expr/scope.js';
import { compareValues, type SqlValue } from '../values/values.js';
import { computeAggregate } from './window-aggregates.js';
import { frameOffsets, type FrameOffsets, type Partition, type Peers } from './window-frames.js';
import { computeBuiltin } from './window-ranking.js';
import { keyColumns, permute, sameKeys, sortRows, type KeyColumn } from './window-sort.js';
import type { WindowCallPlan, WindowStage } from './window-types.js';

// The window stage: runs after WHERE, GROUP BY and HAVING, before the select list is projected.
// Each pass (the calls over one window, see plan-window.ts) sorts the rows once by PARTITION BY
// then ORDER BY — stably, so ties keep the previous pass's order, as SQLite's sorter does —
// and computes its calls partition by partition into row slots past the source columns.

type Row = SqlValue[];

interface Keys {
  readonly partition: readonly KeyColumn[];
  readonly order: readonly KeyColumn[];
}

/** The rows with every window value filled in, in the order of the last pass's sort. */
export function runWindows(stage: WindowStage, input: readonly Row[], env: Env): Row[] {
  const n = input.length;
  if (n === 0) return [];
  const { base, count } = stage;
  const width = base + count;
  let rows: Row[] = new Array<Row>(n);
  // Copies: the input may be the row cache's own arrays.
  for (let i = 0; i < n; i++) {
    // Sized once: growing a sliced copy would reallocate its storage for every row.
    const r = input[i]!;
    const out = new Array<SqlValue>(width);
    for (let c = 0; c < base; c++) out[c] = r[c] ?? null;
    for (let c = base; c < width; c++) out[c] = null;
    rows[i] = out;
  }
  if (stage.groupKeys.length > 0) rows = sortByGroupKeys(rows, stage.groupKeys, env);
  // Offsets are constants, checked once per run when there are rows (SQLite: per partition).
  const offsets = new Map<WindowCallPlan, FrameOffsets>();
  for (const g of stage.groups) for (const c of g.calls) offsets.set(c, frameOffsets(c.frame, env));
  // Frame bounds, filled per call and partition (only calls with frames use them).
  const usesFrames = stage.groups.some((g) =>
    g.calls.some((c) => c.kind === 'aggregate' || c.kind === 'first_value' || c.kind === 'last_value' || c.kind === 'nth_value'),
  );
  const starts = new Int32Array(usesFrames ? n : 0);
  const ends = new Int32Array(usesFrames ? n : 0);
  const scratch = new Int32Array(usesFrames ? n : 0);
  let keys: Keys | undefined;
  for (const group of stage.groups) {
    if (group.partitionBy.length === 0 && group.orderBy.length === 0) keys = { partition: [], order: [] };
    else if (!group.presorted || !keys) {
      keys = { partition: keyColumns(group.partitionBy, rows, env), order: keyColumns(group.orderBy, rows, env) };
      if (!group.presorted) {
        const sorted = sortRows(rows, [...keys.partition, ...keys.order]);
        rows = sorted.rows;
        // Only the first ORDER BY term's values are read later (RANGE offsets); the rest compare by rank.
        keys = { partition: keys.partition.map((k) => permute(k, sorted.index, false)), order: keys.order.map((k, i) => permute(k, sorted.index, i === 0)) };
      }
    }
    const bounds = partitionBounds(keys.partition, n);
    const order = keys.order;
    let peers: Peers | undefined;
    const peersOf = () => (peers ??= findPeers(order, bounds));
    const orderValues = order[0]?.values ?? [];
    for (let b = 0; b + 1 < bounds.length; b++) {
      const partition: Partition = { rows, ps: bounds[b]!, pe: bounds[b + 1]!, env, peers: peersOf, orderValues, orderTerms: group.orderBy };
      for (const call of group.calls) {
        const slot = base + call.slot;
        if (call.kind === 'aggregate') computeAggregate(call, partition, slot, offsets.get(call)!, starts, ends, scratch);
        else computeBuiltin(call, partition, slot, offsets.get(call)!, starts, ends);
      }
    }
  }
  return rows;
}

/** Where each partition starts, then the row count: [0, …, n]. */
function partitionBounds(partition: readonly KeyColumn[], n: number): number[] {
  const bounds = [0];
  if (partition.length > 0) for (let i = 1; i < n; i++) if (!sameKeys(partition, i, i - 1)) bounds.push(i);
  bounds.push(n);
  return bounds;
}

function findPeers(order: readonly KeyColumn[], bounds: readonly number[]): Peers {
  const n = bounds[bounds.length - 1]!;
  const start = new Int32Array(n);
  const end = new Int32Array(n);
  const group = new Int32Array(n);
  const firsts: number[] = [];
  for (let b = 0; b + 1 < bounds.length; b++) {
    const ps = bounds[b]!;
    const pe = bounds[b + 1]!;
    let first = ps;
    for (let i = ps; i < pe; i++) {
      if (i === ps || !sameKeys(order, i, i - 1)) {
        first = i;
        firsts.push(i);
      }
      start[i] = first;
      group[i] = firsts.length - 1;
    }
  }
  for (let g = 0; g < firsts.length; g++) {
    const to = g + 1 < firsts.length ? firsts[g + 1]! : n;
    for (let i = firsts[g]!; i < to; i++) end[i] = to;
  }
  return { start, end, group, groupStart: Int32Array.from(firsts) };
}

/** A grouped query's groups in GROUP BY order (SQLite's grouping sorts), so window ties break as there. */
function sortByGroupKeys(rows: Row[], groupKeys: WindowStage['groupKeys'], env: Env): Row[] {
  const keys = rows.map((r) => {
    env.row = r;
    return groupKeys.map((k) => k.evaluate(env));
  });
  const index = rows.map((_, i) => i);
  index.sort((a, b) => {
    const x = keys[a]!;
    const y = keys[b]!;
    for (let k = 0; k < x.length; k++) {
      const c = compareValues(x[k]!, y[k]!);
      if (c !== 0) return groupKeys[k]!.desc ? -c : c;
    }
    return a - b;
  });
  return index.map((i) => rows[i]!);
}
