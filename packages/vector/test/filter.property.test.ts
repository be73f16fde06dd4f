import { SochDBError, ValidationError, type Storage } from '@sochdb/core';
import { persistentFactory, type StorageFactory } from '@sochdb/core/testing';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Collection, compileFilter, type JsonValue, type Metadata, type MetadataFilter } from '../src/index.js';

// Random filters — valid and malformed, odd values included — against a model of the documented
// semantics (filter.ts, README "Filters"). Each either compiles and selects exactly the documents
// the model selects, through every path a collection evaluates filters on, or is refused with a
// ValidationError by all of them; nothing else may come out. Seeded, so CI runs the same cases.

const SEED = 0x5eed_f11e;
const RUNS = 300;

// ── the model ────────────────────────────────────────────────────────────────────────────────

type Model = ((metadata: Metadata) => boolean) | 'invalid';
const OPERATORS = ['$eq', '$ne', '$gt', '$gte', '$lt', '$lte', '$in', '$nin'];

const isPlain = (x: unknown): x is Record<string, unknown> =>
  x !== null && typeof x === 'object' && !Array.isArray(x) && [Object.prototype, null].includes(Object.getPrototypeOf(x) as object | null);
const isScalar = (x: unknown): boolean => x === null || typeof x === 'string' || typeof x === 'boolean' || (typeof x === 'number' && !Number.isNaN(x));

/** The value at a dotted path through nested plain objects (own properties only). */
function valueAt(metadata: Metadata, field: string): JsonValue | undefined {
  let value: JsonValue | undefined = metadata;
  for (const step of field.split('.')) {
    if (value === null || typeof value !== 'object' || Array.isArray(value) || !Object.hasOwn(value, step)) return undefined;
    value = (value as Metadata)[step];
  }
  return value;
}

/** Equality matches an array field when any element is the value. */
const equals = (value: JsonValue | undefined, x: unknown) => (Array.isArray(value) ? value.some((v) => v === x) : value === x);

function modelCondition(condition: unknown): ((value: JsonValue | undefined) => boolean) | 'invalid' {
  if (isScalar(condition)) return (v) => equals(v, condition);
  if (!isPlain(condition)) return 'invalid';
  const tests: ((value: JsonValue | undefined) => boolean)[] = [];
  for (const [op, x] of Object.entries(condition)) {
    if (!OPERATORS.includes(op)) return 'invalid';
    if (op === '$in' || op === '$nin') {
      if (!Array.isArray(x)) return 'invalid';
      const values = Array.from({ length: x.length }, (_, i) => x[i] as unknown);
      if (!values.every(isScalar)) return 'invalid';
      tests.push(op === '$in' ? (v) => values.some((y) => equals(v, y)) : (v) => !values.some((y) => equals(v, y)));
    } else if (op === '$eq' || op === '$ne') {
      if (!isScalar(x)) return 'invalid';
      tests.push(op === '$eq' ? (v) => equals(v, x) : (v) => !equals(v, x));
    } else {
      if (!(typeof x === 'string' || (typeof x === 'number' && !Number.isNaN(x)))) return 'invalid';
      const holds = {
        $gt: (a: number | string) => a > x,
        $gte: (a: number | string) => a >= x,
        $lt: (a: number | string) => a < x,
        $lte: (a: number | string) => a <= x,
      }[op]!;
      // Numbers compare with numbers, strings with strings; anything else does not match.
      tests.push((v) => typeof v === typeof x && holds(v as number | string));
    }
  }
  return (v) => tests.every((t) => t(v));
}

function model(filter: unknown): Model {
  if (!isPlain(filter)) return 'invalid';
  const parts: ((metadata: Metadata) => boolean)[] = [];
  for (const [key, condition] of Object.entries(filter)) {
    if (condition === undefined) continue;
    if (key === '$and' || key === '$or') {
      if (!Array.isArray(condition) || condition.length === 0) return 'invalid';
      const subs: ((metadata: Metadata) => boolean)[] = [];
      for (let i = 0; i < condition.length; i++) {
        const sub = model(condition[i]);
        if (sub === 'invalid') return 'invalid';
        subs.push(sub);
      }
      parts.push(key === '$and' ? (m) => subs.every((s) => s(m)) : (m) => subs.some((s) => s(m)));
    } else if (key.startsWith('$')) {
      return 'invalid';
    } else {
      const test = modelCondition(condition);
      if (test === 'invalid') return 'invalid';
      parts.push((m) => test(valueAt(m, key)));
    }
  }
  return (m) => parts.every((p) => p(m));
}

// ── generators ───────────────────────────────────────────────────────────────────────────────

