import { ToonParseError } from '@sochdb/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeToon, encodeToon, fromToon, toToon, type ToonRecord, type ToonValue } from '../src/index.js';

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
      { numRuns: 400 },
    );
  });

  it('round-trips records that mix primitives with nested arrays and objects', () => {
    fc.assert(
      fc.property(fc.array(record(fc.oneof(primitive, nested)), { maxLength: 6 }), (records) => {
        expect(fromToon(toToon('t', records)).records).toEqual(records);
      }),
      { numRuns: 300 },
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
      { numRuns: 200 },
    );
  });

  it('fromToon on arbitrary text either parses or throws ToonParseError, never anything else', () => {
    const almostToon = fc
      .tuple(fc.array(record(primitive), { maxLength: 3 }), fc.nat(), fc.string({ maxLength: 3 }))
      .map(([records, cut, junk]) => {
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
      { numRuns: 1000 },
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
      { numRuns: 300 },
    );
  });
});

/** toEqual treats 0 and -0 alike in some versions; compare the signs of zeros explicitly. */
function signs(r: ToonRecord): Record<string, boolean> {
  return Object.fromEntries(Object.entries(r).filter(([, v]) => v === 0).map(([k, v]) => [k, Object.is(v, -0)]));
}
