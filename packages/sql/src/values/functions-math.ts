import { randomBytes } from 'node:crypto';
import { QueryError } from '@sochdb/core';
import { real, textToNumber, toText, type SqlValue } from './values.js';
import type { ScalarFunction } from './scalar-function.js';

// SQLite's math functions (built with SQLITE_ENABLE_MATH_FUNCTIONS, as better-sqlite3 and the
// CLI are) and its small blob/text helpers. An argument must be a number or text that is
// wholly a number (SQLite's numeric type of the value); anything else gives NULL. A NaN result
// (sqrt(-1)) is NULL; an infinite one (pow(0, -1)) is a REAL, as in SQLite.

const num = (v: SqlValue | undefined): number | null => {
  if (typeof v === 'bigint' || typeof v === 'number') return Number(v);
  if (typeof v !== 'string') return null;
  const n = textToNumber(v, false);
  return n === undefined ? null : Number(n);
};

const finite = (x: number): number | null => real(x);

/** The logarithms: SQLite answers NULL for a non-positive argument rather than -Inf or NaN. */
const positive = (f: (x: number) => number) => (x: number) => (x > 0 ? f(x) : NaN);

function unary(f: (x: number) => number): ScalarFunction {
  return {
    min: 1,
    max: 1,
    fn: (a) => {
      const x = num(a[0]);
      return x === null ? null : finite(f(x));
    },
  };
}

function binary(f: (x: number, y: number) => number): ScalarFunction {
  return {
    min: 2,
    max: 2,
    fn: (a) => {
      const x = num(a[0]);
      const y = num(a[1]);
      return x === null || y === null ? null : finite(f(x, y));
    },
  };
}

/** floor / ceil / trunc: an INTEGER stays the same INTEGER; anything else becomes a REAL. */
function rounding(f: (x: number) => number): ScalarFunction {
  return {
    min: 1,
    max: 1,
    fn: (a) => {
      const v = a[0] ?? null;
      if (typeof v === 'bigint') return v;
      const x = num(v);
      if (x === null) return null;
      // Integral text ('5') converts to an INTEGER first, and stays one.
      if (typeof v === 'string') {
        const n = textToNumber(v, false);
        if (typeof n === 'bigint') return n;
      }
      return finite(f(x));
    },
  };
}

const log: ScalarFunction = {
  min: 1,
  max: 2,
  fn: (a) => {
    // log(x) is base 10; log(b, x) is base b.
    const xs = a.map(num);
    if (xs.some((x) => x === null || x <= 0)) return null;
    if (a.length === 1) return finite(Math.log10(xs[0]!));
    // SQLite divides by ln(base) only when that is positive: a base of 1 or less gives NULL.
    const lnBase = Math.log(xs[0]!);
    return lnBase <= 0 ? null : finite(Math.log(xs[1]!) / lnBase);
  },
};

/** The largest blob zeroblob / randomblob make: SQLite's default SQLITE_MAX_LENGTH. */
const MAX_BLOB = 1_000_000_000;

function blobSize(v: SqlValue | undefined, name: string): number {
  const n = Math.trunc(num(v) ?? 0);
  if (n > MAX_BLOB) throw new QueryError(`string or blob too big: ${name}(${n})`, { remediation: `Ask for at most ${MAX_BLOB} bytes.` });
  return n;
}

function unhex(a: readonly SqlValue[]): SqlValue {
  const text = toText(a[0] ?? null);
  if (text === null) return null;
  const ignore = a.length > 1 ? toText(a[1] ?? null) : '';
  if (ignore === null) return null;
  let hex = '';
  for (const c of text) {
    if (/[0-9a-fA-F]/.test(c)) hex += c;
    else if (!ignore.includes(c)) return null;
  }
  // Digits must come in pairs (SQLite refuses an odd one even among ignored characters).
  return hex.length % 2 === 0 ? Buffer.from(hex, 'hex') : null;
}

export const MATH_FUNCTIONS: readonly (readonly [string, ScalarFunction])[] = [
  ['pi', { min: 0, max: 0, fn: () => Math.PI }],
  [
    'sign',
    {
      min: 1,
      max: 1,
      fn: (a) => {
        const x = num(a[0]);
        return x === null || Number.isNaN(x) ? null : BigInt(Math.sign(x));
      },
    },
  ],
  ['pow', binary(Math.pow)],
  ['power', binary(Math.pow)],
  ['sqrt', unary(Math.sqrt)],
  ['exp', unary(Math.exp)],
  ['ln', unary(positive(Math.log))],
  ['log', log],
  ['log10', unary(positive(Math.log10))],
  ['log2', unary(positive(Math.log2))],
  ['floor', rounding(Math.floor)],
  ['ceil', rounding(Math.ceil)],
  ['ceiling', rounding(Math.ceil)],
  ['trunc', rounding(Math.trunc)],
  ['mod', binary((x, y) => x % y)],
  ['sin', unary(Math.sin)],
  ['cos', unary(Math.cos)],
  ['tan', unary(Math.tan)],
  ['asin', unary(Math.asin)],
  ['acos', unary(Math.acos)],
  ['atan', unary(Math.atan)],
  ['atan2', binary(Math.atan2)],
  ['sinh', unary(Math.sinh)],
  ['cosh', unary(Math.cosh)],
  ['tanh', unary(Math.tanh)],
  ['asinh', unary(Math.asinh)],
  ['acosh', unary(Math.acosh)],
  ['atanh', unary(Math.atanh)],
  ['degrees', unary((x) => (x * 180) / Math.PI)],
  ['radians', unary((x) => (x * Math.PI) / 180)],
  ['unhex', { min: 1, max: 2, fn: unhex }],
  ['zeroblob', { min: 1, max: 1, fn: (a) => Buffer.alloc(Math.max(0, blobSize(a[0], 'zeroblob'))) }],
  ['randomblob', { min: 1, max: 1, fn: (a) => randomBytes(Math.max(1, blobSize(a[0], 'randomblob'))) }],
  // Planner hints in SQLite; the value passes through.
  ['likely', { min: 1, max: 1, fn: (a) => a[0] ?? null }],
  ['unlikely', { min: 1, max: 1, fn: (a) => a[0] ?? null }],
  [
    'likelihood',
    {
      min: 2,
      max: 2,
      fn: (a) => {
        // SQLite wants a REAL literal there (0 or 1 written as integers are refused too).
        const p = a[1] ?? null;
        if (typeof p !== 'number' || p < 0 || p > 1) throw new QueryError('second argument to likelihood() must be a constant between 0.0 and 1.0');
        return a[0] ?? null;
      },
    },
  ],
  ['concat', { min: 1, max: Infinity, fn: (a) => a.map((v) => toText(v) ?? '').join('') }],
  [
    'concat_ws',
    {
      min: 2,
      max: Infinity,
      fn: (a) => {
        const sep = toText(a[0] ?? null);
        return sep === null
          ? null
          : a
              .slice(1)
              .flatMap((v) => (v === null ? [] : [toText(v)!]))
              .join(sep);
      },
    },
  ],
  [
    'octet_length',
    {
      min: 1,
      max: 1,
      fn: (a) => {
        const v = a[0] ?? null;
        return v === null ? null : BigInt(v instanceof Uint8Array ? v.byteLength : Buffer.byteLength(toText(v)!, 'utf8'));
      },
    },
  ],
];