const scalar = fc.oneof(fc.constantFrom('x', 'y', '', 'X', 'é', 'x y'), fc.constantFrom(-2, -1, 0, 1, 2, 0.5), fc.boolean(), fc.constant(null));
class Custom {
  readonly $eq = 'x';
}
const odd = fc.constantFrom<unknown>(
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
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
  'a'.repeat(300),
);
const operand = fc.oneof(
  { weight: 4, arbitrary: scalar },
  { weight: 2, arbitrary: odd },
  { weight: 2, arbitrary: fc.array(fc.oneof({ weight: 5, arbitrary: scalar }, { weight: 1, arbitrary: odd }), { maxLength: 3 }) },
);
const operators = fc
  .uniqueArray(fc.tuple(fc.constantFrom(...OPERATORS, ...OPERATORS, '$regex', '$between', 'plain'), operand), { maxLength: 3, selector: ([op]) => op })
  .map((entries) => Object.fromEntries(entries) as unknown);
const field = fc.constantFrom('a', 'b', 'tags', 'n.x', 'n', 'n.y.z', 'missing', 'a.', '');
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
    // An undefined filter is no filter (every document), tested elsewhere.
    odd.filter((x) => x !== undefined),
  ),
}));

const metadataValue: fc.Arbitrary<JsonValue> = fc.oneof(
  { weight: 4, arbitrary: scalar },
  { weight: 2, arbitrary: fc.array(scalar, { maxLength: 3 }) },
  { weight: 2, arbitrary: fc.record({ x: scalar, y: fc.oneof(scalar, fc.record({ z: scalar })) }, { requiredKeys: [] }) },
);
const metadata: fc.Arbitrary<Metadata> = fc.record(
  { a: metadataValue, b: metadataValue, tags: fc.array(scalar, { maxLength: 3 }), n: metadataValue, 'n.x': scalar, '': scalar },
  { requiredKeys: [] },
);

// ── the collection ───────────────────────────────────────────────────────────────────────────

const DOCS = 40;
const docs = fc.sample(metadata, { seed: SEED, numRuns: DOCS });
const ids = docs.map((_, i) => `d${i}`);
let factory: StorageFactory;
let storage: Storage;
let collection: Collection;

beforeAll(async () => {
  factory = persistentFactory();
  storage = await factory.open();
  collection = await Collection.create(storage, { namespace: 'fuzz', name: 'filters', dimension: 2, metric: 'euclidean' });
  await collection.insertBatch({ ids, vectors: ids.map((_, i) => [Math.cos(i), Math.sin(i)]), metadatas: docs, contents: ids.map(() => 'doc') });
});
afterAll(async () => {
  await collection.close();
  await storage.close();
  await factory.cleanup();
});

/** What a call gave: the sorted ids it selected, or the error it threw. */
async function outcome(run: () => Promise<readonly { readonly id: string }[]> | readonly { readonly id: string }[]): Promise<string[] | { error: unknown }> {
  try {
    return (await run()).map((r) => r.id).sort();
  } catch (error) {
    return { error };
  }
}

describe('vector metadata filters against a model (property-based, seeded)', () => {
  it('every random filter selects what the model selects on every evaluation path, or is refused by all with a ValidationError', async () => {
    let valid = 0;
    await fc.assert(
      fc.asyncProperty(filter, async (f) => {
        const expected = model(f);
        const asFilter = f as MetadataFilter;
        const paths: [string, () => Promise<readonly { readonly id: string }[]> | readonly { readonly id: string }[]][] = [
          ['compileFilter', () => ids.filter((_, i) => compileFilter(asFilter)(docs[i]!)).map((id) => ({ id }))],
          ['exact scan', () => collection.search({ vector: [1, 0], k: DOCS, filter: asFilter, filterStrategy: 'exact' })],
          ['graph walk', () => collection.search({ vector: [1, 0], k: DOCS, filter: asFilter, filterStrategy: 'graph' })],
          ['keyword', () => collection.keywordSearch('doc', DOCS, { filter: asFilter })],
        ];
        if (expected !== 'invalid') valid++;
        for (const [name, run] of paths) {
          const got = await outcome(run);
          if (expected === 'invalid') {
            const { error } = got as { error: unknown };
            expect(error, name).toBeInstanceOf(ValidationError);
            expect(error, name).toBeInstanceOf(SochDBError);
            expect((error as ValidationError).code, name).toBe(6000);
          } else {
            expect(got, name).toEqual(ids.filter((_, i) => expected(docs[i]!)).sort());
          }
        }
      }),
      { seed: SEED, numRuns: RUNS },
    );
    // The generator must exercise both outcomes, or the property proves little.
    expect(valid).toBeGreaterThan(RUNS / 5);
    expect(valid).toBeLessThan(RUNS - RUNS / 5);
  });
});
