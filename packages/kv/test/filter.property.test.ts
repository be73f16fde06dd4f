import { SochDBError, ValidationError, type Storage } from '@sochdb/core';
import { persistentFactory, type StorageFactory } from '@sochdb/core/testing';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KvStore, type KvFilter, type KvRecord } from '../src/index.js';

// Random where() filters — valid and malformed, odd values included — against a model of kv's
// documented filter semantics (filter.ts, README "Queries"). Each either selects exactly the
// records the model selects from a real LevelDB store, or is refused with a ValidationError;
// nothing else may come out. Seeded, so CI runs the same cases.

const SEED = 0x6b76_f11e;
const RUNS = 300;

// ── the model ────────────────────────────────────────────────────────────────────────────────

type Model = ((record: KvRecord) => boolean) | 'invalid';
const OPERATORS = ['$eq', '$ne', '$gt', '$gte', '$lt', '$lte', '$in', '$nin'];

const isPlain = (x: unknown): x is Record<string, unknown> =>
  x !== null && typeof x === 'object' && !Array.isArray(x) && [Object.prototype, null].includes(Object.getPrototypeOf(x) as object | null);
const isScalar = (x: unknown): boolean => x === null || typeof x === 'string' || typeof x === 'boolean' || (typeof x === 'number' && !Number.isNaN(x));

function modelCondition(condition: Record<string, unknown>): ((value: unknown) => boolean) | 'invalid' {
  const tests: ((value: unknown) => boolean)[] = [];
  for (const [op, x] of Object.entries(condition)) {
    if (!OPERATORS.includes(op)) return 'invalid';
    if (op === '$in' || op === '$nin') {
      if (!Array.isArray(x)) return 'invalid';
      const values = Array.from({ length: x.length }, (_, i) => x[i] as unknown);
      if (!values.every(isScalar)) return 'invalid';
      // A missing field is in no list, and so in every $nin.
      tests.push(op === '$in' ? (v) => values.some((y) => y === v) : (v) => !values.some((y) => y === v));
    } else if (op === '$eq' || op === '$ne') {
      if (!isScalar(x)) return 'invalid';
      tests.push(op === '$eq' ? (v) => v === x : (v) => v !== x);
    } else {
      if (!(typeof x === 'string' || (typeof x === 'number' && !Number.isNaN(x)))) return 'invalid';
      const holds = {
        $gt: (a: number | string) => a > x,
        $gte: (a: number | string) => a >= x,
        $lt: (a: number | string) => a < x,
        $lte: (a: number | string) => a <= x,
      }[op]!;
      tests.push((v) => typeof v === typeof x && holds(v as number | string));
    }
  }
  return (v) => tests.every((t) => t(v));
}

/** kv filters name top-level fields only (a dot is part of the name), with no array matching. */
function model(filter: unknown): Model {
  if (!isPlain(filter)) return 'invalid';
  const parts: ((record: KvRecord) => boolean)[] = [];
  for (const [key, condition] of Object.entries(filter)) {
    if (condition === undefined) continue;
    if (key === '$and' || key === '$or') {
      if (!Array.isArray(condition)) return 'invalid';
      const subs: ((record: KvRecord) => boolean)[] = [];
      for (let i = 0; i < condition.length; i++) {
        const sub = model(condition[i]);
        if (sub === 'invalid') return 'invalid';
        subs.push(sub);
      }
      parts.push(key === '$and' ? (r) => subs.every((s) => s(r)) : (r) => subs.some((s) => s(r)));
    } else if (key.startsWith('$')) {
      return 'invalid';
    } else if (isPlain(condition)) {
      const test = modelCondition(condition);
      if (test === 'invalid') return 'invalid';
      parts.push((r) => test(Object.hasOwn(r, key) ? r[key] : undefined));
    } else if (isScalar(condition)) {
      parts.push((r) => Object.hasOwn(r, key) && r[key] === condition);
    } else {
      return 'invalid';
    }
  }
  return (r) => parts.every((p) => p(r));
}

// ── generators ───────────────────────────────────────────────────────────────────────────────

