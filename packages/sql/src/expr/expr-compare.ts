import { comparator, type Collation } from '../values/collation.js';
import { comparisonAffinities, convertFor } from '../values/operators.js';
import type { SqlValue } from '../values/values.js';
import type { Compiled, Evaluator } from './scope.js';

// Comparisons as SQLite makes them (affinity conversions, collation, NULL), and SQL's truth
// values, shared by the expression compiler and IN.

export const TRUE = 1n;
export const FALSE = 0n;
export const bool = (b: boolean | null): SqlValue => (b === null ? null : b ? TRUE : FALSE);

export type ComparisonOp = '=' | '!=' | '<' | '<=' | '>' | '>=' | 'IS' | 'IS NOT';

/** SQLite's rule: an explicit COLLATE wins (left first), then a column's collation (left first). */
export function comparisonCollation(left: Compiled, right: Compiled): Collation | undefined {
  if (left.collation?.explicit) return left.collation;
  if (right.collation?.explicit) return right.collation;
  return left.collation ?? right.collation;
}

export function comparison(op: ComparisonOp, left: Compiled, right: Compiled): Evaluator {
  const [la, ra] = comparisonAffinities(left.affinity, right.affinity);
  const compare = comparator(comparisonCollation(left, right));
  const l = left.evaluate;
  const r = right.evaluate;
  const test = ((): ((c: number) => boolean) => {
    switch (op) {
      case '=':
      case 'IS':
        return (c) => c === 0;
      case '!=':
      case 'IS NOT':
        return (c) => c !== 0;
      case '<':
        return (c) => c < 0;
      case '<=':
        return (c) => c <= 0;
      case '>':
        return (c) => c > 0;
      default:
        return (c) => c >= 0;
    }
  })();
  if (op === 'IS' || op === 'IS NOT') {
    const isNot = op === 'IS NOT';
    return (env) => {
      const a = l(env);
      const b = r(env);
      if (a === null || b === null) return bool((a === null && b === null) !== isNot);
      return bool(test(compare(convertFor(a, la), convertFor(b, ra))));
    };
  }
  if (la === undefined && ra === undefined) {
    return (env) => {
      const a = l(env);
      const b = r(env);
      if (a === null || b === null) return null;
      return test(compare(a, b)) ? TRUE : FALSE;
    };
  }
  return (env) => {
    const a = l(env);
    const b = r(env);
    if (a === null || b === null) return null;
    return test(compare(convertFor(a, la), convertFor(b, ra))) ? TRUE : FALSE;
  };
}

export function and3(a: boolean | null, b: boolean | null): boolean | null {
  if (a === false || b === false) return false;
  return a === null || b === null ? null : true;
}
