import { ToonParseError, ValidationError } from '@sochdb/core';
import { encode } from '@toon-format/toon';
import { describe, expect, it } from 'vitest';
import { decodeToon, encodeToon, fromToon, MAX_TOON_DEPTH, toToon, type ToonValue } from '../src/index.js';

// Values nested deeper than MAX_TOON_DEPTH (or cyclic) give a typed error in every direction,
// checked without recursing past the limit; values up to it round-trip.

/** `levels` arrays, one inside the other, around 'leaf'. */
function arrays(levels: number): ToonValue {
  let value: ToonValue = 'leaf';
  for (let i = 0; i < levels; i++) value = [value];
  return value;
}

/** `levels` objects, one inside the other, around 'leaf'. */
function objects(levels: number): ToonValue {
  let value: ToonValue = 'leaf';
  for (let i = 0; i < levels; i++) value = { k: value };
  return value;
}

function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw');
}

const cyclic = (): ToonValue => {
  const value: Record<string, unknown> = { a: 1 };
  value.self = value;
  return value as ToonValue;
};

describe(`compact TOON nesting (at most ${MAX_TOON_DEPTH} levels)`, () => {
  it('round-trips cells nested exactly to the limit', () => {
    expect(MAX_TOON_DEPTH).toBe(256);
    const records = [{ a: arrays(MAX_TOON_DEPTH), o: objects(MAX_TOON_DEPTH) }];
    expect(fromToon(toToon('t', records)).records).toEqual(records);
  });

  it('toToon refuses deeper or cyclic cells with a ValidationError naming the cell', () => {
    for (const value of [arrays(MAX_TOON_DEPTH + 1), objects(MAX_TOON_DEPTH + 1), arrays(100_000), objects(100_000), cyclic()]) {
      const error = thrown(() => toToon('t', [{ id: 1 }, { id: 2, deep: value }]));
      expect(error).toBeInstanceOf(ValidationError);
      expect(error).toMatchObject({
        code: 6000,
        field: expect.stringMatching(/^records\[1\]\.deep/),
        message: expect.stringContaining(`more than ${MAX_TOON_DEPTH} levels`),
      });
    }
  });

  it('fromToon refuses inline JSON nested deeper, at the offset of the first bracket past the limit', () => {
    for (const depth of [MAX_TOON_DEPTH + 1, 100_000]) {
      const text = `t[1]{id,deep}:1,${'['.repeat(depth)}${']'.repeat(depth)}`;
      const error = thrown(() => fromToon(text));
      expect(error).toBeInstanceOf(ToonParseError);
      expect(error).toMatchObject({
        code: 6002,
        offset: 't[1]{id,deep}:1,'.length + MAX_TOON_DEPTH,
        message: expect.stringContaining(`more than ${MAX_TOON_DEPTH} levels`),
      });
    }
    // Brackets inside strings are text, not nesting.
    const brackets = '['.repeat(1000);
    expect(fromToon(`t[1]{s}:["${brackets}"]`).records).toEqual([{ s: [brackets] }]);
  });
});

