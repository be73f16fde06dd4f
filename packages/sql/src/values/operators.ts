import { QueryError } from '@sochdb/core';
import { applyAffinity, compareValues, intOrReal, isNumericAffinity, real, textToNumber, toNumeric, toText, type Affinity, type SqlValue } from './values.js';

/**
 * SQLite's comparison affinity rule: a numeric-affinity operand makes a TEXT/BLOB/none operand
 * numeric; a TEXT operand makes a none operand text. Returns what to apply to each side.
 */
export function comparisonAffinities(left: Affinity | undefined, right: Affinity | undefined): [Affinity | undefined, Affinity | undefined] {
  const ln = isNumericAffinity(left);
  const rn = isNumericAffinity(right);
  if (ln && !rn) return [undefined, 'NUMERIC'];
  if (rn && !ln) return [left === undefined || left === 'BLOB' || left === 'TEXT' ? 'NUMERIC' : undefined, undefined];
  if (left === 'TEXT' && right === undefined) return [undefined, 'TEXT'];
  if (right === 'TEXT' && left === undefined) return ['TEXT', undefined];
  return [undefined, undefined];
}

/** Applies a comparison affinity: only text that looks numeric is converted by NUMERIC. */
export function convertFor(v: SqlValue, affinity: Affinity | undefined): SqlValue {
  if (affinity === undefined || v === null) return v;
  if (affinity === 'NUMERIC') return typeof v === 'string' ? (textToNumber(v, false) ?? v) : v;
  return applyAffinity(v, affinity);
}

/** -1/0/1, or null when either side is NULL. */
export function compareSql(a: SqlValue, b: SqlValue): number | null {
  if (a === null || b === null) return null;
  return compareValues(a, b);
}

export function arithmetic(op: string, a: SqlValue, b: SqlValue): SqlValue {
  const x = toNumeric(a);
  const y = toNumeric(b);
  if (x === null || y === null) return null;
  if (typeof x === 'bigint' && typeof y === 'bigint') {
    switch (op) {
      case '+':
        return intOrReal(x + y);
      case '-':
        return intOrReal(x - y);
      case '*':
        return intOrReal(x * y);
      case '/':
        return y === 0n ? null : intOrReal(x / y);
      case '%':
        return y === 0n ? null : x % y;
    }
  }
  const fx = Number(x);
  const fy = Number(y);
  switch (op) {
    case '+':
      return real(fx + fy);
    case '-':
      return real(fx - fy);
    case '*':
      return real(fx * fy);
    case '/':
      return fy === 0 ? null : real(fx / fy);
    case '%': {
      // SQLite takes the remainder of the operands truncated to integers, as a REAL.
      const ix = Math.trunc(fx);
      const iy = Math.trunc(fy);
      return iy === 0 || !Number.isFinite(ix) || !Number.isFinite(iy) ? null : real(ix % iy);
    }
  }
  throw new QueryError(`unknown arithmetic operator ${op}`);
}

function toInteger(v: SqlValue): bigint | null {
  const n = toNumeric(v);
  if (n === null) return null;
  return typeof n === 'bigint' ? n : BigInt(Math.trunc(n));
}

export function bitwise(op: string, a: SqlValue, b: SqlValue): SqlValue {
  const x = toInteger(a);
  const y = toInteger(b);
  if (x === null || y === null) return null;
  const wrap = (n: bigint) => BigInt.asIntN(64, n);
  switch (op) {
    case '&':
      return x & y;
    case '|':
      return x | y;
    case '<<':
      return y >= 64n ? 0n : y < 0n ? wrap(x >> -y) : wrap(x << y);
    default:
      return y >= 64n ? (x < 0n ? -1n : 0n) : y < 0n ? wrap(x << -y) : x >> y;
  }
}

export function negate(v: SqlValue): SqlValue {
  const n = toNumeric(v);
  if (n === null) return null;
  return typeof n === 'bigint' ? intOrReal(-n) : -n;
}

export function concat(a: SqlValue, b: SqlValue): SqlValue {
  if (a === null || b === null) return null;
  return toText(a)! + toText(b)!;
}

/** CAST(v AS type), with SQLite's conversions (text → longest numeric prefix, real → integer truncates). */
export function castTo(v: SqlValue, affinity: Affinity): SqlValue {
  if (v === null) return null;
  switch (affinity) {
    case 'INTEGER': {
      const n = toNumeric(v);
      if (typeof n === 'number') return Number.isFinite(n) ? BigInt.asIntN(64, BigInt(Math.trunc(n))) : n > 0 ? 9223372036854775807n : -9223372036854775808n;
      return n;
    }
    case 'REAL': {
      const n = toNumeric(v);
      return n === null ? null : Number(n);
    }
    case 'NUMERIC': {
      // Casting a number to NUMERIC changes nothing (10.0 stays REAL); only text and blobs convert.
      if (typeof v === 'number' || typeof v === 'bigint') return v;
      const n = toNumeric(v);
      if (typeof n === 'number' && Number.isInteger(n) && Math.abs(n) <= Number.MAX_SAFE_INTEGER) return BigInt(n);
      return n;
    }
    case 'TEXT':
      return toText(v);
    case 'BLOB':
      return v instanceof Uint8Array ? v : Buffer.from(toText(v)!, 'utf8');
  }
}
