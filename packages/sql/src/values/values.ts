/**
 * SQL values and SQLite's type rules. A value is one of SQLite's five storage classes:
 * NULL → `null`, INTEGER → `bigint`, REAL → `number`, TEXT → `string`, BLOB → `Uint8Array`.
 * INTEGER and REAL are kept apart (bigint vs number) because SQLite's results depend on it:
 * `5 / 2` is 2 but `5.0 / 2` is 2.5, and `typeof(1.0)` is 'real'.
 */
import { ValidationError } from '@sochdb/core';

export type SqlValue = null | bigint | number | string | Uint8Array;

/** Column affinity, derived from the declared type as SQLite does (section 3.1 of its datatype page). */
export type Affinity = 'INTEGER' | 'REAL' | 'NUMERIC' | 'TEXT' | 'BLOB';

const MAX_INT64 = 9223372036854775807n;
const MIN_INT64 = -9223372036854775808n;

export function affinityOf(declaredType: string): Affinity {
  const t = declaredType.toUpperCase();
  if (t.includes('INT')) return 'INTEGER';
  if (t.includes('CHAR') || t.includes('CLOB') || t.includes('TEXT')) return 'TEXT';
  if (t.includes('BLOB') || t === '') return 'BLOB';
  if (t.includes('REAL') || t.includes('FLOA') || t.includes('DOUB')) return 'REAL';
  return 'NUMERIC';
}

export function isNumericAffinity(a: Affinity | undefined): boolean {
  return a === 'INTEGER' || a === 'REAL' || a === 'NUMERIC';
}

/** SQLite's sort order of storage classes: NULL < numbers < text < blob. */
function classRank(v: SqlValue): number {
  if (v === null) return 0;
  const t = typeof v;
  if (t === 'bigint' || t === 'number') return 1;
  if (t === 'string') return 2;
  return 3;
}

/** Total order used by ORDER BY, MIN/MAX, DISTINCT and index keys (binary collation). */
export function compareValues(a: SqlValue, b: SqlValue): number {
  const ra = classRank(a);
  const rb = classRank(b);
  if (ra !== rb) return ra - rb;
  if (ra === 1) return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
  if (ra === 2) return (a as string) < (b as string) ? -1 : (a as string) > (b as string) ? 1 : 0;
  if (ra === 3) return Buffer.compare(a as Uint8Array, b as Uint8Array);
  return 0;
}

const NUMBER_TEXT = /^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$/;
const INTEGER_TEXT = /^\s*[+-]?\d+\s*$/;

/** Text that looks like a number becomes one (integer when exact), as numeric affinity does. */
export function textToNumber(text: string, preferReal: boolean): bigint | number | undefined {
  if (!NUMBER_TEXT.test(text)) return undefined;
  if (!preferReal && INTEGER_TEXT.test(text)) {
    const n = BigInt(text.trim());
    if (n >= MIN_INT64 && n <= MAX_INT64) return n;
  }
  const r = Number(text);
  if (!preferReal && Number.isInteger(r) && Math.abs(r) <= Number.MAX_SAFE_INTEGER) return BigInt(r);
  return r;
}

/** Converts a value as storing it in a column of the given affinity does. */
export function applyAffinity(v: SqlValue, affinity: Affinity): SqlValue {
  if (v === null) return v;
  switch (affinity) {
    case 'TEXT':
      return typeof v === 'bigint' || typeof v === 'number' ? toText(v) : v;
    case 'BLOB':
      return v;
    case 'REAL':
      if (typeof v === 'bigint') return Number(v);
      if (typeof v === 'string') return textToNumber(v, true) ?? v;
      return v;
    default:
      if (typeof v === 'string') return textToNumber(v, false) ?? v;
      if (typeof v === 'number' && Number.isInteger(v) && Math.abs(v) <= Number.MAX_SAFE_INTEGER) return BigInt(v);
      return v;
  }
}

/**
 * Formats a REAL as SQLite does: 15 significant digits when that reads back exactly, else 17,
 * in `%g` style (`1.0`, `0.1`, `1.0e+20`, `3.3333333333333335`).
 */
