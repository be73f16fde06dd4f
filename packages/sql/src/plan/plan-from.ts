import { QueryError, NoSuchTableError } from '@sochdb/core';
import type { Expr, FromClause, FromItem, JoinedItem, JoinOperator, Select } from '../parse/index.js';
import type { CompileContext, CompileQuery, LateralRows, QueryPlan, RowSource } from './plan-types.js';
import { compileTableFunction } from './table-functions.js';
import { isCorrelated } from './correlated.js';
import { compileRecursiveCte } from './recursive-cte.js';
import { storedDefaults, type TableDef } from '../schema/schema.js';
import type { QueryLevel, Scope, ScopeSource, SourceColumn, SubqueryHandle } from '../expr/scope.js';
import type { SqlValue } from '../values/values.js';

/** One FROM item once named and laid out, before access paths are chosen. */
export interface FromSource {
  readonly alias: string;
  readonly table: TableDef | undefined;
  readonly derived: QueryPlan | undefined;
  readonly rowSource: RowSource | undefined;
  /** A table-valued function whose arguments read earlier FROM items or an enclosing query. */
  readonly lateral?: LateralRows | undefined;
  readonly columns: readonly SourceColumn[];
  readonly offset: number;
  /** LEFT or FULL: outer rows are kept. */
  readonly left: boolean;
  /** RIGHT or FULL: this source's rows are kept. */
  readonly right: boolean;
  /** The join condition: ON's conjuncts and USING / NATURAL equalities. */
  readonly on: readonly Expr[];
  readonly defaults: readonly SqlValue[];
  /** `INDEXED BY name` → name; `NOT INDEXED` → null. */
  readonly indexedBy: string | null | undefined;
}

/** A column of `SELECT *` / `t.*`: its own slot, or (`byName`) whatever its bare name reads. */
export interface StarColumn {
  readonly name: string;
  readonly slot: number;
  readonly byName: boolean;
  readonly affinity: SourceColumn['affinity'];
  readonly collation: SourceColumn['collation'];
  readonly source: number;
}

export interface CompiledFrom {
  readonly sources: readonly FromSource[];
  readonly scopeSources: readonly ScopeSource[];
  /** `SELECT *` in order, with USING / NATURAL columns shown once. */
  readonly star: readonly StarColumn[];
  /** `t.*` for the source at that position. */
  readonly tableStar: (source: number) => StarColumn[];
  readonly width: number;
}

/** What the FROM compiler needs from the query compiler (kept apart to avoid a module cycle). */
export interface FromCompiler {
  readonly compileQuery: CompileQuery;
  readonly constant: (e: Expr | undefined) => SqlValue;
  /** For the arguments of table-valued functions: subqueries, and the query level they belong to. */
  readonly compileSubquery: (query: Select, scope: Scope) => SubqueryHandle;
  readonly level: QueryLevel;
}

const lower = (s: string) => s.toLowerCase();

/**
 * SQLite joins are left-associative, so a parenthesized join can be inlined when it comes first
 * or is joined by an inner join; anything else would change which rows an outer join keeps.
 */
function flatten(from: FromClause): JoinedItem[] {
  const out: JoinedItem[] = [];
  for (const j of from.items) {
    if (j.item.kind !== 'join' || j.item.alias !== undefined) {
      out.push(j);
      continue;
    }
    const inner = flatten(j.item.from);
    const op = j.join;
    const innerJoin = op === undefined || op.kind === 'comma' || op.kind === 'inner' || op.kind === 'cross';
    if (
      !innerJoin ||
      op?.natural ||
      j.using ||
      (out.length > 0 && inner.some((i) => i.join && i.join.kind !== 'comma' && i.join.kind !== 'inner' && i.join.kind !== 'cross'))
    ) {
      throw new QueryError('a parenthesized join on the right of an outer, NATURAL or USING join is not supported', {
        remediation: 'Write the joins without parentheses, or move the parenthesized join into a subquery: (SELECT … FROM a JOIN b …) AS x.',
      });
    }
    inner.forEach((i, k) => {
      if (k === 0) out.push({ item: i.item, join: out.length === 0 ? undefined : (op ?? { kind: 'inner', natural: false }), on: j.on, using: undefined });
      else out.push(i);
    });
  }
  return out;
}

const columnRef = (alias: string, column: string): Expr => ({ kind: 'column', schema: undefined, table: alias, column, doubleQuoted: false });

