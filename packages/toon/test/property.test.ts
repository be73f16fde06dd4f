import { SochDBError, ToonParseError } from '@sochdb/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeToon, encodeToon, fromToon, MAX_TOON_DEPTH, toToon, ValidationError, type ToonRecord, type ToonValue } from '../src/index.js';

// Seeded, so CI runs the same cases every time (change the seed locally to explore).
const SEED = 0x70_0a;

// Full UTF-16, lone surrogates included, so quoting and escaping meet every character.
const text = fc.string({ unit: 'binary', maxLength: 12 });
const tricky = fc.constantFrom('', ' ', 'null', 'true', 'false', 'NaN', '-Infinity', '1', '-0', '1e5', '0.5', ',', ';', '"', '\\', '\n', '{', '[]', 'a,b;c');
const primitive = fc.oneof(
  text,
  tricky,
  fc.double(), // NaN, ±Infinity and -0 included
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
);
// Inside arrays and objects values go through JSON, whose numbers have no -0.
const nested = fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.parse(JSON.stringify(v)) as ToonValue);
const fieldName = fc.oneof(text, tricky, fc.constant('__proto__'));
const record = (value: fc.Arbitrary<ToonValue>) => fc.dictionary(fieldName, value, { maxKeys: 6 });

describe('compact TOON round-trips exactly (property-based)', () => {
  it('fromToon(toToon(x)) equals x for any records of primitives', () => {
    fc.assert(
      fc.property(fc.oneof(text, tricky), fc.array(record(primitive), { maxLength: 8 }), (table, records) => {
        const back = fromToon(toToon(table, records));
        expect(back.table).toBe(table);
        expect(back.records).toEqual(records);
        expect(back.records.map(signs)).toEqual(records.map(signs));
      }),
      { seed: SEED, numRuns: 400 },
    );
  });

  it('round-trips records that mix primitives with nested arrays and objects', () => {
    fc.assert(
      fc.property(fc.array(record(fc.oneof(primitive, nested)), { maxLength: 6 }), (records) => {
        expect(fromToon(toToon('t', records)).records).toEqual(records);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('keeps exactly the chosen fields, in the chosen order', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fieldName, { maxLength: 5 }), fc.array(record(primitive), { maxLength: 5 }), (fields, records) => {
        const back = fromToon(toToon('t', records, fields));
        expect(back.fields).toEqual(fields);
        const projected = records.map((r) => Object.fromEntries(fields.filter((f) => Object.hasOwn(r, f)).map((f) => [f, r[f]])));
        expect(back.records).toEqual(projected);
      }),
      { seed: SEED, numRuns: 200 },
    );
  });

  it('fromToon on arbitrary text either parses or throws ToonParseError, never anything else', () => {
    const almostToon = fc.tuple(fc.array(record(primitive), { maxLength: 3 }), fc.nat(), fc.string({ maxLength: 3 })).map(([records, cut, junk]) => {
      const t = toToon('t', records);
      const at = cut % (t.length + 1);
      return t.slice(0, at) + junk + t.slice(at);
    });
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), almostToon), (input) => {
        try {
          fromToon(input);
        } catch (error) {
          expect(error).toBeInstanceOf(ToonParseError);
          const offset = (error as ToonParseError).offset;
          expect(offset).toBeGreaterThanOrEqual(0);
          expect(offset).toBeLessThanOrEqual(input.length);
        }
      }),
      { seed: SEED, numRuns: 1000 },
    );
  });
});

describe('official TOON', () => {
  it('decodeToon(encodeToon(v)) equals v for JSON values', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 3 }), (v) => {
        const json = JSON.parse(JSON.stringify(v)) as unknown;
        expect(decodeToon(encodeToon(json))).toEqual(json);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });
});

// ── Robustness: anything in, a typed error or a faithful round trip out ──────────────────────

class Point {
  readonly x = 1;
}
/** Values TOON may refuse: non-JSON numbers and types, class instances, an unpaired surrogate. */
const oddLeaf = fc.constantFrom<unknown>(
  undefined,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  -0,
  10n,
  () => 1,
  Symbol('s'),
  new Date(0),
  new Map([['k', 1]]),
  new Set([1]),
  new Point(),
  'lone \ud800 surrogate',
  Object.assign(Object.create(null) as object, { bare: true }),
);
const leaf = fc.oneof({ weight: 8, arbitrary: primitive }, { weight: 1, arbitrary: oddLeaf });
/** A chain of arrays and objects straddling MAX_TOON_DEPTH levels, around `inner`. */
const chainAround = (inner: fc.Arbitrary<unknown>) =>
  fc
    .tuple(fc.integer({ min: MAX_TOON_DEPTH - 2, max: MAX_TOON_DEPTH + 2 }), fc.array(fc.boolean(), { minLength: 1, maxLength: 4 }), inner)
    .map(([levels, kinds, value]) => {
      let out = value;
      for (let i = 0; i < levels; i++) out = kinds[i % kinds.length] ? [out] : { k: out };
      return out;
    });
