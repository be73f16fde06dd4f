import type { QueryPlan, SelectPlan, SubqueryEntry } from './plan-types.js';
import { isTableFunctionRows } from './table-functions.js';

function describeSource(plan: SelectPlan, j: number): string {
  const s = plan.sources[j]!;
  if (s.derived) return `SCAN ${s.alias} (subquery)`;
  if (s.rowSource && isTableFunctionRows(s.rowSource)) return `SCAN ${s.alias} VIRTUAL TABLE INDEX 1:`;
  if (s.rowSource) return `SCAN ${s.alias} (common table expression)`;
  const how = j > 0 && s.lookup ? s.lookup : s.access;
  const using =
    how.kind === 'scan'
      ? ''
      : how.kind === 'pk'
        ? s.table!.rowidColumn !== undefined
          ? ' USING INTEGER PRIMARY KEY'
          : ' USING PRIMARY KEY'
        : ` USING INDEX ${how.index!.name}`;
  const verb = how.kind === 'scan' ? 'SCAN' : 'SEARCH';
  const line = `${verb} ${s.alias}${using}${how.kind === 'scan' ? '' : ` ${how.detail}`}`;
  if (j === 0) return line;
  if (s.lookup) return `${line} (lookup per ${plan.sources[j - 1]!.alias} row)`;
  const kind = s.left && s.right ? 'FULL OUTER ' : s.right ? 'RIGHT OUTER ' : s.left ? 'LEFT OUTER ' : '';
  return s.hashKeys.length > 0 ? `${kind}HASH JOIN ${line}` : `${kind}NESTED LOOP ${line}`;
}

/** The plan as lines in the spirit of SQLite's EXPLAIN QUERY PLAN. */
export function explainQuery(plan: QueryPlan, depth = 0): string[] {
  const pad = '  '.repeat(depth);
  if (plan.kind === 'compound') {
    return [
      `${pad}COMPOUND QUERY`,
      ...plan.members.flatMap((m, i) => [
        `${pad}  ${i === 0 ? 'LEFT-MOST SUBQUERY' : plan.operators[i - 1]}`,
        ...(m.kind === 'values' ? [`${pad}    SCAN ${m.rows.length} CONSTANT ROW${m.rows.length === 1 ? '' : 'S'}`] : explainQuery(m, depth + 2)),
      ]),
    ];
  }
  const lines = plan.sources.map((_, j) => pad + describeSource(plan, j));
  if (plan.sources.length === 0) lines.push(`${pad}SCAN CONSTANT ROW`);
  if (plan.aggregate && plan.aggregate.groupBy.length > 0) lines.push(`${pad}USE HASH TABLE FOR GROUP BY`);
  if (plan.distinct) lines.push(`${pad}USE HASH TABLE FOR DISTINCT`);
  if (plan.orderBy.length > 0) lines.push(`${pad}USE TEMP B-TREE FOR ORDER BY`);
  return lines;
}

export function explainSubqueries(entries: readonly SubqueryEntry[]): string[] {
  return entries.flatMap((e) => [`${e.correlated ? 'CORRELATED ' : ''}SUBQUERY ${e.id + 1}`, ...explainQuery(e.plan, 1)]);
}
