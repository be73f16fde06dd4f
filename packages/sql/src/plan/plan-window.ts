import { QueryError } from '@sochdb/core';
import { checkAggregate } from '../exec/aggregates.js';
import type { FrameBoundPlan, FramePlan, RankingName, ValueName, WindowCallPlan, WindowKey, WindowStage } from '../exec/window-types.js';
import { compileExpr, containsAggregate } from '../expr/expr.js';
import { aggregateSubtypes } from '../expr/json-subtype.js';
import type { Compiled, Evaluator, Scope, WindowSink } from '../expr/scope.js';
import { someExpr } from '../expr/walk.js';
import { WINDOW_FUNCTIONS } from '../expr/window-calls.js';
import type { Expr, FrameBound, FunctionExpr, NamedWindow, OrderingTerm, ResultColumn, WindowFrame } from '../parse/index.js';
import { sortDirection, unwrapCollate } from './plan-order.js';
import { checkRangeOffsets, DEFAULT_FRAME, WindowDefinitions } from './window-spec.js';

// The window stage of one SELECT: the window calls of its select list and ORDER BY, compiled
// over the rows they run on (the FROM rows, or the groups of a grouped query), and the order in
// which SQLite evaluates them.

/** The frame SQLite gives these functions whatever the window says (sqlite3WindowUpdate). */
const FIXED_FRAMES: Readonly<Record<string, WindowFrame>> = {
  row_number: frame('ROWS', 'UNBOUNDED PRECEDING', 'CURRENT ROW'),
  rank: frame('RANGE', 'UNBOUNDED PRECEDING', 'CURRENT ROW'),
  dense_rank: frame('RANGE', 'UNBOUNDED PRECEDING', 'CURRENT ROW'),
  percent_rank: frame('GROUPS', 'CURRENT ROW', 'UNBOUNDED FOLLOWING'),
  cume_dist: { ...frame('GROUPS', 'FOLLOWING', 'UNBOUNDED FOLLOWING'), start: { kind: 'FOLLOWING', offset: { kind: 'literal', value: 1n } } },
  ntile: frame('ROWS', 'CURRENT ROW', 'UNBOUNDED FOLLOWING'),
  lead: frame('ROWS', 'UNBOUNDED PRECEDING', 'UNBOUNDED FOLLOWING'),
  lag: frame('ROWS', 'UNBOUNDED PRECEDING', 'CURRENT ROW'),
};

function frame(units: WindowFrame['units'], start: FrameBound['kind'], end: FrameBound['kind']): WindowFrame {
  return { units, start: { kind: start, offset: undefined }, end: { kind: end, offset: undefined }, exclude: undefined };
}

interface Registered {
  readonly plan: WindowCallPlan;
  readonly partitionBy: readonly WindowKey[];
  readonly orderBy: readonly WindowKey[];
  /** The window's PARTITION BY and ORDER BY: calls with equal ones share a sort. */
  readonly sortKey: string;
  /** Everything SQLite compares to put calls in one pass (sqlite3WindowCompare: terms and frame). */
  readonly windowKey: string;
}

export class WindowCollector implements WindowSink {
  readonly #defs: WindowDefinitions;
  readonly #calls: Registered[] = [];
  /** Where window values start in the row: known once every aggregate of the query is registered. */
  readonly #layout = { base: 0 };
  /** Result column aliases of window expressions (SQLite: "misuse of aliased window function"). */
  readonly aliases: ReadonlySet<string>;

  constructor(
    named: readonly NamedWindow[],
    private readonly columns: readonly ResultColumn[],
  ) {
    // Named windows are checked first, as SQLite's parser does, used or not.
    this.#defs = new WindowDefinitions(named);
    const aliases = new Set<string>();
    const seen = new Set<string>();
    for (const c of columns) {
      if (c.kind !== 'expr' || c.alias === undefined) continue;
      const name = c.alias.toLowerCase();
      // The first column with a name is the one a reference finds.
      if (!seen.has(name) && someExpr(c.expr, isWindowCall)) aliases.add(name);
      seen.add(name);
    }
    this.aliases = aliases;
  }