const chain = chainAround(leaf);
const cycle = fc.constant(null).map(() => {
  const value: Record<string, unknown> = { a: [1] };
  (value.a as unknown[]).push(value);
  return value;
});
const { anyValue } = fc.letrec<{ anyValue: unknown }>((tie) => ({
  anyValue: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { weight: 6, arbitrary: leaf },
    { weight: 3, arbitrary: fc.array(tie('anyValue'), { maxLength: 3 }) },
    { weight: 1, arbitrary: fc.sparseArray(tie('anyValue'), { maxLength: 3 }) },
    { weight: 3, arbitrary: fc.dictionary(fieldName, tie('anyValue'), { maxKeys: 3 }) },
    // Rarer: a chain costs ~10 ms to encode and decode (its text grows with the square of its depth).
    { weight: 1, arbitrary: chain },
    { weight: 1, arbitrary: cycle },
  ),
}));

const isPlain = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v) && [Object.prototype, null].includes(Object.getPrototypeOf(v) as object | null);

/** Whether a nested (inline JSON) value survives JSON: finite numbers, no holes, within the depth limit. */
function jsonSafe(v: unknown, depth: number): boolean {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return true;
  if (typeof v === 'number') return Number.isFinite(v);
  if (Array.isArray(v)) return depth <= MAX_TOON_DEPTH && Array.from({ length: v.length }, (_, i) => i).every((i) => i in v && jsonSafe(v[i], depth + 1));
  if (isPlain(v)) return depth <= MAX_TOON_DEPTH && Object.values(v).every((x) => x === undefined || jsonSafe(x, depth + 1));
  return false;
}
/** Whether a compact TOON cell can hold the value: any primitive, or a JSON-safe array/object. */
const cellOk = (v: unknown) => v === undefined || v === null || ['string', 'number', 'boolean'].includes(typeof v) || jsonSafe(v, 1);
/** What a record reads back as: absent for undefined, primitives exactly, nested values through JSON. */
const readBack = (r: Record<string, unknown>) =>
  Object.fromEntries(
    Object.entries(r)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k, v !== null && typeof v === 'object' ? (JSON.parse(JSON.stringify(v)) as unknown) : v]),
  );