export function realToText(r: number): string {
  if (!Number.isFinite(r)) return r > 0 ? 'Inf' : r < 0 ? '-Inf' : '';
  if (r === 0) return '0.0';
  let digits = 15;
  if (Number(r.toPrecision(15)) !== r) digits = 17;
  const [mantissa, expText] = r.toExponential(digits - 1).split('e') as [string, string];
  const exp = Number(expText);
  const trim = (s: string) => (s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '.0') : `${s}.0`);
  // SQLite switches to an exponent only from 1e17 up (and below 1e-4).
  if (exp < -4 || exp >= 17) return `${trim(mantissa)}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  return trim(r.toFixed(Math.max(0, digits - 1 - exp)));
}

export function toText(v: SqlValue): string | null {
  if (v === null) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') return realToText(v);
  return Buffer.from(v).toString('utf8');
}

/** The numeric value used by arithmetic: text and blobs read their longest numeric prefix, else 0. */
export function toNumeric(v: SqlValue): bigint | number | null {
  if (v === null) return null;
  if (typeof v === 'bigint' || typeof v === 'number') return v;
  const text = typeof v === 'string' ? v : Buffer.from(v).toString('utf8');
  const m = /^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?/.exec(text);
  if (!m) return 0n;
  // In arithmetic, '2.0' stays REAL (only column affinity turns it into INTEGER 2).
  if (/[.eE]/.test(m[0])) return Number(m[0]);
  return textToNumber(m[0], false) ?? 0n;
}

/** Three-valued truth: NULL is unknown, numbers are true when non-zero. */
export function truth(v: SqlValue): boolean | null {
  if (v === null) return null;
  if (typeof v === 'bigint') return v !== 0n;
  if (typeof v === 'number') return v !== 0;
  const n = toNumeric(v);
  return n !== null && n != 0;
}

/** Wraps an int64 result, or falls back to REAL on overflow as SQLite does for + - *. */
export function intOrReal(n: bigint): bigint | number {
  return n > MAX_INT64 || n < MIN_INT64 ? Number(n) : n;
}

/** A REAL result: NaN (e.g. Inf - Inf) becomes NULL, as SQLite has no NaN. */
export function real(n: number): number | null {
  return Number.isNaN(n) ? null : n;
}

export function typeName(v: SqlValue): 'null' | 'integer' | 'real' | 'text' | 'blob' {
  if (v === null) return 'null';
  if (typeof v === 'bigint') return 'integer';
  if (typeof v === 'number') return 'real';
  if (typeof v === 'string') return 'text';
  return 'blob';
}

/** A canonical string per distinct value (2 and 2.0 are the same), for DISTINCT, GROUP BY and hash joins. */
export function valueKey(v: SqlValue): string {
  if (v === null) return 'n';
  if (typeof v === 'bigint') return `#${v}`;
  if (typeof v === 'number') return Number.isInteger(v) && Math.abs(v) < 2 ** 63 ? `#${BigInt(v)}` : `#${v}`;
  if (typeof v === 'string') return `s${v}`;
  return `b${Buffer.from(v).toString('hex')}`;
}

export function rowKey(values: readonly SqlValue[]): string {
  let s = '';
  for (const v of values) s += `${valueKey(v)}\u0000`;
  return s;
}

/** What a user gets back: integers as numbers when exact (bigint beyond 2^53), blobs as Buffers. */
export type OutputValue = null | number | bigint | string | Buffer;

export function toOutput(v: SqlValue): OutputValue {
  if (typeof v === 'bigint') return v >= -9007199254740991n && v <= 9007199254740991n ? Number(v) : v;
  // Always a copy: stored rows can be shared between queries (RowCache), so a caller that
  // writes into a returned blob must not reach them.
  if (v instanceof Uint8Array) return Buffer.from(v);
  return v;
}

/** `safeIntegers`: every INTEGER as a bigint, so a REAL that happens to be whole stays apart. */
export function toSafeOutput(v: SqlValue): OutputValue {
  if (v instanceof Uint8Array) return Buffer.from(v);
  return v;
}

/** Converts a bound parameter; integral JS numbers bind as INTEGER, booleans as 0/1. */
/** `where` names the value in an error; with `index`, it is `where[index]` (built only on error). */
export function fromInput(v: unknown, where: string, index?: number): SqlValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return null;
    return Number.isInteger(v) && Math.abs(v) <= Number.MAX_SAFE_INTEGER ? BigInt(v) : v;
  }
  if (typeof v === 'bigint') return intOrReal(v);
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 1n : 0n;
  if (v instanceof Uint8Array) return v;
  if (v instanceof Date) return v.toISOString();
  const field = index === undefined ? where : `${where}[${index}]`;
  throw new ValidationError(`${field}: cannot bind a ${typeof v} as an SQL value`, {
    field,
    remediation: 'Bind null, a number, bigint, string, boolean, Date or Uint8Array.',
  });
}
