import { QueryError } from '@sochdb/core';
import type { Env, Evaluator, Runtime } from '../expr/scope.js';
import type { MemberPlan, OrderTerm, QueryPlan, SelectPlan, SourcePlan, SubqueryEntry } from '../plan/plan-types.js';
import { collationKey, comparator, type CollationName } from '../values/collation.js';
import { compareSortKeys, type SortDirection } from '../values/sort-keys.js';
import { rowKey, toNumeric, type SqlValue } from '../values/values.js';
import { FULL_SCAN, isPointLookup } from './access.js';
import { Grouper, groupValue } from './grouping.js';
import { joinByPointLookups, joinRows, passes } from './join.js';
import { joinLateral } from './lateral.js';
import type { ReadContext } from './read-context.js';
import { runWindows } from './window-exec.js';
import { isCorrelated } from '../plan/correlated.js';
import { loadWholeTable, scanBatches } from './cached-read.js';

type Row = SqlValue[];
type Preloaded = Map<SourcePlan, readonly Row[]>;

/** Runs every subquery a statement uses: uncorrelated ones once, and loads the tables of correlated ones. */
export async function prepareSubqueries(entries: readonly SubqueryEntry[], rt: Runtime, rc: ReadContext): Promise<void> {
  const root: Env = { row: [], outer: undefined, rt };
  for (const entry of entries) {
    if (!entry.correlated) {
      rt.subqueries.set(entry.id, await runQuery(entry.plan, root, rc));
      continue;
    }
    const preloaded: Preloaded = new Map();
    await preload(entry.plan, preloaded, root, rc);
    rt.subqueries.set(entry.id, preloaded);
  }
}

/**
 * Loads the tables a correlated subquery reads, for running it per outer row without awaiting:
 * a subquery in its FROM that reads the outer row too is run per row as well, from its own
 * preloaded tables.
 */
async function preload(plan: QueryPlan, preloaded: Preloaded, root: Env, rc: ReadContext): Promise<void> {
  const members = plan.kind === 'select' ? [plan] : plan.members;
  for (const m of members) {
    if (m.kind !== 'select') continue;
    for (const s of m.sources) {
      if (s.derived && isCorrelated(s.derived)) await preload(s.derived, preloaded, root, rc);
      else preloaded.set(s, s.lateral ? [] : await loadSource(s, root, rc, FULL_SCAN));
    }
  }
}

/** The rows of a source of a correlated subquery at this outer row (see preload). */
function sourceRows(source: SourcePlan, preloaded: Preloaded, env: Env): readonly Row[] {
  const rows = preloaded.get(source);
  if (rows !== undefined) return rows;
  return runQuerySync(source.derived!, env.outer ?? env, preloaded);
}

/**
 * Reads one source on its own (its access path, or the derived query). A whole table served by
 * the row cache comes back as the cache's own array, which callers only read.
 */
async function loadSource(source: SourcePlan, env: Env, rc: ReadContext, access = source.access, atMost = Infinity): Promise<readonly Row[]> {
  if (source.rowSource) return source.rowSource(env, rc, atMost);
  // A subquery in FROM is compiled under the enclosing query's scope: its outer row is that one's.
  if (source.derived) return runQuery(source.derived, env.outer ?? env, rc);
  if (rc.cache && (access ?? FULL_SCAN).kind === 'scan') {
    const whole = await loadWholeTable(rc.reader, rc.keys, rc.cache, source.table!, env, source.defaults);
    if (whole) return whole;
  }
  const out: Row[] = [];
  for await (const batch of scanBatches(rc.reader, rc.keys, rc.cache, source.table!, access ?? FULL_SCAN, env, source.defaults, source.needed)) {
    for (const r of batch.rows) out.push(r);
  }
  return out;
}

export async function runQuery(plan: QueryPlan, outer: Env, rc: ReadContext): Promise<Row[]> {
  if (plan.kind === 'compound') {
    const parts: Row[][] = [];
    for (const m of plan.members) parts.push(m.kind === 'values' ? runValues(m, outer) : await runSelect(m, outer, rc));
    return combine(plan.operators, parts, plan.collations, plan.orderBy, plan.limit, plan.offset, outer);
  }
  return runSelect(plan, outer, rc);
}

