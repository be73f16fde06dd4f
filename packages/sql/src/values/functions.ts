import { QueryError } from '@sochdb/core';
import { likeMatches, globMatches } from './like.js';
import { MATH_FUNCTIONS } from './functions-math.js';
import { JSON_FUNCTIONS } from './json/functions.js';
import { DATETIME_FUNCTIONS } from './datetime/date-functions.js';
import { MISC_FUNCTIONS } from './functions-misc.js';
import { CONNECTION_FUNCTIONS } from './connection-functions.js';
import type { ScalarFunction, StatementClock } from './scalar-function.js';
import { statementNow } from './datetime/clock.js';
import { compareValues, intOrReal, realToText, toNumeric, toText, typeName, type SqlValue } from './values.js';

const text1 = (f: (s: string) => SqlValue) => (a: readonly SqlValue[]) => {
  const s = toText(a[0] ?? null);
  return s === null ? null : f(s);
};

/** Characters (code points), counted without building an array: `length()` of a 50 MB text is common. */
function codePointCount(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    // A high surrogate followed by a low one is one character.
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

/** Characters, not UTF-16 units, as SQLite counts them. */
function chars(s: string): string[] {
  return Array.from(s);
}

function substr(args: readonly SqlValue[]): SqlValue {
  const [v, startV, lenV] = args;
  if (v === null || v === undefined || startV === null || startV === undefined || lenV === null) return null;
  const isBlob = v instanceof Uint8Array;
  const items: readonly (string | number)[] = isBlob ? Array.from(v) : chars(toText(v)!);
  // SQLite reads both as integers (truncated toward zero).
  let start = Math.trunc(Number(toNumeric(startV)));
  let len = lenV === undefined ? items.length + 1 : Math.trunc(Number(toNumeric(lenV)));
  // SQLite's 1-based start; 0 and negatives count from the end, a negative length takes characters before start.
  if (start < 0) start = items.length + start + 1;
  else if (start === 0) {
    start = 1;
    len -= 1;
  }
  if (len < 0) {
    start += len;
    len = -len;
    if (start < 1) {
      len += start - 1;
      start = 1;
    }
  }
  const from = Math.max(start - 1, 0);
  const slice = items.slice(from, Math.max(from, start - 1 + len));
  return isBlob ? Buffer.from(slice as number[]) : (slice as string[]).join('');
}

function trimWith(mode: 'both' | 'left' | 'right') {
  return (args: readonly SqlValue[]): SqlValue => {
    const s = toText(args[0] ?? null);
    if (s === null) return null;
    const set = args.length > 1 ? toText(args[1]!) : ' ';
    if (set === null) return null;
    const cs = new Set(chars(set));
    const arr = chars(s);
    let a = 0;
    let b = arr.length;
    if (mode !== 'right') while (a < b && cs.has(arr[a]!)) a++;
    if (mode !== 'left') while (b > a && cs.has(arr[b - 1]!)) b--;
    return arr.slice(a, b).join('');
  };
}

function round(args: readonly SqlValue[]): SqlValue {
  const x = toNumeric(args[0] ?? null);
  if (x === null) return null;
  const digitsV = args.length > 1 ? toNumeric(args[1]!) : 0n;
  if (digitsV === null) return null;
  const digits = Math.max(0, Math.min(30, Math.trunc(Number(digitsV))));
  const n = Number(x);
  // A number this large has no fractional digits to round (and scaling it would overflow).
  if (!Number.isFinite(n) || Math.abs(n) >= 4503599627370496) return n;
  const factor = 10 ** digits;
  // Round half away from zero, like SQLite (Math.round rounds half toward +Infinity).
  const r = (Math.sign(n) * Math.round(Math.abs(n) * factor + Number.EPSILON * factor)) / factor;
  return Number(realToText(r));
}

function abs(args: readonly SqlValue[]): SqlValue {
  const v = args[0] ?? null;
  if (v === null) return null;
  // Only an INTEGER stays an integer; text and blobs are read as REAL, as in SQLite.
  const x = typeof v === 'bigint' ? v : Number(toNumeric(v));
  if (typeof x === 'bigint') {
    if (x === -9223372036854775808n) throw new QueryError('integer overflow in abs()');
    return x < 0n ? -x : x;
  }
  return Math.abs(x);
}

export function minMax(sign: 1 | -1, compare: (a: SqlValue, b: SqlValue) => number = compareValues) {
  return (args: readonly SqlValue[]): SqlValue => {
    if (args.some((a) => a === null)) return null;
    let best: SqlValue = args[0]!;
    for (const a of args.slice(1)) if (compare(a, best) * sign > 0) best = a;
    return best;
  };
}

/** nullif(a, b) comparing with `compare`: NULL when they are equal. */
export function nullIf(compare: (a: SqlValue, b: SqlValue) => number = compareValues) {
  return (a: readonly SqlValue[]): SqlValue => (a[1] !== null && a[0] !== null && compare(a[0]!, a[1]!) === 0 ? null : a[0]!);
}

function hex(args: readonly SqlValue[]): SqlValue {
  const v = args[0] ?? null;
  if (v === null) return '';
  const bytes = v instanceof Uint8Array ? v : Buffer.from(toText(v)!, 'utf8');
  return Buffer.from(bytes).toString('hex').toUpperCase();
}

function instr(args: readonly SqlValue[]): SqlValue {
  const [h, n] = args;
  if (h === null || n === null || h === undefined || n === undefined) return null;
  const hay = toText(h)!;
  const idx = hay.indexOf(toText(n)!);
  return BigInt(idx < 0 ? 0 : chars(hay.slice(0, idx)).length + 1);
}

function replace(args: readonly SqlValue[]): SqlValue {
  const [s, from, to] = args.map((a) => toText(a ?? null));
  if (s == null || from == null || to == null) return null;
  return from === '' ? s : s.split(from).join(to);
}

export const SCALAR_FUNCTIONS: ReadonlyMap<string, ScalarFunction> = new Map<string, ScalarFunction>([
  ['abs', { min: 1, max: 1, fn: abs }],
  ['coalesce', { min: 2, max: Infinity, fn: (a) => a.find((v) => v !== null) ?? null }],
  ['ifnull', { min: 2, max: 2, fn: (a) => a.find((v) => v !== null) ?? null }],
  ['nullif', { min: 2, max: 2, fn: nullIf() }],
  // Text counts the characters before the first NUL, as SQLite's length() does.
  [
    'length',
    {
      min: 1,
      max: 1,
      fn: (a) => (a[0] === null ? null : a[0] instanceof Uint8Array ? BigInt(a[0].byteLength) : BigInt(codePointCount(toText(a[0]!)!.split('\0', 1)[0]!))),
    },
  ],
  ['lower', { min: 1, max: 1, fn: text1((s) => s.replace(/[A-Z]/g, (c) => c.toLowerCase())) }],
  ['upper', { min: 1, max: 1, fn: text1((s) => s.replace(/[a-z]/g, (c) => c.toUpperCase())) }],
  ['substr', { min: 2, max: 3, fn: substr }],
  ['substring', { min: 2, max: 3, fn: substr }],
  ['trim', { min: 1, max: 2, fn: trimWith('both') }],
  ['ltrim', { min: 1, max: 2, fn: trimWith('left') }],
  ['rtrim', { min: 1, max: 2, fn: trimWith('right') }],
  ['round', { min: 1, max: 2, fn: round }],
  ['typeof', { min: 1, max: 1, fn: (a) => typeName(a[0]!) }],
  ['min', { min: 2, max: Infinity, fn: minMax(-1) }],
  ['max', { min: 2, max: Infinity, fn: minMax(1) }],
  ['hex', { min: 1, max: 1, fn: hex }],
  ['instr', { min: 2, max: 2, fn: instr }],
  ['replace', { min: 3, max: 3, fn: replace }],
  ['random', { min: 0, max: 0, fn: () => intOrReal(BigInt(Math.floor((Math.random() - 0.5) * 2 ** 53))) }],
  [
    'like',
    {
      min: 2,
      max: 3,
      fn: (a) => (a[0] === null || a[1] === null ? null : likeMatches(toText(a[1]!)!, toText(a[0]!)!, a[2] == null ? undefined : toText(a[2])!) ? 1n : 0n),
    },
  ],
  ['glob', { min: 2, max: 2, fn: (a) => (a[0] === null || a[1] === null ? null : globMatches(toText(a[1]!)!, toText(a[0]!)!) ? 1n : 0n) }],
  [
    'iif',
    {
      min: 3,
      max: 3,
      fn: (a) => {
        const c = toNumeric(a[0]!);
        return c !== null && c != 0 ? a[1]! : a[2]!;
      },
    },
  ],
  // A code point that is not a Unicode scalar value becomes U+FFFD, as in SQLite.
  [
    'char',
    {
      min: 0,
      max: Infinity,
      fn: (a) =>
        String.fromCodePoint(
          ...a.map((v) => {
            const c = Math.trunc(Number(toNumeric(v) ?? 0));
            return c < 0 || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff) ? 0xfffd : c;
          }),
        ),
    },
  ],
  ['unicode', { min: 1, max: 1, fn: text1((s) => (s.length === 0 ? null : BigInt(s.codePointAt(0)!))) }],
  ['quote', { min: 1, max: 1, fn: (a) => quote(a[0]!) }],
  ...MATH_FUNCTIONS,
  ...JSON_FUNCTIONS,
  ...DATETIME_FUNCTIONS,
  ...MISC_FUNCTIONS,
  ...CONNECTION_FUNCTIONS,
]);

function quote(v: SqlValue): string {
  if (v === null) return 'NULL';
  if (typeof v === 'string') return `'${v.replace(/'/g, "''")}'`;
  if (v instanceof Uint8Array) return `X'${Buffer.from(v).toString('hex').toUpperCase()}'`;
  return toText(v)!;
}

/** The current time in SQLite's formats, for CURRENT_TIMESTAMP / CURRENT_DATE / CURRENT_TIME. */
export function currentTime(kind: string, clock: StatementClock): string {
  const iso = new Date(statementNow(clock)).toISOString();
  if (kind === 'CURRENT_DATE') return iso.slice(0, 10);
  if (kind === 'CURRENT_TIME') return iso.slice(11, 19);
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
}