describe(`official TOON nesting (at most ${MAX_TOON_DEPTH} levels)`, () => {
  it('round-trips values nested exactly to the limit', () => {
    let mixed: ToonValue = { leaf: true };
    for (let i = 1; i < MAX_TOON_DEPTH; i++) mixed = i % 2 === 1 ? [mixed, 1] : { k: mixed, n: i };
    for (const value of [objects(MAX_TOON_DEPTH), { list: arrays(MAX_TOON_DEPTH - 1) }, mixed]) {
      expect(decodeToon(encodeToon(value))).toEqual(value);
    }
  });

  it('encodeToon refuses deeper or cyclic values with a ValidationError', () => {
    for (const value of [
      objects(MAX_TOON_DEPTH + 1),
      arrays(MAX_TOON_DEPTH + 1),
      objects(100_000),
      arrays(100_000),
      cyclic(),
      new Map([['m', objects(MAX_TOON_DEPTH)]]),
    ]) {
      const error = thrown(() => encodeToon(value));
      expect(error).toBeInstanceOf(ValidationError);
      expect(error).toMatchObject({ code: 6000, message: expect.stringContaining(`more than ${MAX_TOON_DEPTH} levels`) });
    }
  });

  it('encodeToon turns what the reference encoder throws into a ValidationError', () => {
    expect(thrown(() => encodeToon({ s: 'lone \ud800 surrogate' }))).toMatchObject({ code: 6000, message: expect.stringContaining('unpaired surrogate') });
    expect(thrown(() => encodeToon({ a: [1] }, { delimiter: 'x' as never }))).toBeInstanceOf(ValidationError);
  });

  it('decodeToon refuses text indented past the limit at the offset of the first such line, without overflowing the stack', () => {
    // 3,000 levels overflow the reference decoder's stack.
    for (const levels of [MAX_TOON_DEPTH + 1, 3_000]) {
      let text = '';
      for (let i = 0; i < levels; i++) text += `${' '.repeat(2 * i)}k:\n`;
      text += `${' '.repeat(2 * levels)}k: leaf`;
      const error = thrown(() => decodeToon(text));
      expect(error).toBeInstanceOf(ToonParseError);
      const { offset, message } = error as ToonParseError;
      expect(message).toContain(`more than ${MAX_TOON_DEPTH} levels`);
      // A line indented L levels lies inside at least L objects or arrays: the first line
      // indented more than MAX_TOON_DEPTH levels is past the limit.
      expect(offset).toBe(text.indexOf(`\n${' '.repeat(2 * (MAX_TOON_DEPTH + 1))}k`) + 1);
    }
  });

  it('decodeToon refuses raw unpaired surrogates as it does escaped ones, at the start of their line', () => {
    expect(thrown(() => decodeToon('a: ok\nb: x\ud800y'))).toMatchObject({ code: 6002, offset: 6 });
    expect(thrown(() => decodeToon('a: "\\ud800"'))).toBeInstanceOf(ToonParseError);
    expect(decodeToon('a: \ud83d\ude00')).toEqual({ a: '\ud83d\ude00' });
  });

  it('decodeToon refuses table headers whose field groups nest past the limit, however deep', () => {
    for (const levels of [MAX_TOON_DEPTH, 3_000, 100_000]) {
      // `levels` groups inside the field list: values nested levels + 3 deep on a line at levels + 1.
      const text = `x: 1\nt[1]{${'a{'.repeat(levels)}b${'}'.repeat(levels)}}:\n  1`;
      const error = thrown(() => decodeToon(text));
      expect(error).toBeInstanceOf(ToonParseError);
      expect(error).toMatchObject({ code: 6002, offset: 5, message: expect.stringContaining(`more than ${MAX_TOON_DEPTH} levels`) });
    }
    expect(decodeToon('t[1]{a{b}}:\n  1')).toEqual({ t: [{ a: { b: 1 } }] });
  });

  it('decodeToon refuses documents that decode to values nested deeper than the limit though indented less', () => {
    // `- z[1]: 1` opens an object and an array on the list item's own line: 257 levels of
    // values on lines indented at most 254 levels.
    let value: unknown = { e: [0, { z: [1] }] };
    for (let i = 0; i < MAX_TOON_DEPTH - 3; i++) value = { k: value };
    const text = encode(value);
    expect(Math.max(...text.split('\n').map((line) => line.length - line.trimStart().length)) / 2).toBeLessThan(MAX_TOON_DEPTH);
    const error = thrown(() => decodeToon(text));
    expect(error).toBeInstanceOf(ToonParseError);
    expect(error).toMatchObject({ code: 6002, offset: 0, message: expect.stringContaining(`decodes to values nested more than ${MAX_TOON_DEPTH} levels`) });
  });
});
