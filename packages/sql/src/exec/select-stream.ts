import type { Env, Runtime } from '../expr/scope.js';
import type { SelectPlan } from '../plan/plan-types.js';
import type { SqlValue } from '../values/values.js';
import { scanBatches } from './cached-read.js';
import { passes } from './join.js';
import type { ReadContext } from './read-context.js';
import { limitValue } from './select-exec.js';

// A SELECT whose rows can be handed out as the table is read (PreparedStatement.iterate): one
// table, filters, a projection, LIMIT/OFFSET — nothing that needs every row before the first
// (ORDER BY, GROUP BY and aggregates, DISTINCT, windows, joins, subqueries). Memory is then one
// batch of rows, however large the table; other queries are computed whole, as `all()` does.

/** Whether `plan` can stream (see the file comment). */
export function streamable(plan: SelectPlan): boolean {
  const source = plan.sources[0];
  return (
    plan.sources.length === 1 &&
    source?.table !== undefined &&
    !source.derived &&
    !source.rowSource &&
    !source.lateral &&
    !plan.aggregate &&
    !plan.windows &&
    !plan.distinct &&
    !plan.having &&
    plan.orderBy.length === 0
  );
}

/** The rows of a streamable plan (see `streamable`), a batch at a time, in the order a full `runQuery` gives. */
export async function* streamSelect(plan: SelectPlan, rt: Runtime, rc: ReadContext): AsyncGenerator<SqlValue[][]> {
  const env: Env = { row: [], outer: { row: [], outer: undefined, rt }, rt };
  // LIMIT and OFFSET are checked first, so a bad one fails as it does for `all()`, rows or not.
  let skip = plan.offset ? Math.max(0, limitValue(plan.offset, env)) : 0;
  const limit = plan.limit ? limitValue(plan.limit, env) : -1;
  if (!passes(plan.constantFilters, env)) return;
  const source = plan.sources[0]!;
  let left = limit < 0 ? Infinity : limit;
  if (left === 0) return;
  for await (const batch of scanBatches(rc.reader, rc.keys, rc.cache, source.table!, source.access, env, source.defaults, source.needed)) {
    const out: SqlValue[][] = [];
    for (const r of batch.rows) {
      env.row = r;
      if (!passes(source.filters, env)) continue;
      if (skip > 0) {
        skip--;
        continue;
      }
      out.push(plan.projection.map((p) => p(env)));
      if (--left === 0) break;
    }
    if (out.length > 0) yield out;
    if (left === 0) return;
  }
}
