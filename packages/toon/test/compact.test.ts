import { SochDBError, ToonParseError, ValidationError } from '@sochdb/core';
import { describe, expect, it } from 'vitest';
import { fromToon, toToon, type ToonRecord } from '../src/index.js';

const users = [
  { id: 1, name: 'Alice', email: 'alice@example.com' },
  { id: 2, name: 'Bob', email: 'bob@example.com' },
];

describe('toToon / fromToon (compact form)', () => {
  it('writes the seed guide example byte for byte and reads it back', () => {
    const text = toToon('users', users, ['name', 'email']);
    expect(text).toBe('users[2]{name,email}:Alice,alice@example.com;Bob,bob@example.com');
    expect(fromToon(text)).toEqual({
      table: 'users',
      fields: ['name', 'email'],
      records: [
        { name: 'Alice', email: 'alice@example.com' },
        { name: 'Bob', email: 'bob@example.com' },
      ],
    });
  });

  it('uses every field in order of first appearance when no fields are given', () => {
    expect(toToon('t', [{ a: 1 }, { b: 2, a: 3 }])).toBe('t[2]{a,b}:1,;3,2');
  });

  it('reads values back with their types', () => {
    const text = toToon('t', [{ n: 999, f: -1.5e-7, t: true, no: false, nil: null, s: 'Laptop' }]);
    expect(text).toBe('t[1]{n,f,t,no,nil,s}:999,-1.5e-7,true,false,null,Laptop');
    expect(fromToon(text).records).toEqual([{ n: 999, f: -1.5e-7, t: true, no: false, nil: null, s: 'Laptop' }]);
  });

  it('quotes strings that hold delimiters, quotes, backslashes or line breaks, and unescapes them', () => {
    const record = { a: 'x,y', b: 'x;y', c: 'say "hi"', d: 'C:\\dir', e: 'two\nlines', f: 'tab\there' };
    const text = toToon('t', [record]);
    expect(text).toBe('t[1]{a,b,c,d,e,f}:"x,y","x;y","say \\"hi\\"","C:\\\\dir","two\\nlines","tab\\there"');
    expect(fromToon(text).records).toEqual([record]);
  });

  it('quotes strings that would read back as another type', () => {
    const record = { num: '42', neg: '-0', exp: '1e5', t: 'true', nil: 'null', nan: 'NaN', empty: '', obj: '{x}', arr: '[1]', sp: ' pad ' };
    const text = toToon('t', [record]);
    expect(text).toBe('t[1]{num,neg,exp,t,nil,nan,empty,obj,arr,sp}:"42","-0","1e5","true","null","NaN","","{x}","[1]"," pad "');
    expect(fromToon(text).records).toEqual([record]);
  });

  it('leaves number-looking strings bare when they cannot read back as a number', () => {
    expect(toToon('t', [{ zip: '01234', plus: '+1', dot: '.5' }])).toBe('t[1]{zip,plus,dot}:01234,+1,.5');
  });

  it('keeps -0, NaN and the infinities exact', () => {
    const record = { z: -0, nan: Number.NaN, inf: Infinity, ninf: -Infinity };
    const back = fromToon(toToon('t', [record])).records[0]!;
    expect(Object.is(back.z, -0)).toBe(true);
    expect(back).toEqual(record);
  });

  it('tells a missing field (empty cell) from null and from an empty string', () => {
    const text = toToon('t', [{ a: null, b: '' }, {}], ['a', 'b']);
    expect(text).toBe('t[2]{a,b}:null,"";,');
    const { records } = fromToon(text);
    expect(records).toEqual([{ a: null, b: '' }, {}]);
    expect(Object.hasOwn(records[1]!, 'a')).toBe(false);
  });

  it('writes nested arrays and objects as inline JSON and reads them back', () => {
    const record = { tags: ['a', 'b,c'], meta: { score: 0.5, ok: true, deep: [{ x: null }] }, empty: [] };
    const text = toToon('docs', [record]);
    expect(text).toBe('docs[1]{tags,meta,empty}:["a","b,c"],{"score":0.5,"ok":true,"deep":[{"x":null}]},[]');
    expect(fromToon(text).records).toEqual([record]);
  });

  it('quotes table and field names that hold structural characters', () => {
    const text = toToon('my table[1]', [{ 'a,b': 1, 'c:d': 2, '': 3 }]);
    expect(text).toBe('"my table[1]"[1]{"a,b","c:d",""}:1,2,3');
    expect(fromToon(text)).toEqual({ table: 'my table[1]', fields: ['a,b', 'c:d', ''], records: [{ 'a,b': 1, 'c:d': 2, '': 3 }] });
  });

  it('handles empty tables, tables without fields, and a field named __proto__', () => {
    expect(fromToon(toToon('t', []))).toEqual({ table: 't', fields: [], records: [] });
    expect(toToon('t', [{}, {}])).toBe('t[2]{}:;');
    expect(fromToon('t[2]{}:;').records).toEqual([{}, {}]);
    const proto = JSON.parse('{"__proto__":"x"}') as ToonRecord;
    const back = fromToon(toToon('t', [proto])).records[0]!;
    expect(Object.hasOwn(back, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
  });

  it('accepts one trailing line break, as a file would have', () => {
    expect(fromToon('t[1]{a}:x\n').records).toEqual([{ a: 'x' }]);
  });
});

describe('toToon refuses what it cannot represent', () => {
  const refuse = (fn: () => unknown, field: string) => {
    try {
      fn();
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).code).toBe(6000);
      expect((error as ValidationError).field).toBe(field);
      return;
    }
    throw new Error('expected a ValidationError');
  };
  it.each([
    ['a bigint', () => toToon('t', [{ a: 1n } as unknown as ToonRecord]), 'records[0].a'],
    ['a Date', () => toToon('t', [{ a: new Date() } as unknown as ToonRecord]), 'records[0].a'],
    ['NaN inside an array', () => toToon('t', [{ a: [Number.NaN] }]), 'records[0].a[0]'],
    ['undefined inside an array', () => toToon('t', [{ a: [undefined] } as unknown as ToonRecord]), 'records[0].a[0]'],
    ['a record that is not an object', () => toToon('t', [1 as unknown as ToonRecord]), 'records[0]'],
    ['records that are not an array', () => toToon('t', 'x' as unknown as ToonRecord[]), 'records'],
    ['a repeated field', () => toToon('t', [], ['a', 'a']), 'fields[1]'],
    ['a table name that is not a string', () => toToon(1 as unknown as string, []), 'table'],
  ])('%s', (_name, fn, field) => refuse(fn, field));
});

