import type { Env, Evaluator } from '../expr/scope.js';
import type { JoinKey, SourcePlan } from '../plan/plan-types.js';
import { keyPart } from '../schema/keys.js';
import { decodeRow } from '../schema/row-codec.js';
import { rowKey, truth, type SqlValue } from '../values/values.js';
import { groupValue } from './grouping.js';
import type { ReadContext } from './read-context.js';
import { derivationOf, isShared, rowKeyOf, rowKeyPosition } from './row-cache.js';

// How a joined source meets the rows before it: batched primary-key lookups, a hash table on the
// join keys, or every pair (select-exec.ts decides which, per join level).

type Row = SqlValue[];

/** Whether every filter is true for the row in `env`. */
export const passes = (filters: readonly Evaluator[], env: Env): boolean => {
  for (const f of filters) if (truth(f(env)) !== true) return false;
  return true;
};

export async function joinByPointLookups(source: SourcePlan, rows: Row[], env: Env, rc: ReadContext): Promise<Row[]> {
  const table = source.table!;
  const name = table.name.toLowerCase();
  const out: Row[] = [];
  const width = table.columns.length;
  for (let start = 0; start < rows.length; start += 1000) {
    const chunk = rows.slice(start, start + 1000);
    const keys = chunk.map((o) => {
      env.row = o;
      const parts = source.lookup!.eq.map((e) => e.evaluate(env));
      return parts.some((p) => p === null) ? undefined : rc.keys.row(name, parts.map(keyPart));
    });
    const present = keys.filter((k): k is Buffer => k !== undefined);
    const values = present.length > 0 ? await rc.reader.getMany(present) : [];
    let vi = 0;
    chunk.forEach((o, i) => {
      const v = keys[i] === undefined ? undefined : values[vi++];
      const inner = v ? [decodeRow(v, width, source.defaults, source.needed)] : [];
      for (const r of joinRows(source, [o], inner, env)) out.push(r);
    });
  }
  return out;
}

function hashKey(keys: readonly JoinKey[], side: 'inner' | 'outer', env: Env): number | string | bigint | undefined {
  if (keys.length === 1) {
    const v = keys[0]![side].evaluate(env);
    return v === null ? undefined : groupValue(v);
  }
  const values = keys.map((k) => k[side].evaluate(env));
  return values.some((v) => v === null) ? undefined : rowKey(values);
}

/** The hash key of an inner row `r` of `source`, evaluated with `r` placed in `scratch` (left as `env.row`). */
function innerKey(source: SourcePlan, r: Row, env: Env, scratch: Row): number | string | bigint | undefined {
  const n = source.columns.length;
  for (let i = 0; i < n; i++) scratch[source.offset + i] = r[i]!;
  env.row = scratch;
  return hashKey(source.hashKeys, 'inner', env);
}

type Buckets = Map<number | string | bigint, Row[]>;

/** Hash tables over row arrays shared by the row cache, per joined source; they go with the rows. */
const hashTables = new WeakMap<readonly Row[], Map<SourcePlan, Buckets>>();

/**
 * Joins `inner` rows to each outer row: by hash on the join keys when there are any, else every
 * pair. Conditions are evaluated on one reused scratch row; only a pair that passes is handed to
 * `emit` (by default: built into a joined row and collected). `emit` runs with `env.row` still
 * holding the pair, which it must not keep.
 */
