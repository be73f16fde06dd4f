import { QueryError } from '@sochdb/core';
import { FULL_SCAN } from '../exec/access.js';
import { containsAggregate } from '../expr/expr.js';
import type { Evaluator, Scope, SourceColumn } from '../expr/scope.js';
import type { Expr } from '../parse/index.js';
import { analyse, chooseAccess, conjunctsOf, joinKeys, searchArguments } from './plan-access.js';
import type { FromSource } from './plan-from.js';
import type { SourcePlan } from './plan-types.js';

// Where a SELECT's conditions are checked, and how each FROM source is read and joined.

/** WHERE and ON conditions, compiled and placed at join levels. */
export interface Conditions {
  /** WHERE's conjuncts. */
  readonly where: readonly Expr[];
  /** Each source's ON conjuncts (with its USING / NATURAL equalities). */
  readonly onConjuncts: readonly (readonly Expr[])[];
  /** Conditions checked once the source at that level is joined. */
  readonly filtersAt: readonly (readonly Evaluator[])[];
  /** An outer join's ON conditions at that level: they decide which pairs match. */
  readonly matchAt: readonly (readonly Evaluator[])[];
  /** Conditions that read no source. */
  readonly constantFilters: readonly Evaluator[];
  /** Each conjunct's evaluator, as placed. */
  readonly placed: ReadonlyMap<Expr, Evaluator>;
}

/**
 * Places each WHERE and ON conjunct at the first join level where every source it reads is
 * present, and never below a RIGHT or FULL join (whose NULL-extended rows it must see). An outer
 * join's ON conjuncts decide matches at their own level.
 */
export function placeConditions(whereNode: Expr | undefined, sources: readonly FromSource[], condScope: Scope): Conditions {
  const where = conjunctsOf(whereNode);
  if (where.some(containsAggregate)) throw new QueryError('misuse of aggregate function in WHERE', { remediation: 'Filter groups with HAVING instead.' });
  const filtersAt: Evaluator[][] = sources.map(() => []);
  const matchAt: Evaluator[][] = sources.map(() => []);
  const constantFilters: Evaluator[] = [];
  const placed = new Map<Expr, Evaluator>();
  const lastPreserving = sources.reduce((at, p, j) => (p.right ? j : at), -1);
  const place = (n: Expr, asMatch: boolean, minLevel: number) => {
    if (containsAggregate(n)) throw new QueryError('misuse of aggregate function in ON', { remediation: 'Aggregates are not allowed in join conditions.' });
    const { compiled, uses } = analyse(n, condScope);
    placed.set(n, compiled.evaluate);
    const level = Math.max(minLevel, ...uses, -1);
    if (level < 0) constantFilters.push(compiled.evaluate);
    else (asMatch ? matchAt : filtersAt)[level]!.push(compiled.evaluate);
  };
  const onConjuncts = sources.map((p) => p.on.flatMap((e) => conjunctsOf(e)));
  sources.forEach((p, j) => onConjuncts[j]!.forEach((c) => place(c, p.left || p.right, j)));
  where.forEach((c) => place(c, false, lastPreserving));
  return { where, onConjuncts, filtersAt, matchAt, constantFilters, placed };
}

/** The source at join level `j`: its access path, its key lookup per outer row, and its hash-join keys. */
export function planSource(p: FromSource, j: number, columns: readonly SourceColumn[], c: Conditions, condScope: Scope): Omit<SourcePlan, 'needed'> {
  const { where, onConjuncts, filtersAt } = c;
  // An outer join's ON decides matches, never which rows of a kept side exist.
  const restricting = p.right ? where : p.left ? onConjuncts[j]! : [...where, ...onConjuncts.slice(0, j + 1).flat()];
  const sargs = p.table ? searchArguments(restricting, condScope, j, p.table) : [];
  const names = p.table?.columns.map((col) => col.name) ?? [];
  const access = p.table
    ? chooseAccess(
        p.table,
        sargs.filter((s) => s.uses.size === 0),
        names,
        p.indexedBy,
      )
    : FULL_SCAN;
  const lookupPath = p.table && j > 0 && !p.right ? chooseAccess(p.table, sargs, names, p.indexedBy) : FULL_SCAN;
  const sameAsAccess = lookupPath.kind === access.kind && lookupPath.index === access.index && lookupPath.detail === access.detail;
  const lookup = lookupPath.kind !== 'scan' && !sameAsAccess ? lookupPath : undefined;
  if (
    typeof p.indexedBy === 'string' &&
    access.index?.name.toLowerCase() !== p.indexedBy.toLowerCase() &&
    lookup?.index?.name.toLowerCase() !== p.indexedBy.toLowerCase()
  ) {
    throw new QueryError(`no query solution: index ${p.indexedBy} cannot be used for ${p.alias}`, {
      remediation: "Drop INDEXED BY, or add a condition on the index's leading column.",
    });
  }
  const hashKeys = j > 0 ? joinKeys(p.left || p.right ? onConjuncts[j]! : [...where, ...onConjuncts.slice(0, j + 1).flat()], condScope, j) : [];
  const hashFilter = hashKeys.length === 1 && !p.left && !p.right ? c.placed.get(hashKeys[0]!.conjunct) : undefined;
  const hashResidual = hashFilter && filtersAt[j]!.includes(hashFilter) ? filtersAt[j]!.filter((f) => f !== hashFilter) : undefined;
  return {
    alias: p.alias,
    table: p.table,
    derived: p.derived,
    rowSource: p.rowSource,
    lateral: p.lateral,
    columns,
    offset: p.offset,
    left: p.left,
    right: p.right,
    access,
    lookup,
    hashKeys,
    match: c.matchAt[j]!,
    filters: filtersAt[j]!,
    hashResidual,
    defaults: p.defaults,
  };
}
