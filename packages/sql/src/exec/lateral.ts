import type { Env } from '../expr/scope.js';
import type { SourcePlan } from '../plan/plan-types.js';
import type { SqlValue } from '../values/values.js';
import { joinRows } from './join.js';

type Row = SqlValue[];

/**
 * Joins a source whose rows depend on the row joined so far (a table-valued function reading
 * earlier FROM items, `FROM t, json_each(t.tags)`): its rows are computed for each outer row.
 * An outer row without any keeps its place under LEFT JOIN, as joinRows does.
 */
export function joinLateral(source: SourcePlan, outerRows: readonly Row[], env: Env): Row[] {
  const out: Row[] = [];
  for (const o of outerRows) {
    env.row = o;
    const inner = source.lateral!(env);
    for (const r of joinRows(source, [o], inner, env)) out.push(r);
  }
  return out;
}