function threw(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('TOON under arbitrary input (property-based, seeded)', () => {
  it('toToon takes any records: a ValidationError exactly when a cell cannot be held, else fromToon reads the records back', () => {
    fc.assert(
      fc.property(fc.array(fc.dictionary(fieldName, anyValue, { maxKeys: 4 }), { maxLength: 4 }), (records) => {
        const holdable = records.every((r) => Object.values(r).every(cellOk));
        let text: string | undefined;
        const error = threw(() => (text = toToon('t', records as ToonRecord[])));
        if (error !== undefined) {
          expect(error).toBeInstanceOf(ValidationError);
          expect(holdable).toBe(false);
          return;
        }
        expect(holdable).toBe(true);
        expect(fromToon(text!).records).toEqual(records.map(readBack));
      }),
      { seed: SEED, numRuns: 500 },
    );
  });

  it('fromToon reads inline JSON up to MAX_TOON_DEPTH levels and refuses deeper with a ToonParseError at the first bracket past it', () => {
    const brackets = fc.array(fc.boolean(), { minLength: MAX_TOON_DEPTH - 3, maxLength: MAX_TOON_DEPTH + 3 });
    fc.assert(
      fc.property(brackets, fc.constantFrom('1', '"]"', '"{[\\\\"', '[]', '{}'), (kinds, inner) => {
        const open = kinds.map((array, i) => (array ? '[' : `{"k${i}":`)).join('');
        const close = [...kinds]
          .reverse()
          .map((array) => (array ? ']' : '}'))
          .join('');
        const prefix = 't[1]{a,b}:1,';
        const text = `${prefix}${open}${inner}${close}`;
        const depth = kinds.length + (inner === '[]' || inner === '{}' ? 1 : 0);
        const error = threw(() => fromToon(text));
        if (depth <= MAX_TOON_DEPTH) {
          expect(error).toBeUndefined();
          expect(fromToon(text).records[0]!.b).toEqual(JSON.parse(open + inner + close));
        } else {
          expect(error).toBeInstanceOf(ToonParseError);
          expect((error as ToonParseError).offset).toBe(
            prefix.length +
              open
                .split(/[[{]/)
                .slice(0, MAX_TOON_DEPTH + 1)
                .join('_').length,
          );
        }
      }),
      { seed: SEED, numRuns: 60 },
    );
  });

  it('encodeToon takes anything: a ValidationError, or text that decodes without error and re-encodes to itself', () => {
    fc.assert(
      fc.property(anyValue, (value) => {
        let text: string | undefined;
        const error = threw(() => (text = encodeToon(value)));
        if (error !== undefined) {
          expect(error).toBeInstanceOf(ValidationError);
          return;
        }
        const back = decodeToon(text!);
        expect(encodeToon(back)).toBe(text);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('decodeToon(encodeToon(v)) equals v for JSON values nested up to the limit', () => {
    const nested = fc
      .tuple(fc.jsonValue({ maxDepth: 3 }), chainAround(fc.jsonValue({ maxDepth: 1 })))
      .map(([v, deep]) => JSON.parse(JSON.stringify({ v, deep })) as unknown);
    fc.assert(
      fc.property(nested, (value) => {
        const error = threw(() => encodeToon(value));
        if (error !== undefined) {
          // Only values past the limit are refused (the chain adds up to MAX_TOON_DEPTH + 3 levels).
          expect(error).toBeInstanceOf(ValidationError);
          expect((error as ValidationError).message).toContain(`more than ${MAX_TOON_DEPTH} levels`);
          return;
        }
        expect(decodeToon(encodeToon(value))).toEqual(value);
      }),
      { seed: SEED, numRuns: 60 },
    );
  });

  it('decodeToon on arbitrary and almost-valid text returns JSON or throws a ToonParseError at a line start, never anything else', () => {
    const token = fc.constantFrom(
      'k',
      'a b',
      ':',
      ': ',
      ' ',
      '- ',
      '-',
      '[',
      ']',
      '[2]',
      '[1|]',
      '{',
      '}',
      '{a,b}',
      ',',
      '|',
      '"',
      '\\',
      '\t',
      '#',
      '1',
      '-0',
      '1e3',
      'true',
      'null',
      'é',
      '\ud800',
    );
    const line = fc
      .tuple(fc.nat({ max: 6 }), fc.boolean(), fc.array(token, { maxLength: 6 }))
      .map(([levels, tab, parts]) => `${tab ? '\t' : ''}${'  '.repeat(levels)}${parts.join('')}`);
    const lines = fc.tuple(fc.array(line, { maxLength: 8 }), fc.constantFrom('\n', '\r\n')).map(([ls, eol]) => ls.join(eol));
    const almost = fc.tuple(fc.jsonValue({ maxDepth: 3 }), fc.nat(), fc.nat({ max: 3 }), fc.array(token, { maxLength: 2 })).map(([v, at, cut, junk]) => {
      const text = encodeToon(JSON.parse(JSON.stringify(v)) as unknown);
      const i = at % (text.length + 1);
      return text.slice(0, i) + junk.join('') + text.slice(i + cut);
    });
    const options = fc.record({ strict: fc.boolean(), indentSize: fc.constantFrom(1, 2, 4) }, { requiredKeys: [] });
    fc.assert(
      fc.property(fc.oneof(lines, almost, fc.string({ unit: 'binary', maxLength: 40 })), options, (text, opts) => {
        let value: unknown;
        const error = threw(() => (value = decodeToon(text, opts)));
        if (error === undefined) {
          // What decodes is JSON that encodes and decodes back to itself.
          expect(decodeToon(encodeToon(value))).toEqual(value);
          return;
        }
        expect(error).toBeInstanceOf(ToonParseError);
        expect(error).toBeInstanceOf(SochDBError);
        const { offset } = error as ToonParseError;
        expect(offset).toBeGreaterThanOrEqual(0);
        expect(offset).toBeLessThanOrEqual(text.length);
        expect(offset === 0 || text[offset - 1] === '\n').toBe(true);
      }),
      { seed: SEED, numRuns: 2000 },
    );
  });
});

/** toEqual treats 0 and -0 alike in some versions; compare the signs of zeros explicitly. */
function signs(r: ToonRecord): Record<string, boolean> {
  return Object.fromEntries(
    Object.entries(r)
      .filter(([, v]) => v === 0)
      .map(([k, v]) => [k, Object.is(v, -0)]),
  );
}
