import { FULL_SCAN, type AccessPath, type Bound } from '../exec/access.js';
import type { Expr } from '../parse/index.js';
import { compileExpr } from '../expr/expr.js';
import { comparisonCollation } from '../expr/expr-compare.js';
import { comparisonAffinities, convertFor } from '../values/operators.js';
import type { JoinKey } from './plan-types.js';
import { columnIndex, type TableDef } from '../schema/schema.js';
import type { Compiled, Scope } from '../expr/scope.js';

type Op = '=' | '<' | '<=' | '>' | '>=';

/** A conjunct of the form `column op value` on one source, with `value` free of that source. */
interface Sarg {
  readonly column: number;
  readonly op: Op;
  readonly value: Compiled;
  /** Earlier sources the value reads (empty for constants, parameters and outer references). */
  readonly uses: ReadonlySet<number>;
}

const FLIP: Record<Op, Op> = { '=': '=', '<': '>', '<=': '>=', '>': '<', '>=': '<=' };

/** The local sources an expression reads; also reports whether it is a bare column of `source`. */
function analyse(n: Expr, scope: Scope): { compiled: Compiled; uses: Set<number> } {
  scope.used.clear();
  const compiled = compileExpr(n, scope);
  const uses = new Set(scope.used);
  scope.used.clear();
  return { compiled, uses };
}

function columnOf(n: Expr, scope: Scope, source: number, table: TableDef): number | undefined {
  if (n.kind !== 'column') return undefined;
  const name = n.column;
  const t = n.table;
  const s = scope.sources[source]!;
  if (t !== undefined && t.toLowerCase() !== s.alias) return undefined;
  const ci = columnIndex(table, name);
  if (ci < 0) return undefined;
  // An unqualified name must not resolve to another source first.
  const found = scope.resolve(t, name);
  scope.used.clear();
  return found && found.depth === 0 && found.slot === s.offset + ci ? ci : undefined;
}

/** Finds the search arguments on `source` among `conjuncts`. */
export function searchArguments(conjuncts: readonly Expr[], scope: Scope, source: number, table: TableDef): Sarg[] {
  const sargs: Sarg[] = [];
  const add = (colNode: Expr, op: Op, valueNode: Expr, columnOnLeft: boolean) => {
    const column = columnOf(colNode, scope, source, table);
    if (column === undefined) return;
    const { compiled, uses } = analyse(valueNode, scope);
    if (uses.has(source) || [...uses].some((u) => u > source)) return;
    // A key is in binary order: a comparison under another collation cannot use it. The
    // comparison takes a written COLLATE, else its left side's collation: a NOCASE column on the
    // left of `nocase_col = t.indexed` makes it case-blind (comparisonCollation).
    const explicit = compiled.collation?.explicit ? compiled.collation : undefined;
    const collation = explicit ?? (columnOnLeft ? undefined : compiled.collation);
    if (table.columns[column]!.collation !== undefined || (collation !== undefined && collation.name !== 'BINARY')) return;
    const colAffinity = table.columns[column]!.affinity;
    const [onColumn, onValue] = comparisonAffinities(colAffinity, compiled.affinity);
    if (onColumn !== undefined) return; // the column's values would be converted: key order does not apply
    const f = compiled.evaluate;
    sargs.push({ column, op, uses, value: { evaluate: (env) => convertFor(f(env), onValue), affinity: compiled.affinity } });
  };
  for (const c of conjuncts) {
    if (c.kind === 'between') {
      if (!c.not) {
        add(c.operand, '>=', c.low, true);
        add(c.operand, '<=', c.high, true);
      }
      continue;
    }
    if (c.kind !== 'binary' || !(c.op in FLIP)) continue;
    const op = c.op as Op;
    add(c.left, op, c.right, true);
    add(c.right, FLIP[op], c.left, false);
  }
  return sargs;
}

/**
 * Picks the best access path for `table` from its search arguments: a whole primary key by
 * equality, then a whole unique index, then the longest equality prefix plus a range.
 */