describe('fromToon rejects malformed text with the offset of the problem', () => {
  it.each([
    ['missing table name', '[1]{a}:1', 0],
    ['no header at all', 'hello', 5],
    ['bad count', 'users[x]{a}:1', 6],
    ['count with a leading zero', 'users[01]{a}:1', 6],
    ['unclosed field list', 'users[1]{a', 10],
    ['missing colon', 'users[1]{a}1', 11],
    ['too few rows', 'users[3]{a}:1;2', 15],
    ['too many rows', 'users[1]{a}:1;2', 13],
    ['too few cells', 'users[1]{a,b}:1', 15],
    ['too many cells', 'users[1]{a}:1,2', 13],
    ['unterminated quote', 'users[1]{a}:"abc', 12],
    ['text after a closing quote', 'users[1]{a}:"abc"d', 17],
    ['a quote inside a bare value', 'users[1]{a}:ab"c', 14],
    ['a backslash inside a bare value', 'users[1]{a}:a\\b', 13],
    ['a bad escape', 'users[1]{a}:"\\q"', 12],
    ['malformed inline JSON', 'users[1]{a}:{"x":}', 12],
    ['unterminated inline JSON', 'users[1]{a}:[1,2', 12],
    ['duplicate field', 'users[1]{a,a}:1,2', 11],
    ['a line break inside a bare value', 'users[2]{a}:x\ny;z', 13],
  ])('%s', (_name, text, offset) => {
    let caught: unknown;
    try {
      fromToon(text);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ToonParseError);
    expect(caught).toBeInstanceOf(ValidationError);
    expect((caught as ToonParseError).code).toBe(6002);
    expect((caught as ToonParseError).offset).toBe(offset);
  });

  it('refuses holes in records and fields instead of writing an empty row or an unnamed column', () => {
    expect(() => toToon('t', [{ a: 1 }, , { a: 2 }] as unknown as ToonRecord[])).toThrow(expect.objectContaining({ code: 6000, field: 'records[1]' }));
    expect(() => toToon('t', [{ a: 1 }], ['a', , 'b'] as unknown as string[])).toThrow(expect.objectContaining({ code: 6000, field: 'fields[1]' }));
  });

  it('rejects text that is not a string', () => {
    expect(() => fromToon(42 as unknown as string)).toThrow(ValidationError);
  });

  it('keeps SochDBError as the base class', () => {
    expect(() => fromToon('')).toThrow(SochDBError);
  });
});
