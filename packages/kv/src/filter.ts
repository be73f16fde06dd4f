import { ValidationError } from '@sochdb/core';
import type { ToonValue } from '@sochdb/toon';

/** A JSON record as the query builder sees it. */
export type KvRecord = Record<string, ToonValue>;

export type FilterScalar = string | number | boolean | null;

/** Conditions on one field. `$gt`…`$lte` compare numbers with numbers and strings with strings. */
export interface FieldCondition {
  readonly $eq?: FilterScalar;
  readonly $ne?: FilterScalar;
  readonly $gt?: number | string;
  readonly $gte?: number | string;
  readonly $lt?: number | string;
  readonly $lte?: number | string;
  readonly $in?: readonly FilterScalar[];
  readonly $nin?: readonly FilterScalar[];
}

/**
 * A filter in the same language as vector collection filters: `{ field: value }` for equality,
 * `{ field: { $gt: 10 } }` for conditions, combined with `$and` / `$or`. Every entry must hold.
 */
export type KvFilter = {
  readonly $and?: readonly KvFilter[];
  readonly $or?: readonly KvFilter[];
} & { readonly [field: string]: FilterScalar | FieldCondition | readonly KvFilter[] | undefined };

export type KvPredicate = (record: KvRecord, key: Buffer) => boolean;

const OPERATORS = new Set(['$eq', '$ne', '$gt', '$gte', '$lt', '$lte', '$in', '$nin']);

/** Checks a filter's shape once, up front, so a typo fails before any data is read. */
export function compileFilter(filter: KvFilter, path = 'where'): (record: KvRecord) => boolean {
  if (filter === null || typeof filter !== 'object' || Array.isArray(filter)) {
    throw new ValidationError(`${path} must be an object like { price: { $lt: 100 } } or a function`, { field: path });
  }
  const tests: ((record: KvRecord) => boolean)[] = [];
  for (const [field, condition] of Object.entries(filter)) {
    if (condition === undefined) continue;
    if (field === '$and' || field === '$or') {
      if (!Array.isArray(condition)) throw new ValidationError(`${path}.${field} must be an array of filters`, { field: `${path}.${field}` });
      const parts = (condition as readonly KvFilter[]).map((f, i) => compileFilter(f, `${path}.${field}[${i}]`));
      tests.push(field === '$and' ? (r) => parts.every((p) => p(r)) : (r) => parts.some((p) => p(r)));
    } else if (field.startsWith('$')) {
      throw new ValidationError(`unknown operator ${field} in ${path}`, { field: `${path}.${field}`, remediation: 'Use $and or $or at this level.' });
    } else if (condition !== null && typeof condition === 'object' && !Array.isArray(condition)) {
      tests.push(compileCondition(field, condition as FieldCondition, `${path}.${field}`));
    } else if (isScalar(condition)) {
      tests.push((r) => Object.hasOwn(r, field) && r[field] === condition);
    } else {
      throw new ValidationError(`${path}.${field} must be a string, number, boolean, null or a condition object`, { field: `${path}.${field}` });
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
      if (!Array.isArray(operand) || !operand.every(isScalar)) throw new ValidationError(`${path}.${op} must be an array of scalars`, { field: `${path}.${op}` });
      const set = new Set(operand as readonly FilterScalar[]);
      tests.push(op === '$in' ? (v) => v !== undefined && set.has(v as FilterScalar) : (v) => v === undefined || !set.has(v as FilterScalar));
    } else if (op === '$eq' || op === '$ne') {
      if (!isScalar(operand)) throw new ValidationError(`${path}.${op} must be a scalar`, { field: `${path}.${op}` });
      tests.push(op === '$eq' ? (v) => v === operand : (v) => v !== operand);
    } else {
      if (typeof operand !== 'number' && typeof operand !== 'string') {
        throw new ValidationError(`${path}.${op} must be a number or a string`, { field: `${path}.${op}` });
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

function isScalar(value: unknown): value is FilterScalar {
  return value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}