function runValues(plan: Extract<MemberPlan, { kind: 'values' }>, outer: Env): Row[] {
  const env: Env = { row: [], outer, rt: outer.rt };
  return plan.rows.map((r, i) => {
    const windows = plan.windows?.[i];
    env.row = windows ? runWindows(windows, [[]], env)[0]! : [];
    return r.map((f) => f(env));
  });
}

/** The same query over preloaded sources, synchronously (used for correlated subqueries per outer row). */
export function runQuerySync(plan: QueryPlan, outer: Env, preloaded: Preloaded, limit?: number): Row[] {
  if (plan.kind === 'compound') {
    const parts = plan.members.map((m) => (m.kind === 'values' ? runValues(m, outer) : selectSync(m, outer, preloaded, undefined)));
    return combine(plan.operators, parts, plan.collations, plan.orderBy, plan.limit, plan.offset, outer);
  }
  return selectSync(plan, outer, preloaded, limit);
}

function selectSync(plan: SelectPlan, outer: Env, preloaded: Preloaded, limit: number | undefined): Row[] {
  const env: Env = { row: [], outer, rt: outer.rt };
  if (!passes(plan.constantFilters, env)) return finish(plan, [], env);
  if (plan.sources.length === 0) return finish(plan, [[]], env);
  const stopAfter = earlyStop(plan, env, limit);
  const first = plan.sources[0]!;
  let rows = filterRows(first.lateral ? first.lateral(env) : probe(first, sourceRows(first, preloaded, env), env), first.filters, env, stopAfter);
  for (let j = 1; j < plan.sources.length; j++) {
    const source = plan.sources[j]!;
    rows = source.lateral ? joinLateral(source, rows, env) : joinRows(source, rows, sourceRows(source, preloaded, env), env);
  }
  return finish(plan, rows, env);
}

/** Per row array (preloaded, or shared by the row cache) and per source: the probe index. */
const probeIndexes = new WeakMap<readonly Row[], Map<SourcePlan, Map<unknown, Row[]>>>();

/**
 * The preloaded rows of a correlated subquery's first source that can match its key equalities
 * (e.g. `o.user_id = u.id` with u outer): a hash index built once per statement run, probed per
 * outer row, instead of a scan of every row per outer row.
 */
function probe(source: SourcePlan, rows: readonly Row[], env: Env): readonly Row[] {
  const path = source.access;
  if (!source.table || path.kind === 'scan' || path.eq.length === 0) return rows;
  const columns = (path.kind === 'pk' ? source.table.primaryKey : path.index!.columns).slice(0, path.eq.length);
  if (columns.length !== path.eq.length) return rows;
  let bySource = probeIndexes.get(rows);
  if (!bySource) probeIndexes.set(rows, (bySource = new Map<SourcePlan, Map<unknown, Row[]>>()));
  let index = bySource.get(source);
  if (!index) {
    const built = new Map<unknown, Row[]>();
    for (const r of rows) {
      const k = columns.length === 1 ? probeKey(r[columns[0]!]!) : rowKey(columns.map((c) => r[c]!));
      const bucket = built.get(k);
      if (bucket) bucket.push(r);
      else built.set(k, [r]);
    }
    bySource.set(source, built);
    index = built;
  }
  const values = path.eq.map((e) => e.evaluate(env));
  if (values.some((v) => v === null)) return [];
  return index.get(values.length === 1 ? probeKey(values[0]!) : rowKey(values)) ?? [];
}

function probeKey(v: SqlValue): unknown {
  return typeof v === 'string' ? `s${v}` : v === null ? null : groupValue(v);
}