export function compileFrom(from: FromClause | undefined, parent: Scope | undefined, ctx: CompileContext, fc: FromCompiler): CompiledFrom {
  const items = from ? flatten(from) : [];
  const sources: FromSource[] = [];
  const scopeSources: ScopeSource[] = [];
  let offset = 0;
  // With a RIGHT or FULL join anywhere in FROM, SQLite's USING reads every left-hand copy of a
  // name through coalesce() and calls a copy outside a prior USING ambiguous; otherwise it reads
  // the leftmost copy (sqlite3ProcessJoin).
  const anyRight = items.some((i) => i.join?.kind === 'right' || i.join?.kind === 'full');
  items.forEach((joined, j) => {
    const { alias, table, derived, rowSource, lateral, columns } = laterFromItem(
      () => resolveItem(joined.item, j, parent, ctx, fc, scopeSources),
      joined.item,
      items.slice(j + 1),
    );
    if (scopeSources.some((s) => s.alias === alias))
      throw new QueryError(`ambiguous table alias: ${alias}`, { remediation: 'Give each FROM item a distinct alias.' });
    const op: JoinOperator = joined.join ?? { kind: 'inner', natural: false };
    const left = op.kind === 'left' || op.kind === 'full';
    const right = op.kind === 'right' || op.kind === 'full';
    if (right && lateral) {
      throw new QueryError(`a RIGHT or FULL JOIN to ${alias} is not supported: its arguments read the tables before it`, {
        remediation: 'Use JOIN or LEFT JOIN, or pass arguments that read no earlier table.',
      });
    }
    const on: Expr[] = joined.on ? [joined.on] : [];
    const copiesOf = (name: string) =>
      scopeSources.flatMap((s) => {
        const c = s.columns.find((x) => lower(x.name) === lower(name));
        return c ? [{ source: s, column: c.name }] : [];
      });
    let usingNames = joined.using;
    if (op.natural) {
      if (joined.on || joined.using)
        throw new QueryError('a NATURAL join may not have an ON or USING clause', { remediation: 'Drop NATURAL, or drop the ON / USING clause.' });
      usingNames = columns.filter((c) => copiesOf(c.name).length > 0).map((c) => c.name);
    }
    for (const name of usingNames ?? []) {
      const ri = columns.findIndex((c) => lower(c.name) === lower(name));
      const copies = copiesOf(name);
      if (ri < 0 || copies.length === 0) {
        throw new QueryError(`cannot join using column ${name} - column not present in both tables`, {
          remediation: `Name a column that ${alias} and a table before it both have.`,
        });
      }
      let leftValue = columnRef(copies[0]!.source.alias, copies[0]!.column);
      if (anyRight && copies.length > 1) {
        if (copies.slice(1).some((c) => !c.source.using?.has(lower(name)))) {
          throw new QueryError(`ambiguous reference to ${name} in USING()`, {
            remediation: `Use ON with qualified names instead, e.g. ON ${copies[0]!.source.alias}.${name} = …`,
          });
        }
        leftValue = {
          kind: 'function',
          name: 'coalesce',
          args: copies.map((c) => columnRef(c.source.alias, c.column)),
          star: false,
          distinct: false,
          orderBy: [],
          filter: undefined,
          over: undefined,
          keyword: false,
        };
      }
      on.push({ kind: 'binary', op: '=', left: leftValue, right: columnRef(alias, columns[ri]!.name) });
    }
    sources.push({
      alias,
      table,
      derived,
      rowSource,
      lateral,
      columns,
      offset,
      left,
      right,
      on,
      defaults: table ? storedDefaults(table, fc.constant) : [],
      indexedBy: joined.item.kind === 'table' ? joined.item.indexedBy : undefined,
    });
    const join = op.kind === 'left' || op.kind === 'right' || op.kind === 'full' ? op.kind : 'inner';
    scopeSources.push({ alias, columns, offset, using: new Set((usingNames ?? []).map(lower)), join });
    offset += columns.length;
  });
  // `SELECT *` leaves out the right-hand copy of each USING column. With a RIGHT or FULL join
  // anywhere, SQLite expands a USING column by its bare name (so it reads as the lookup rule
  // says, and can be ambiguous); otherwise as the table's own column.
  const usedLater = (si: number, name: string) => scopeSources.some((s, sj) => sj > si && s.using?.has(lower(name)));
  const star: StarColumn[] = [];
  scopeSources.forEach((s, si) => {
    s.columns.forEach((c, ci) => {
      if (s.using?.has(lower(c.name)) || c.hidden) return;
      star.push({ name: c.name, slot: s.offset + ci, byName: anyRight && usedLater(si, c.name), affinity: c.affinity, collation: c.collation, source: si });
    });
  });
  const tableStar = (si: number): StarColumn[] =>
    scopeSources[si]!.columns.flatMap((c, ci) =>
      c.hidden
        ? []
        : [
            {
              name: c.name,
              slot: scopeSources[si]!.offset + ci,
              byName: anyRight && usedLater(si, c.name),
              affinity: c.affinity,
              collation: c.collation,
              source: si,
            },
          ],
    );
  return { sources, scopeSources, star, tableStar, width: offset };
}

/**
 * A table-valued function whose arguments read a FROM item listed after it (SQLite reorders the
 * joins; we join in the order written): say so rather than "no such column".
 */
function laterFromItem<T>(resolve: () => T, item: FromItem, later: readonly JoinedItem[]): T {
  try {
    return resolve();
  } catch (e) {
    if (!(e instanceof QueryError) || item.kind !== 'table' || item.args === undefined) throw e;
    const table = /^no such column: ([^.]+)\./.exec(e.message)?.[1];
    if (!table || !later.some((l) => l.item.kind === 'table' && lower(l.item.alias ?? l.item.name) === lower(table))) throw e;
    throw new QueryError(`${item.name}() reads ${table}, which comes after it in FROM`, {
      remediation: `List ${table} before the table-valued function: FROM ${table}, ${item.name}(…).`,
    });
  }
}