export function joinRows(source: SourcePlan, outerRows: readonly Row[], inner: readonly Row[], env: Env, emit?: (outer: Row, inner: Row) => void): Row[] {
  const out: Row[] = [];
  const n = source.columns.length;
  const offset = source.offset;
  const scratch = nullRow(offset + n);
  let buckets: Buckets | undefined;
  if (source.hashKeys.length > 0 && inner.length > 1) {
    // The same shared rows and plain-column keys always hash alike: build the table once.
    const reusable = isShared(inner) && source.hashKeys.every((k) => k.innerIsColumn);
    buckets = reusable ? (hashTables.get(inner)?.get(source) ?? patchedBuckets(source, inner, env, scratch)) : undefined;
    if (!buckets) {
      const built: Buckets = new Map();
      for (const r of inner) {
        const k = innerKey(source, r, env, scratch);
        if (k === undefined) continue;
        const b = built.get(k);
        if (b) b.push(r);
        else built.set(k, [r]);
      }
      if (reusable) keepBuckets(inner, source, built);
      buckets = built;
    }
  }
  const nulls = nullRow(n);
  let filters = source.filters;
  const outer = source.left || source.right;
  // RIGHT / FULL: inner rows that matched no outer row come out once, after every outer row.
  const matchedInner = source.right ? new Set<Row>() : undefined;
  const check = (o: Row, r: Row): void => {
    for (let i = 0; i < n; i++) scratch[offset + i] = r[i]!;
    env.row = scratch;
    if (!passes(filters, env)) return;
    if (emit) emit(o, r);
    else out.push(joined(o, offset, r));
  };
  for (const o of outerRows) {
    let candidates: readonly Row[] = inner;
    if (buckets) {
      env.row = o;
      const k = hashKey(source.hashKeys, 'outer', env);
      candidates = k === undefined ? [] : (buckets.get(k) ?? []);
      filters = source.hashResidual !== undefined && typeof k !== 'string' ? source.hashResidual : source.filters;
    }
    for (let i = 0; i < offset; i++) scratch[i] = o[i]!;
    let matched = false;
    for (const r of candidates) {
      if (outer) {
        for (let i = 0; i < n; i++) scratch[offset + i] = r[i]!;
        env.row = scratch;
        if (!passes(source.match, env)) continue;
        matchedInner?.add(r);
      }
      matched = true;
      check(o, r);
    }
    if (source.left && !matched) check(o, nulls);
  }
  if (matchedInner) {
    const none = nullRow(offset);
    for (let i = 0; i < offset; i++) scratch[i] = null;
    filters = source.filters;
    for (const r of inner) if (!matchedInner.has(r)) check(none, r);
  }
  return out;
}

/**
 * The hash table of `inner` made from the one of the array it was derived from (a row cache
 * catch-up: a few rows replaced, deleted or added), kept with `inner` like a built one. Each
 * touched bucket is copied (the old table may still be in use) and keeps the rows in key order,
 * so it holds exactly what building it from `inner` would, in the same order. Undefined when
 * there is no such table to start from.
 */
function patchedBuckets(source: SourcePlan, inner: readonly Row[], env: Env, scratch: Row): Buckets | undefined {
  const derivation = derivationOf(inner);
  const old = derivation === undefined ? undefined : hashTables.get(derivation.from)?.get(source);
  if (derivation === undefined || old === undefined) return undefined;
  const buckets: Buckets = new Map(old);
  const copied = new Set<Row[]>();
  const bucketFor = (k: number | string | bigint): Row[] => {
    let b = buckets.get(k);
    if (b === undefined) buckets.set(k, (b = []));
    else if (!copied.has(b)) buckets.set(k, (b = [...b]));
    copied.add(b);
    return b;
  };
  for (const r of derivation.removed) {
    const k = innerKey(source, r, env, scratch);
    if (k === undefined) continue;
    const b = bucketFor(k);
    const at = b.indexOf(r);
    if (at >= 0) b.splice(at, 1);
    if (b.length === 0) buckets.delete(k);
  }
  for (const r of derivation.added) {
    const k = innerKey(source, r, env, scratch);
    if (k === undefined) continue;
    const key = rowKeyOf(r);
    if (key === undefined) return undefined;
    const b = bucketFor(k);
    // Rows of a bucket are in key order (the order of `inner`): insert where its key falls.
    const at = rowKeyPosition(b, key);
    if (at === undefined) return undefined;
    b.splice(at, 0, r);
  }
  keepBuckets(inner, source, buckets);
  return buckets;
}

/** Keeps a hash table with the shared rows it was built over, for the next join of `source` on them. */
function keepBuckets(inner: readonly Row[], source: SourcePlan, buckets: Buckets): void {
  let bySource = hashTables.get(inner);
  if (!bySource) hashTables.set(inner, (bySource = new Map<SourcePlan, Buckets>()));
  bySource.set(source, buckets);
}

/** A packed array of NULLs (Array.from's makes a holey one, which V8 reads and writes slower). */
function nullRow(length: number): Row {
  const row: Row = [];
  for (let i = 0; i < length; i++) row.push(null);
  return row;
}

/** outer[0 … offset) followed by inner, as a packed array (faster to build and read than concat's). */
function joined(outer: Row, offset: number, inner: Row): Row {
  const out: Row = [];
  for (let i = 0; i < offset; i++) out.push(outer[i]!);
  for (let i = 0; i < inner.length; i++) out.push(inner[i]!);
  return out;
}