export function chooseAccess(
  table: TableDef,
  sargs: readonly Sarg[],
  columnNames: readonly string[],
  indexedBy: string | null | undefined = undefined,
): AccessPath {
  const candidates: { kind: 'pk' | 'index'; columns: readonly number[]; unique: boolean; index: AccessPath['index'] }[] = [];
  // INDEXED BY allows only that index; NOT INDEXED (null) only the primary key.
  if (table.primaryKey.length > 0 && typeof indexedBy !== 'string') candidates.push({ kind: 'pk', columns: table.primaryKey, unique: true, index: undefined });
  for (const index of table.indexes) {
    if (indexedBy === null || (typeof indexedBy === 'string' && index.name.toLowerCase() !== indexedBy.toLowerCase())) continue;
    candidates.push({ kind: 'index', columns: index.columns, unique: index.unique, index });
  }
  let best: AccessPath = FULL_SCAN;
  let bestScore = 0;
  for (const cand of candidates) {
    const eq: Compiled[] = [];
    const parts: string[] = [];
    for (const col of cand.columns) {
      const s = sargs.find((a) => a.column === col && a.op === '=');
      if (!s) break;
      eq.push(s.value);
      parts.push(`${columnNames[col]}=?`);
    }
    let lower: Bound | undefined;
    let upper: Bound | undefined;
    const next = cand.columns[eq.length];
    if (next !== undefined) {
      for (const s of sargs) {
        if (s.column !== next) continue;
        if ((s.op === '>' || s.op === '>=') && !lower) {
          lower = { value: s.value, inclusive: s.op === '>=' };
          parts.push(`${columnNames[next]}${s.op}?`);
        } else if ((s.op === '<' || s.op === '<=') && !upper) {
          upper = { value: s.value, inclusive: s.op === '<=' };
          parts.push(`${columnNames[next]}${s.op}?`);
        }
      }
    }
    const full = eq.length === cand.columns.length;
    const score = full && cand.unique ? (cand.kind === 'pk' ? 1000 : 900) : eq.length * 10 + (lower || upper ? 5 : 0) + (cand.kind === 'pk' ? 1 : 0);
    if (eq.length === 0 && !lower && !upper) continue;
    if (score > bestScore) {
      bestScore = score;
      best = { kind: cand.kind, index: cand.index, eq, lower, upper, detail: `(${parts.join(' AND ')})` };
    }
  }
  return best;
}

/** Equalities `inner = outer` usable to hash-join source `source` to the sources before it. */
export function joinKeys(conjuncts: readonly Expr[], scope: Scope, source: number): JoinKey[] {
  const keys: JoinKey[] = [];
  for (const c of conjuncts) {
    if (c.kind !== 'binary' || c.op !== '=' || c.left.kind === 'row' || c.right.kind === 'row') continue;
    const l = analyse(c.left, scope);
    const r = analyse(c.right, scope);
    // Hash buckets compare binary values: another collation needs a nested loop.
    const collation = comparisonCollation(l.compiled, r.compiled);
    if (collation !== undefined && collation.name !== 'BINARY') continue;
    const only = (u: Set<number>) => u.size === 1 && u.has(source);
    const before = (u: Set<number>) => u.size > 0 && [...u].every((x) => x < source);
    const leftInner = only(l.uses) && before(r.uses);
    const pair = leftInner ? [l.compiled, r.compiled] : only(r.uses) && before(l.uses) ? [r.compiled, l.compiled] : undefined;
    if (!pair) continue;
    const [inner, outer] = pair as [Compiled, Compiled];
    const innerNode = leftInner ? c.left : c.right;
    const [ia, oa] = comparisonAffinities(inner.affinity, outer.affinity);
    const fi = inner.evaluate;
    const fo = outer.evaluate;
    keys.push({
      inner: { evaluate: (env) => convertFor(fi(env), ia), affinity: inner.affinity },
      outer: { evaluate: (env) => convertFor(fo(env), oa), affinity: outer.affinity },
      innerIsColumn: innerNode.kind === 'column',
      conjunct: c,
    });
  }
  return keys;
}

/** Splits an expression on top-level ANDs (iteratively: a long AND chain is deep on the left). */
export function conjunctsOf(n: Expr | undefined): Expr[] {
  const out: Expr[] = [];
  const stack: Expr[] = n ? [n] : [];
  while (stack.length > 0) {
    const e = stack.pop()!;
    if (e.kind === 'binary' && e.op === 'AND') stack.push(e.right, e.left);
    else out.push(e);
  }
  return out;
}

export { analyse };
