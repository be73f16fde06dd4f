import { createAccumulator, type Accumulator } from './aggregates.js';
import type { SelectPlan } from '../plan/plan-types.js';
import type { Env } from '../expr/scope.js';
import { collationKey } from '../values/collation.js';
import { compareSortKeys, type SortDirection } from '../values/sort-keys.js';
import { compareValues, rowKey, valueKey, type SqlValue } from '../values/values.js';

type Row = SqlValue[];

interface GroupState {
  /**
   * The row SQLite's bare columns read, kept as its outer and inner halves: the group's first row
   * (SQLite loads them once per group, on its first row: select.c's updateAccumulator), or, when
   * the query has exactly one min() or max(), the row that aggregate's value came from (a
   * documented SQLite feature: `SELECT name, max(score) … GROUP BY team` names the top scorer).
   */
  outer: Row;
  inner: Row | undefined;
  readonly accs: Accumulator[];
  /** The group's GROUP BY values, as its collations compare them: the order groups come out in. */
  readonly keys: Row;
}

/** Ascending, NULLs first: the order SQLite's GROUP BY emits groups in (it sorts, or walks an index). */
const ASCENDING: SortDirection = { desc: false, nullsFirst: true, compare: compareValues };

/**
 * GROUP BY and aggregates, fed one row at a time so a scan or a join never has to materialize
 * its rows first. `add` reads the row from `env.row`, which may be a scratch array the caller
 * reuses: a group keeps only the row's halves (`outer`, and `inner` joined at `offset`) and
 * builds its representative row once, at the end. Values a term's collation calls equal (NOCASE:
 * 'x' and 'X') fall in one group. Groups come out ordered by their GROUP BY values, as SQLite's
 * do (it sorts them, or reads them in index order): a LIMIT without ORDER BY then keeps the same
 * groups as SQLite.
 */
export class Grouper {
  // Text keys in their own map, so a single text key needs no tag string built per row.
  readonly #byText = new Map<string, GroupState>();
  readonly #byOther = new Map<unknown, GroupState>();
  readonly #order: GroupState[] = [];
  /** The position of the query's min()/max() among its aggregates, or -1. */
  readonly #extreme: number;

  constructor(
    private readonly plan: SelectPlan,
    private readonly offset: number,
  ) {
    // The first one: the same min()/max() may be registered twice (select list and HAVING), and
    // with two different ones SQLite leaves the row unspecified, so any of them is right.
    this.#extreme = plan.aggregate!.specs.findIndex((spec) => (spec.name === 'min' || spec.name === 'max') && spec.args.length === 1);
  }

  add(env: Env, outer: Row, inner: Row | undefined): void {
    const { groupBy, groupCollations, specs } = this.plan.aggregate!;
    let g: GroupState | undefined;
    let text: string | undefined;
    let other: unknown;
    let one: SqlValue | undefined;
    let keys: Row | undefined;
    if (groupBy.length === 1) {
      const v = collationKey(groupBy[0]!(env), groupCollations[0]);
      one = v;
      if (typeof v === 'string') text = v;
      else other = v === null ? null : groupValue(v);
    } else if (groupBy.length === 0) other = '';
    else {
      keys = groupBy.map((f, i) => collationKey(f(env), groupCollations[i]));
      other = rowKey(keys);
    }
    g = text !== undefined ? this.#byText.get(text) : this.#byOther.get(other);
    if (!g) {
      g = { outer, inner, accs: specs.map(createAccumulator), keys: keys ?? (one === undefined ? [] : [one]) };
      if (text !== undefined) this.#byText.set(text, g);
      else this.#byOther.set(other, g);
      this.#order.push(g);
    }
    const extreme = this.#extreme < 0 ? undefined : g.accs[this.#extreme]!;
    if (extreme === undefined) {
      for (const a of g.accs) a.step(env);
      return;
    }
    const before = extreme.result();
    for (const a of g.accs) a.step(env);
    // A new minimum or maximum replaces the stored value; a tie keeps it (and its row), as in SQLite.
    if (extreme.result() !== before) {
      g.outer = outer;
      g.inner = inner;
    }
  }

  /** One row per group: the representative row's columns (up to the plan's width), then each aggregate's result. */
  rows(): Row[] {
    const { plan } = this;
    const { groupBy } = plan.aggregate!;
    if (this.#order.length === 0 && groupBy.length === 0) {
      this.#order.push({
        outer: Array.from({ length: plan.width }, () => null),
        inner: undefined,
        accs: plan.aggregate!.specs.map(createAccumulator),
        keys: [],
      });
    }
    if (groupBy.length > 0 && this.#order.length > 1) {
      const terms = groupBy.map(() => ASCENDING);
      this.#order.sort((a, b) => compareSortKeys(terms, a.keys, b.keys));
    }
    return this.#order.map((g) => {
      const out: Row = [];
      const head = g.inner === undefined ? g.outer.length : this.offset;
      for (let i = 0; i < plan.width; i++) {
        const v = i < head ? g.outer[i] : g.inner !== undefined && i - head < g.inner.length ? g.inner[i - head] : undefined;
        out.push(v === undefined ? null : v);
      }
      for (const a of g.accs) out.push(a.result());
      return out;
    });
  }
}

/** A Map key per non-text value: numbers as numbers (so 2 and 2.0 meet), no string building. */
export function groupValue(v: Exclude<SqlValue, null>): number | string | bigint {
  if (typeof v === 'bigint') return v >= -9007199254740991n && v <= 9007199254740991n ? Number(v) : v;
  if (typeof v === 'number' || typeof v === 'string') return v;
  return valueKey(v);
}
