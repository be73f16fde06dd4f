import type { Evaluator } from '../expr/scope.js';
import type { SortDirection } from '../values/sort-keys.js';
import type { AggregateSpec } from './aggregates.js';

// The window stage of a SELECT as the planner hands it to the executor (plan/plan-window.ts
// builds it, exec/window-exec.ts runs it).

/** The built-in window functions that number or rank rows (their frame is fixed by SQLite). */
export type RankingName = 'row_number' | 'rank' | 'dense_rank' | 'percent_rank' | 'cume_dist' | 'ntile';

/** The built-in window functions that read a value of another row. */
export type ValueName = 'lag' | 'lead' | 'first_value' | 'last_value' | 'nth_value';

export type FrameBoundKind = 'UNBOUNDED PRECEDING' | 'PRECEDING' | 'CURRENT ROW' | 'FOLLOWING' | 'UNBOUNDED FOLLOWING';

export interface FrameBoundPlan {
  readonly kind: FrameBoundKind;
  /** `n PRECEDING` / `n FOLLOWING`: n, a constant (one that is not always reads NULL, as in SQLite). */
  readonly offset: Evaluator | undefined;
}

export interface FramePlan {
  readonly units: 'ROWS' | 'RANGE' | 'GROUPS';
  readonly start: FrameBoundPlan;
  readonly end: FrameBoundPlan;
  /**
   * undefined when no EXCLUDE clause was written. Any EXCLUDE, even NO OTHERS, makes SQLite
   * compute each row's frame afresh instead of stepping one running state, which shows in
   * sum()'s type (see window-sum.ts), so the two are kept apart.
   */
  readonly exclude: 'NO OTHERS' | 'CURRENT ROW' | 'GROUP' | 'TIES' | undefined;
}

/** A PARTITION BY or ORDER BY term of a window. */
export interface WindowKey extends SortDirection {
  readonly evaluate: Evaluator;
}

export interface WindowCallPlan {
  /** Its value goes to row slot `stage.base + slot`. */
  readonly slot: number;
  readonly name: string;
  readonly kind: 'aggregate' | RankingName | ValueName;
  readonly args: readonly Evaluator[];
  /** Used by aggregates and first_value / last_value / nth_value; the others ignore frames. */
  readonly frame: FramePlan;
  /** For aggregates: the accumulator's spec (its `filter` is the call's FILTER clause). */
  readonly aggregate: AggregateSpec | undefined;
}

/** Calls over one window (partition and order), computed together after one sort. */
export interface WindowGroupPlan {
  readonly partitionBy: readonly WindowKey[];
  readonly orderBy: readonly WindowKey[];
  /** The group run before this one sorted by the same terms: the rows are already in order. */
  readonly presorted: boolean;
  readonly calls: readonly WindowCallPlan[];
}

export interface WindowStage {
  /** Row slot of the first window value (after the source columns and any aggregates). */
  readonly base: number;
  readonly count: number;
  /** In the order they run: each sorts the previous one's output, so the last decides the row order. */
  readonly groups: readonly WindowGroupPlan[];
  /**
   * A grouped query's GROUP BY terms: groups are sorted by them first, as SQLite's grouping
   * leaves them (which breaks the ties of the window sorts that follow).
   */
  readonly groupKeys: readonly { readonly evaluate: Evaluator; readonly desc: boolean }[];
}