  /** Whether a window named in the select list or ORDER BY orders or partitions by an aggregate (which groups the query). */
  readsAggregates(orderBy: readonly OrderingTerm[]): boolean {
    const exprs = [...this.columns.flatMap((c) => (c.kind === 'expr' ? [c.expr] : [])), ...orderBy.map((o) => o.expr)];
    const namedWithAggregate = (x: Expr): boolean => {
      if (x.kind !== 'function' || x.over?.base === undefined) return false;
      try {
        const w = this.#defs.resolve(x.over);
        return [...w.partitionBy, ...w.orderBy.map((o) => o.expr)].some(containsAggregate);
      } catch {
        return false; // reported when the call is compiled
      }
    };
    return exprs.some((e) => someExpr(e, namedWithAggregate));
  }

  /** `aliases` without those of window expressions, which clauses evaluated before the windows cannot read. */
  visible(aliases: ReadonlyMap<string, Compiled>): ReadonlyMap<string, Compiled> {
    if (this.aliases.size === 0) return aliases;
    return new Map([...aliases].filter(([k]) => !this.aliases.has(k)));
  }

  /** Refuses a reference to a window expression's alias in WHERE, GROUP BY, HAVING or a window's own terms. */
  checkAliases(exprs: readonly (Expr | undefined)[], scope: Scope): void {
    if (this.aliases.size === 0) return;
    for (const e of exprs) {
      if (e === undefined) continue;
      someExpr(e, (x) => {
        if (x.kind === 'column' && x.table === undefined && this.aliases.has(x.column.toLowerCase()) && !scope.canResolve(x.column)) {
          throw new QueryError(`misuse of aliased window function ${x.column}`, {
            remediation: 'Window values exist only once the rows are filtered and grouped: filter on them in an outer query.',
          });
        }
        return false;
      });
    }
  }

  add(f: FunctionExpr, scope: Scope): Compiled {
    const window = this.#defs.resolve(f.over!);
    checkRangeOffsets(window);
    const name = f.name;
    const builtin = WINDOW_FUNCTIONS.has(name);
    const star = f.star || (name === 'count' && f.args.length === 0);
    if (builtin && f.filter)
      throw new QueryError('FILTER clause may only be used with aggregate window functions', {
        remediation: `Drop the FILTER clause of ${name}(), or filter the rows in a subquery.`,
      });
    if (!builtin) {
      if (f.orderBy.length > 0)
        throw new QueryError(`ORDER BY may not be used with non-aggregate ${name}()`, { remediation: 'Order the window instead: OVER (ORDER BY …).' });
      checkAggregate(name, f.args.length, star);
    }
    // The call's terms may use aggregates (over the groups) but not other window calls.
    const inner = scope.derive(scope.aggregates, scope.aliases && this.visible(scope.aliases));
    const terms = [...window.partitionBy, ...window.orderBy.map((o) => o.expr), ...f.args, ...(f.filter ? [f.filter] : [])];
    this.checkAliases(terms, inner);
    const partitionBy = window.partitionBy.map((e) => windowKey({ expr: e, desc: false, nulls: 'FIRST' }, inner));
    const orderBy = window.orderBy.map((t) => windowKey(t, inner));
    const compiledArgs = f.args.map((a) => compileExpr(a, inner));
    const args = compiledArgs.map((a) => a.evaluate);
    const filter = f.filter ? compileExpr(f.filter, inner).evaluate : undefined;
    const fixed = FIXED_FRAMES[name];
    const written = window.frame ?? DEFAULT_FRAME;
    const slot = this.#calls.length;
    const plan: WindowCallPlan = {
      slot,
      name,
      kind: builtin ? (name as RankingName | ValueName) : 'aggregate',
      args,
      frame: compileFrame(fixed ?? written, inner),
      aggregate: builtin
        ? undefined
        : {
            name,
            args,
            subtypes: aggregateSubtypes(name, f.args, inner, compileExpr),
            distinct: false,
            collation: compiledArgs[0]?.collation?.name,
            star,
            filter,
            orderBy: [],
          },
    };
    const sortKey = canonical([window.partitionBy, window.orderBy]);
    this.#calls.push({ plan, partitionBy, orderBy, sortKey, windowKey: canonical([sortKey, frameKey(fixed ?? written)]) });
    const layout = this.#layout;
    return { evaluate: (env) => env.row[layout.base + slot]!, affinity: undefined };
  }