async function runSelect(plan: SelectPlan, outer: Env, rc: ReadContext): Promise<Row[]> {
  const env: Env = { row: [], outer, rt: outer.rt };
  if (!passes(plan.constantFilters, env)) return finish(plan, [], env);
  if (plan.sources.length === 0) return finish(plan, [[]], env);
  const first = plan.sources[0]!;
  const stopAfter = earlyStop(plan, env, undefined);
  let rows: Row[];
  if (first.derived) rows = filterRows(await runQuery(first.derived, env.outer ?? env, rc), first.filters, env, stopAfter);
  // Without a filter, only as many rows as the LIMIT takes are needed (an endless recursive CTE read under LIMIT).
  else if (first.rowSource)
    rows = filterRows(await loadSource(first, env, rc, FULL_SCAN, first.filters.length === 0 ? stopAfter : Infinity), first.filters, env, stopAfter);
  else if (plan.aggregate && plan.sources.length === 1) {
    // Streaming aggregation: each scanned row goes straight into its group, no row array.
    const grouper = new Grouper(plan, -1);
    for await (const batch of scanBatches(rc.reader, rc.keys, rc.cache, first.table!, first.access, env, first.defaults, first.needed)) {
      for (const r of batch.rows) {
        env.row = r;
        if (passes(first.filters, env)) grouper.add(env, r, undefined);
      }
    }
    return finish(plan, grouper.rows(), env, true);
  } else {
    rows = [];
    outer: for await (const batch of scanBatches(rc.reader, rc.keys, rc.cache, first.table!, first.access, env, first.defaults, first.needed)) {
      for (const r of batch.rows) {
        env.row = r;
        if (!passes(first.filters, env)) continue;
        rows.push(r);
        if (rows.length >= stopAfter) break outer;
      }
    }
  }
  for (let j = 1; j < plan.sources.length; j++) {
    const source = plan.sources[j]!;
    // No outer rows: only a later RIGHT / FULL join can still produce rows.
    if (rows.length === 0 && !source.left && !plan.sources.slice(j).some((s) => s.right)) break;
    if (source.lookup && source.table) {
      if (isPointLookup(source.table, source.lookup)) {
        rows = await joinByPointLookups(source, rows, env, rc);
        continue;
      }
      if (rows.length <= 64) {
        const next: Row[] = [];
        for (const o of rows) {
          env.row = o;
          const inner = await loadSource(source, env, rc, source.lookup);
          next.push(...joinRows(source, [o], inner, env));
        }
        rows = next;
        continue;
      }
    }
    if (source.lateral) {
      rows = joinLateral(source, rows, env);
      continue;
    }
    const inner = await loadSource(source, env, rc);
    if (plan.aggregate && j === plan.sources.length - 1) {
      // The last join level feeds the groups directly: no joined row is built per match.
      const grouper = new Grouper(plan, source.offset);
      joinRows(source, rows, inner, env, (o, r) => grouper.add(env, o, r));
      return finish(plan, grouper.rows(), env, true);
    }
    rows = joinRows(source, rows, inner, env);
  }
  return finish(plan, rows, env);
}

/** How many driving rows are enough (a LIMIT with nothing that needs every row first). */
function earlyStop(plan: SelectPlan, env: Env, limit: number | undefined): number {
  if (plan.sources.length !== 1 || plan.aggregate || plan.windows || plan.distinct || plan.orderBy.length > 0) return Infinity;
  // A negative LIMIT means none, and a negative OFFSET counts as 0 (as in SQLite): neither may
  // shorten the rows read (LIMIT -1 OFFSET 5 read 4 rows, then skipped 5 of them).
  // `limit` (rows the caller needs of the result, e.g. 1 for a scalar subquery) also counts after
  // the OFFSET.
  const take = plan.limit ? limitValue(plan.limit, env) : -1;
  const skip = plan.offset ? Math.max(0, limitValue(plan.offset, env)) : 0;
  return Math.min(take < 0 ? Infinity : take + skip, limit === undefined ? Infinity : limit + skip);
}

function filterRows(rows: readonly Row[], filters: readonly Evaluator[], env: Env, stopAfter: number): Row[] {
  if (filters.length === 0 && stopAfter === Infinity) return rows as Row[];
  const out: Row[] = [];
  for (const r of rows) {
    env.row = r;
    if (passes(filters, env)) out.push(r);
    if (out.length >= stopAfter) break;
  }
  return out;
}

