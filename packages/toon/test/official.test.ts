import { ToonParseError, ValidationError } from '@sochdb/core';
import { describe, expect, it } from 'vitest';
import { decodeToon, encodeToon } from '../src/index.js';

describe('encodeToon / decodeToon (official TOON, spec v4)', () => {
  it('writes uniform arrays of objects as an indented table and reads them back', () => {
    const data = {
      users: [
        { id: 1, name: 'Alice' },
        { id: 2, name: 'Bob, Jr.' },
      ],
    };
    const text = encodeToon(data);
    expect(text).toBe('users[2]{id,name}:\n  1,Alice\n  2,"Bob, Jr."');
    expect(decodeToon(text)).toEqual(data);
  });

  it('writes nested objects with indentation', () => {
    const data = { db: { name: 'sochdb', tags: ['fast', 'embedded'], ok: true } };
    expect(encodeToon(data)).toBe('db:\n  name: sochdb\n  tags[2]: fast,embedded\n  ok: true');
    expect(decodeToon(encodeToon(data))).toEqual(data);
  });

  it('passes encode options through', () => {
    expect(encodeToon({ a: [1, 2] }, { delimiter: '|' })).toBe('a[2|]: 1|2');
  });

  it('turns a malformed document into ToonParseError with the offset of the bad line', () => {
    const text = 'users[3]{id}:\n  1\n  2';
    let caught: unknown;
    try {
      decodeToon(text);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ToonParseError);
    expect(caught).toMatchObject({ code: 6002 });
    const offset = (caught as ToonParseError).offset;
    expect(offset).toBeGreaterThan(0);
    expect(text[offset - 1]).toBe('\n');
  });

  it('rejects bad indentation and non-string input', () => {
    expect(() => decodeToon('a:\n   b: 1')).toThrow(ToonParseError);
    expect(() => decodeToon(5 as unknown as string)).toThrow(ValidationError);
  });
});