  /** The stage, once every expression of the query is compiled; `base` is the first free row slot. */
  finish(base: number, groupKeys: readonly Evaluator[]): WindowStage | undefined {
    if (this.#calls.length === 0) return undefined;
    this.#layout.base = base;
    // SQLite computes the calls over the first call's window in the outermost pass; the others
    // run before it (by the same rule among themselves), each sorting the previous pass's rows.
    const passes: Registered[][] = [];
    let rest = this.#calls;
    while (rest.length > 0) {
      const head = rest[0]!.windowKey;
      passes.unshift(rest.filter((c) => c.windowKey === head));
      rest = rest.filter((c) => c.windowKey !== head);
    }
    const groups = passes.map((pass, i) => {
      const first = pass[0]!;
      const unordered = first.partitionBy.length === 0 && first.orderBy.length === 0;
      return {
        partitionBy: first.partitionBy,
        orderBy: first.orderBy,
        presorted: unordered || (i > 0 && passes[i - 1]![0]!.sortKey === first.sortKey),
        calls: pass.map((c) => c.plan),
      };
    });
    // SQLite groups rows in a subquery ordered by the first pass's terms; with as many GROUP BY
    // terms as those, the GROUP BY takes their ASC/DESC (select.c), which orders the groups.
    const first = groups[0]!;
    const terms = [...first.partitionBy, ...first.orderBy];
    const sameCount = terms.length === groupKeys.length;
    return { base, count: this.#calls.length, groups, groupKeys: groupKeys.map((evaluate, i) => ({ evaluate, desc: sameCount && terms[i]!.desc })) };
  }
}

function isWindowCall(e: Expr): boolean {
  return e.kind === 'function' && e.over !== undefined;
}

function windowKey(term: OrderingTerm, scope: Scope): WindowKey {
  const { expr, collation } = unwrapCollate(term.expr);
  const compiled = compileExpr(expr, scope);
  return { evaluate: compiled.evaluate, ...sortDirection(term, collation ?? compiled.collation?.name) };
}

function compileFrame(f: WindowFrame, scope: Scope): FramePlan {
  return { units: f.units, start: compileBound(f.start, scope), end: compileBound(f.end, scope), exclude: f.exclude };
}

function compileBound(b: FrameBound, scope: Scope): FrameBoundPlan {
  if (b.offset === undefined) return { kind: b.kind, offset: undefined };
  // SQLite replaces an offset that is not constant (a column, a subquery, any function call)
  // with NULL, which the offset check then refuses once there are rows.
  const offset = isConstant(b.offset) ? compileExpr(b.offset, scope).evaluate : () => null;
  return { kind: b.kind, offset };
}

function isConstant(e: Expr): boolean {
  return !someExpr(
    e,
    (x) =>
      x.kind === 'column' ||
      x.kind === 'function' ||
      x.kind === 'subquery' ||
      x.kind === 'exists' ||
      x.kind === 'raise' ||
      (x.kind === 'in' && x.source.kind !== 'list'),
  );
}

function frameKey(f: WindowFrame): string {
  const bound = (b: FrameBound) => (b.offset === undefined ? b.kind : `${b.kind} ${isConstant(b.offset) ? canonical(b.offset) : 'NULL'}`);
  return `${f.units}|${bound(f.start)}|${bound(f.end)}|${f.exclude ?? ''}`;
}

/** A text equal for syntax trees SQLite's expression compare calls equal (near enough: same tree). */
function canonical(x: unknown): string {
  return JSON.stringify(x, (_, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v instanceof Uint8Array ? `x${Buffer.from(v).toString('hex')}` : v));
}