export function limitValue(f: Evaluator, env: Env): number {
  const v = f(env);
  const n = toNumeric(v);
  if (n === null || (typeof v === 'string' && !/^\s*[+-]?\d+\s*$/.test(v))) throw new QueryError('datatype mismatch: LIMIT and OFFSET take integers');
  return Number(n);
}

function finish(plan: SelectPlan, rows: Row[], env: Env, grouped = false): Row[] {
  if (plan.aggregate && !grouped) rows = group(plan, rows, env);
  if (plan.having) rows = filterRows(rows, [plan.having], env, Infinity);
  if (plan.windows) rows = runWindows(plan.windows, rows, env);
  const outs: { out: Row; keys: SqlValue[] }[] = [];
  const seen = plan.distinct ? new Set<string>() : undefined;
  const distinctKey = rowKeyIn(plan.collations);
  for (const r of rows) {
    env.row = r;
    const out = plan.projection.map((p) => p(env));
    if (seen) {
      const k = distinctKey(out);
      if (seen.has(k)) continue;
      seen.add(k);
    }
    outs.push({ out, keys: plan.orderBy.map((t) => (t.outputIndex !== undefined ? out[t.outputIndex]! : t.evaluate!(env))) });
  }
  return order(outs, plan.orderBy, plan.limit, plan.offset, env);
}

function order(
  outs: { out: Row; keys: SqlValue[] }[],
  terms: readonly OrderTerm[],
  limit: Evaluator | undefined,
  offset: Evaluator | undefined,
  env: Env,
): Row[] {
  if (terms.length > 0) {
    outs.sort((a, b) => compareSortKeys(terms, a.keys, b.keys));
  }
  let result = outs.map((o) => o.out);
  const skip = offset ? Math.max(0, limitValue(offset, env)) : 0;
  const take = limit ? limitValue(limit, env) : -1;
  if (skip > 0 || take >= 0) result = result.slice(skip, take >= 0 ? skip + take : undefined);
  return result;
}

function group(plan: SelectPlan, rows: Row[], env: Env): Row[] {
  const grouper = new Grouper(plan, -1);
  for (const r of rows) {
    env.row = r;
    grouper.add(env, r, undefined);
  }
  return grouper.rows();
}

function combine(
  operators: readonly string[],
  parts: Row[][],
  collations: readonly (CollationName | undefined)[],
  terms: readonly OrderTerm[],
  limit: Evaluator | undefined,
  offset: Evaluator | undefined,
  outer: Env,
): Row[] {
  const key = rowKeyIn(collations);
  // SQLite runs UNION, INTERSECT and EXCEPT through a temporary index of whole rows: they come
  // out sorted by every column (with its collation), which a LIMIT without ORDER BY shows.
  const byColumns = collations.map((c): SortDirection => ({ desc: false, nullsFirst: true, compare: comparator(c) }));
  const sorted = (rows: Row[]) => rows.sort((a, b) => compareSortKeys(byColumns, a, b));
  let acc = parts[0]!;
  operators.forEach((op, i) => {
    const right = parts[i + 1]!;
    if (op === 'UNION ALL') acc = acc.concat(right);
    else if (op === 'UNION') acc = sorted(distinct(acc.concat(right), key));
    else {
      const rightKeys = new Set(right.map(key));
      acc = sorted(distinct(acc, key).filter((r) => rightKeys.has(key(r)) === (op === 'INTERSECT')));
    }
  });
  const env: Env = { row: [], outer, rt: outer.rt };
  return order(
    acc.map((out) => ({ out, keys: terms.map((t) => out[t.outputIndex!]!) })),
    terms,
    limit,
    offset,
    env,
  );
}

function distinct(rows: Row[], key: (row: Row) => string): Row[] {
  const seen = new Set<string>();
  return rows.filter((r) => {
    const k = key(r);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** A row's key for DISTINCT and compounds: equal for rows whose columns' collations call them equal. */
function rowKeyIn(collations: readonly (CollationName | undefined)[]): (row: Row) => string {
  if (collations.every((c) => c === undefined || c === 'BINARY')) return rowKey;
  return (row) => rowKey(row.map((v, i) => collationKey(v, collations[i])));
}