interface ResolvedItem {
  readonly alias: string;
  readonly table: TableDef | undefined;
  readonly derived: QueryPlan | undefined;
  readonly rowSource: RowSource | undefined;
  readonly lateral?: LateralRows | undefined;
  readonly columns: SourceColumn[];
}

function resolveItem(
  item: FromItem,
  index: number,
  parent: Scope | undefined,
  ctx: CompileContext,
  fc: FromCompiler,
  before: readonly ScopeSource[],
): ResolvedItem {
  if (item.kind === 'subquery') {
    const derived = fc.compileQuery(item.query, parent, ctx);
    // A subquery in FROM that reads an enclosing query's row makes this query correlated too: it
    // must run per row of the enclosing one (Drizzle's relational queries are made of these).
    if (isCorrelated(derived)) fc.level.correlated = true;
    return {
      alias: lower(item.alias ?? `(subquery-${index + 1})`),
      table: undefined,
      derived,
      rowSource: undefined,
      columns: derivedColumns(derived, undefined),
    };
  }
  if (item.kind === 'join') {
    throw new QueryError('a parenthesized join with an alias is not supported', { remediation: 'Use a subquery instead: (SELECT … FROM a JOIN b …) AS x.' });
  }
  if (item.args !== undefined || (item.schema === undefined && !ctx.ctes?.has(lower(item.name)) && !ctx.view(item.name) && !ctx.table(item.name))) {
    // A table-valued function; without arguments (`FROM json_each`) it has no rows, as in SQLite.
    const where = { before: before.slice(), parent, compileSubquery: fc.compileSubquery, level: fc.level };
    const tvf = compileTableFunction(item.name, item.args ?? [], where, ctx);
    if (tvf)
      return {
        alias: lower(item.alias ?? item.name),
        table: undefined,
        derived: undefined,
        rowSource: tvf.rowSource,
        lateral: tvf.lateral,
        columns: tvf.columns,
      };
    if (item.args !== undefined) {
      if (ctx.table(item.name) || ctx.view(item.name))
        throw new QueryError(`'${item.name}' is not a function`, { remediation: 'Only table-valued functions such as json_each() take arguments in FROM.' });
      throw new NoSuchTableError(`no such table: ${item.name}`, { remediation: 'Check the name: table-valued functions are json_each() and json_tree().' });
    }
  }
  if (item.schema !== undefined && !['main', 'temp'].includes(lower(item.schema))) {
    throw new QueryError(`unknown database ${item.schema}`, { remediation: 'Only the main database exists; drop the schema prefix.' });
  }
  const name = item.name;
  const alias = lower(item.alias ?? name);
  const cte = ctx.ctes?.get(lower(name));
  if (cte && item.schema === undefined) {
    if (cte.working) return { alias, table: undefined, derived: undefined, rowSource: cte.working.rows, columns: [...cte.working.columns] };
    if (cte.recursive) {
      const recursive = compileRecursiveCte(name, cte, parent, ctx, fc.compileQuery);
      return { alias, table: undefined, derived: undefined, rowSource: recursive.rows, columns: [...recursive.columns] };
    }
    // A common table expression reads like a subquery in FROM (evaluated per reference).
    const derived = fc.compileQuery(cte.query, parent, { ...ctx, ctes: cte.scope });
    return { alias, table: undefined, derived, rowSource: undefined, columns: derivedColumns(derived, cte.columns, `table ${name}`) };
  }
  const view = ctx.view(name, item.schema);
  if (view) {
    // A view's own names resolve in its own (empty) outer scope, as in SQLite.
    const derived = fc.compileQuery(view.query, undefined, { ...ctx, ctes: undefined });
    return { alias, table: undefined, derived, rowSource: undefined, columns: derivedColumns(derived, view.columns, view.name) };
  }
  const table = ctx.table(name);
  if (!table) throw new NoSuchTableError(`no such table: ${name}`, { remediation: 'Create it with CREATE TABLE, or check the name.' });
  if (item.indexedBy) {
    if (!table.indexes.some((i) => lower(i.name) === lower(item.indexedBy!))) throw new QueryError(`no such index: ${item.indexedBy}`);
  }
  return {
    alias,
    table,
    derived: undefined,
    rowSource: undefined,
    columns: table.columns.map((c) => ({ name: c.name, affinity: c.affinity, collation: c.collation })),
  };
}

function derivedColumns(plan: QueryPlan, names: readonly string[] | undefined, what?: string): SourceColumn[] {
  if (names && names.length !== plan.columns.length) {
    throw new QueryError(`${what ?? 'subquery'} has ${plan.columns.length} values for ${names.length} columns`, {
      remediation: 'Name as many columns as the query selects.',
    });
  }
  return plan.columns.map((name, i) => ({ name: names?.[i] ?? name, affinity: plan.affinities[i] }));
}
