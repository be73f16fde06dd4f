import { ValidationError, MAX_FILTER_DEPTH } from '@sochdb/core';
import type { ToonValue } from '@sochdb/toon';

/** A JSON record as the query builder sees it. */
export type KvRecord = Record<string, ToonValue>;

/**
 * A value a filter compares with. Matched with `===` against the stored JSON, so `1` never
 * equals `'1'` and arrays or objects never match; `NaN` is refused.
 */
export type FilterScalar = string | number | boolean | null;

/** Conditions on one field. `$gt`…`$lte` compare numbers with numbers and strings with strings. */
export interface FieldCondition {
  /** The field is present and `===` this value (the same as writing the value without `$eq`). */
  readonly $eq?: FilterScalar;
  /** The field is not `===` this value; a record without the field matches. */
  readonly $ne?: FilterScalar;
  /** The field is greater; a field of another type than the operand (or missing) does not match. */
  readonly $gt?: number | string;
  /** The field is greater or equal; a field of another type (or missing) does not match. */
  readonly $gte?: number | string;
  /** The field is less; a field of another type (or missing) does not match. */
  readonly $lt?: number | string;
  /** The field is less or equal; a field of another type (or missing) does not match. */
  readonly $lte?: number | string;
  /** The field is present and `===` one of these values. */
  readonly $in?: readonly FilterScalar[];
  /** The field is none of these values; a record without the field matches. */
  readonly $nin?: readonly FilterScalar[];
}

/**
 * A filter in the same language as vector collection filters: `{ field: value }` for equality,
 * `{ field: { $gt: 10 } }` for conditions, combined with `$and` / `$or`. Every entry must hold.
 */
export type KvFilter = {
  /** Every one of these filters must hold (an empty array holds). */
  readonly $and?: readonly KvFilter[];
  /** At least one of these filters must hold (an empty array never does). */
  readonly $or?: readonly KvFilter[];
} & { readonly [field: string]: FilterScalar | FieldCondition | readonly KvFilter[] | undefined };

/**
 * A hand-written filter for `KvQuery.where`: gets the whole parsed record (before `select`) and its
 * key without the store's prefix, and keeps the row when it returns `true`. Runs synchronously, at
 * most once per stored object under the prefix, in key order.
 */
export type KvPredicate = (record: KvRecord, key: Buffer) => boolean;

const OPERATORS = new Set(['$eq', '$ne', '$gt', '$gte', '$lt', '$lte', '$in', '$nin']);

/** Checks a filter's shape once, up front, so a typo fails before any data is read. */
export function compileFilter(filter: KvFilter, path = 'where'): (record: KvRecord) => boolean {
  return compileLevel(filter, path, 1);
}

function compileLevel(filter: KvFilter, path: string, depth: number): (record: KvRecord) => boolean {
  // A Date, Map or class instance has no own entries to read conditions from: it would match
  // every record. Only plain objects are filters.
  if (!isPlainObject(filter)) {
    throw new ValidationError(`${path} must be a plain object like { price: { $lt: 100 } } or a function`, { field: path });
  }
  if (depth > MAX_FILTER_DEPTH) {
    throw new ValidationError(`${path}: $and/$or nest more than ${MAX_FILTER_DEPTH} levels deep (or refer back to themselves)`, {
      field: path,
      remediation: `Flatten the filter: $and and $or take any number of filters, so list the conditions in one array instead of nesting them (at most ${MAX_FILTER_DEPTH} levels).`,
    });
  }
  const tests: ((record: KvRecord) => boolean)[] = [];
  for (const [field, condition] of Object.entries(filter)) {
    if (condition === undefined) continue;
    if (field === '$and' || field === '$or') {
      if (!Array.isArray(condition)) throw new ValidationError(`${path}.${field} must be an array of filters`, { field: `${path}.${field}` });
      // An index loop: map() would skip holes, dropping a condition from an $and.
      const parts = Array.from({ length: condition.length }, (_, i) =>
        compileLevel((condition as readonly KvFilter[])[i]!, `${path}.${field}[${i}]`, depth + 1),
      );
      tests.push(field === '$and' ? (r) => parts.every((p) => p(r)) : (r) => parts.some((p) => p(r)));
    } else if (field.startsWith('$')) {
      throw new ValidationError(`unknown operator ${field} in ${path}`, { field: `${path}.${field}`, remediation: 'Use $and or $or at this level.' });
    } else if (isPlainObject(condition)) {
      tests.push(compileCondition(field, condition, `${path}.${field}`));
    } else if (isScalar(condition)) {
      tests.push((r) => Object.hasOwn(r, field) && r[field] === condition);
    } else {
      throw new ValidationError(`${path}.${field} must be a string, number (not NaN), boolean, null or a condition object such as { $gte: 1 }`, {
        field: `${path}.${field}`,
        remediation: 'Compare with plain values: convert dates to ISO strings or numbers.',
      });
    }
  }
  return (record) => tests.every((t) => t(record));
}

function compileCondition(field: string, condition: FieldCondition, path: string): (record: KvRecord) => boolean {
  const tests: ((value: ToonValue | undefined) => boolean)[] = [];
  for (const [op, operand] of Object.entries(condition)) {
    if (!OPERATORS.has(op)) {
      throw new ValidationError(`unknown operator ${op} in ${path}`, { field: `${path}.${op}`, remediation: `Use one of ${[...OPERATORS].join(' ')}.` });
    }
    if (op === '$in' || op === '$nin') {
      // An index loop: every() skips holes.
      if (!Array.isArray(operand) || !Array.from({ length: operand.length }, (_, i) => operand[i] as unknown).every(isScalar)) {
        throw new ValidationError(`${path}.${op} must be an array of strings, numbers (not NaN), booleans or nulls`, { field: `${path}.${op}` });
      }
      const set = new Set(operand as readonly FilterScalar[]);
      tests.push(op === '$in' ? (v) => v !== undefined && set.has(v as FilterScalar) : (v) => v === undefined || !set.has(v as FilterScalar));
    } else if (op === '$eq' || op === '$ne') {
      if (!isScalar(operand)) throw new ValidationError(`${path}.${op} must be a scalar`, { field: `${path}.${op}` });
      tests.push(op === '$eq' ? (v) => v === operand : (v) => v !== operand);
    } else {
      if ((typeof operand !== 'number' && typeof operand !== 'string') || Number.isNaN(operand)) {
        throw new ValidationError(`${path}.${op} must be a number (not NaN) or a string`, { field: `${path}.${op}` });
      }
      tests.push((v) => typeof v === typeof operand && compare(op, v as number | string, operand));
    }
  }
  return (record) => {
    const value = Object.hasOwn(record, field) ? record[field] : undefined;
    return tests.every((t) => t(value));
  };
}

function compare(op: string, a: number | string, b: number | string): boolean {
  switch (op) {
    case '$gt':
      return a > b;
    case '$gte':
      return a >= b;
    case '$lt':
      return a < b;
    default:
      return a <= b;
  }
}

/** A value a filter compares with. NaN is none: it equals nothing and compares with nothing. */
function isScalar(value: unknown): value is FilterScalar {
  return value === null || typeof value === 'string' || (typeof value === 'number' && !Number.isNaN(value)) || typeof value === 'boolean';
}

function isPlainObject(value: unknown): value is Readonly<Record<string, unknown>> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