const scalar = fc.oneof(fc.constantFrom('x', 'y', '', 'X', 'é'), fc.constantFrom(-2, -1, 0, 1, 2, 0.5), fc.boolean(), fc.constant(null));
class Custom {
  readonly $eq = 'x';
}
const odd = fc.constantFrom<unknown>(
  Number.NaN,
  Number.POSITIVE_INFINITY,
  -0,
  new Date(0),
  new Map([['$eq', 'x']]),
  new Custom(),
  Object.assign(Object.create(null) as object, { $eq: 'x' }),
  () => true,
  Symbol('s'),
  10n,
  undefined,
  [],
  {},
);
const operand = fc.oneof(
  { weight: 4, arbitrary: scalar },
  { weight: 2, arbitrary: odd },
  { weight: 2, arbitrary: fc.array(fc.oneof({ weight: 5, arbitrary: scalar }, { weight: 1, arbitrary: odd }), { maxLength: 3 }) },
);
const operators = fc
  .uniqueArray(fc.tuple(fc.constantFrom(...OPERATORS, ...OPERATORS, '$regex', 'plain'), operand), { maxLength: 3, selector: ([op]) => op })
  .map((entries) => Object.fromEntries(entries) as unknown);
const field = fc.constantFrom('a', 'b', 'tags', 'n.x', 'n', 'missing', '');
const condition = fc.oneof(
  { weight: 4, arbitrary: scalar },
  { weight: 5, arbitrary: operators },
  { weight: 2, arbitrary: odd },
  { weight: 1, arbitrary: fc.array(scalar, { maxLength: 2 }) },
);

// Single conditions often, so that one odd value is often the only thing wrong with a filter.
const single = fc.tuple(field, condition).map(([key, c]) => ({ [key]: c }));
const { filter } = fc.letrec<{ filter: unknown }>((tie) => ({
  filter: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    single,
    fc
      .array(
        fc.oneof(
          { weight: 6, arbitrary: fc.tuple(field, condition) },
          {
            weight: 3,
            arbitrary: fc.tuple(
              fc.constantFrom('$and', '$or'),
              fc.oneof({ weight: 6, arbitrary: fc.array(tie('filter'), { maxLength: 3 }) }, { weight: 1, arbitrary: odd }),
            ),
          },
          { weight: 1, arbitrary: fc.tuple(fc.constantFrom('$not', '$nor', '$'), condition) },
        ),
        { maxLength: 3 },
      )
      .map((entries) => Object.fromEntries(entries) as unknown),
    // A function is a predicate, not a filter (tested elsewhere).
    odd.filter((x) => typeof x !== 'function'),
  ),
}));

const value = fc.oneof(
  { weight: 4, arbitrary: scalar },
  { weight: 1, arbitrary: fc.array(scalar, { maxLength: 3 }) },
  { weight: 1, arbitrary: fc.record({ x: scalar }, { requiredKeys: [] }) },
);
const record = fc.record({ a: value, b: value, tags: fc.array(scalar, { maxLength: 3 }), n: value, 'n.x': scalar, '': scalar }, { requiredKeys: [] });

// ── the store ────────────────────────────────────────────────────────────────────────────────

// As stored: through JSON, as queries read them back.
const records = fc.sample(record, { seed: SEED, numRuns: 40 }).map((r, i) => JSON.parse(JSON.stringify({ ...r, id: i })) as KvRecord);
let factory: StorageFactory;
let storage: Storage;
let kv: KvStore;

beforeAll(async () => {
  factory = persistentFactory();
  storage = await factory.open();
  kv = new KvStore(storage);
  // Each record's id is its index, so keys sort in the records' order.
  for (const [i, r] of records.entries()) await kv.putJson(`r/${String(i).padStart(2, '0')}`, r);
});
afterAll(async () => {
  await storage.close();
  await factory.cleanup();
});

describe('kv where() filters against a model (property-based, seeded)', () => {
  it('every random filter selects what the model selects from the store, or is refused with a ValidationError', async () => {
    let valid = 0;
    await fc.assert(
      fc.asyncProperty(filter, async (f) => {
        const expected = model(f);
        let query: ReturnType<KvStore['query']> | undefined;
        let error: unknown;
        try {
          query = kv.query('r/').where(f as KvFilter);
        } catch (e) {
          error = e;
        }
        if (expected === 'invalid') {
          expect(error).toBeInstanceOf(ValidationError);
          expect(error).toBeInstanceOf(SochDBError);
          expect((error as ValidationError).code).toBe(6000);
          return;
        }
        valid++;
        expect(error).toBeUndefined();
        const got = (await query!.toRecords()).map((r) => r.id);
        expect(got).toEqual(records.filter(expected).map((r) => r.id));
      }),
      { seed: SEED, numRuns: RUNS },
    );
    // The generator must exercise both outcomes, or the property proves little.
    expect(valid).toBeGreaterThan(RUNS / 5);
    expect(valid).toBeLessThan(RUNS - RUNS / 5);
  });
});
