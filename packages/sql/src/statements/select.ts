import { isPointLookup } from '../exec/access.js';
import { keyPart } from '../schema/keys.js';
import type { Select } from '../parse/index.js';
import { compileQuery } from '../plan/plan-select.js';
import type { CompileContext, SelectPlan } from '../plan/plan-types.js';
import { decodeRow } from '../schema/row-codec.js';
import { explainQuery, explainSubqueries } from '../plan/explain.js';
import type { Env, Runtime } from '../expr/scope.js';
import { prepareSubqueries, runQuery } from '../exec/select-exec.js';
import { streamable, streamSelect } from '../exec/select-stream.js';
import type { ReadContext } from '../exec/read-context.js';
import type { Executable, StatementResult } from './statement.js';
import { truth, type SqlValue } from '../values/values.js';

/**
 * A synchronous path for the most common query: one row by its whole primary key, no subquery,
 * no aggregate. `getSync` answers it without an await per row (used outside transactions).
 */
export interface PointRead {
  key(rt: Runtime): Buffer | undefined;
  finish(value: Buffer | undefined, rt: Runtime): StatementResult;
}

export interface SelectExecutable extends Executable {
  readonly pointRead: PointRead | undefined;
  /** The rows a batch at a time as the table is read, for a query that can stream (see select-stream.ts). */
  readonly stream: ((rc: ReadContext, rt: Runtime) => AsyncIterable<SqlValue[][]>) | undefined;
}

export function compileSelectStatement(query: Select, ctx: CompileContext): SelectExecutable {
  const plan = compileQuery(query, undefined, ctx);
  const subqueries = ctx.subqueries;
  const columns = plan.columns;
  return {
    kind: 'read',
    subqueries,
    columns,
    pointRead: subqueries.length === 0 && plan.kind === 'select' ? pointReadOf(plan, ctx) : undefined,
    stream: subqueries.length === 0 && plan.kind === 'select' && streamable(plan) ? (rc, rt) => streamSelect(plan, rt, rc) : undefined,
    explain: () => [...explainQuery(plan), ...explainSubqueries(subqueries)],
    async run(ec) {
      const rc = { reader: ec.base, keys: ec.keys, cache: ec.rowCache };
      await prepareSubqueries(subqueries, ec.rt, rc);
      const rows = await runQuery(plan, { row: [], outer: undefined, rt: ec.rt }, rc);
      return { rows, columns, rowsAffected: 0, lastInsertRowid: undefined };
    },
  };
}

function pointReadOf(plan: SelectPlan, ctx: CompileContext): PointRead | undefined {
  const source = plan.sources[0];
  if (plan.sources.length !== 1 || !source?.table || plan.aggregate || plan.windows || plan.constantFilters.length > 0) return undefined;
  if (!isPointLookup(source.table, source.access)) return undefined;
  const table = source.table;
  const name = table.name.toLowerCase();
  const width = table.columns.length;
  return {
    key(rt) {
      const env: Env = { row: [], outer: undefined, rt };
      const parts = source.access.eq.map((e) => e.evaluate(env));
      return parts.some((p) => p === null) ? undefined : ctx.keys.row(name, parts.map(keyPart));
    },
    finish(value, rt) {
      const env: Env = { row: [], outer: undefined, rt };
      const rows: SqlValue[][] = [];
      if (value) {
        env.row = decodeRow(value, width, source.defaults, source.needed);
        if (source.filters.every((f) => truth(f(env)) === true)) {
          const out = plan.projection.map((p) => p(env));
          rows.push(out);
        }
      }
      // OFFSET / LIMIT still apply to the single row.
      const limited = plan.limit || plan.offset ? applyLimit(rows, plan, env) : rows;
      return { rows: limited, columns: plan.columns, rowsAffected: 0, lastInsertRowid: undefined };
    },
  };
}

function applyLimit(rows: SqlValue[][], plan: SelectPlan, env: Env): SqlValue[][] {
  const off = plan.offset ? Number(plan.offset(env)) : 0;
  const lim = plan.limit ? Number(plan.limit(env)) : -1;
  return rows.slice(Math.max(0, off), lim >= 0 ? Math.max(0, off) + lim : undefined);
}
