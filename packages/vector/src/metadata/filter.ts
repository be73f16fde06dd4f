import { ValidationError, MAX_FILTER_DEPTH } from '@sochdb/core';

/** A JSON value: what metadata fields may hold (no undefined, functions, Dates or class instances). */
export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };
/** A document's metadata: any JSON object. */
export type Metadata = { readonly [key: string]: JsonValue };

/** A scalar a filter compares with; objects and arrays are not comparable (use `$in` for a set of values). */
export type FilterValue = string | number | boolean | null;
/** Operators on one field, as in `{ year: { $gte: 2020, $lt: 2024 } }`: every operator given must hold. */
export interface FieldOperators {
  /** Equal (strictly: `1` does not match `'1'`); an array field matches when any element is equal. */
  readonly $eq?: FilterValue;
  /** Not `$eq`: also matches documents without the field. */
  readonly $ne?: FilterValue;
  /** Greater than: numbers against numbers, strings against strings (code-unit order); other values never match. */
  readonly $gt?: number | string;
  /** Greater than or equal; compared as `$gt`. */
  readonly $gte?: number | string;
  /** Less than; compared as `$gt`. */
  readonly $lt?: number | string;
  /** Less than or equal; compared as `$gt`. */
  readonly $lte?: number | string;
  /** Equal to one of these (an array field: any element is). */
  readonly $in?: readonly FilterValue[];
  /** Not `$in`: also matches documents without the field. */
  readonly $nin?: readonly FilterValue[];
}
/**
 * A metadata filter. `{ field: value }` is equality; `{ field: { $gte: 1, $lt: 5 } }` combines
 * operators on one field (all must hold); several fields in one object must all match;
 * `$and` / `$or` take arrays of filters. Fields may be dotted paths into nested objects
 * (`'author.name'`). Semantics (MongoDB-like):
 * - equality and `$in` match an array field when any element matches;
 * - `$ne` and `$nin` match documents that lack the field;
 * - `$gt $gte $lt $lte` compare numbers with numbers and strings with strings (code-unit order);
 *   other pairs, and missing fields, do not match.
 *
 * @example
 * ```ts
 * const filter: MetadataFilter = {
 *   'author.name': 'Ada', // a dotted path into { author: { name } }
 *   tags: { $in: ['db', 'search'] }, // matches when any tag is one of these
 *   $or: [{ year: { $gte: 2020, $lt: 2024 } }, { pinned: true }],
 * };
 * ```
 */
export interface MetadataFilter {
  /** Every filter must match (a non-empty array). */
  readonly $and?: readonly MetadataFilter[];
  /** At least one filter must match (a non-empty array). */
  readonly $or?: readonly MetadataFilter[];
  readonly [field: string]: FilterValue | FieldOperators | readonly MetadataFilter[] | undefined;
}

/** A compiled filter (see `compileFilter`): true when the metadata matches. */
export type MetadataPredicate = (metadata: Metadata) => boolean;

const OPERATORS = new Set(['$eq', '$ne', '$gt', '$gte', '$lt', '$lte', '$in', '$nin']);

/** Validates a filter once and returns a fast predicate; a malformed filter is a ValidationError. */
export function compileFilter(filter: MetadataFilter, path = 'filter'): MetadataPredicate {
  return compileFilterOver<Metadata>(
    filter,
    (field, test) => {
      const get = pathGetter(field);
      return (m) => test(get(m));
    },
    path,
  );
}

/** A condition on one field's value (`undefined` when the document lacks the field). */
export type ValueTest = (value: JsonValue | undefined) => boolean;

/**
 * Validates a filter once and compiles it into a predicate over any representation of a document
 * `D`: `read(field, test)` makes the predicate of one field condition, so the same filter can run
 * over metadata objects or, as collections do during a graph walk, over per-field columns indexed
 * by graph label. `field` is the filter's key as written (it may be a dotted path).
 */
export function compileFilterOver<D>(
  filter: MetadataFilter,
  read: (field: string, test: ValueTest) => (doc: D) => boolean,
  path = 'filter',
): (doc: D) => boolean {
  return compileLevel(filter, read, path, 1);
}

function compileLevel<D>(
  filter: MetadataFilter,
  read: (field: string, test: ValueTest) => (doc: D) => boolean,
  path: string,
  depth: number,
): (doc: D) => boolean {
  // A Date, Map or class instance has no own entries to read conditions from: it would match
  // every document. Only plain objects are filters.
  if (!isPlainObject(filter)) throw invalid(path, 'must be a plain object such as { source: "web" }');
  if (depth > MAX_FILTER_DEPTH) {
    throw new ValidationError(`invalid filter: $and/$or nest more than ${MAX_FILTER_DEPTH} levels deep (or refer back to themselves)`, {
      field: path,
      remediation: `Flatten the filter: $and and $or take any number of filters, so list the conditions in one array instead of nesting them (at most ${MAX_FILTER_DEPTH} levels).`,
    });
  }
  const parts: ((doc: D) => boolean)[] = [];
  for (const [key, condition] of Object.entries(filter)) {
    if (condition === undefined) continue;
    if (key === '$and' || key === '$or') {
      if (!Array.isArray(condition) || condition.length === 0) throw invalid(`${path}.${key}`, 'must be a non-empty array of filters');
      // An index loop: map() would skip holes, dropping a condition from an $and.
      const subs = Array.from({ length: condition.length }, (_, i) =>
        compileLevel((condition as readonly MetadataFilter[])[i]!, read, `${path}.${key}[${i}]`, depth + 1),
      );
      parts.push(key === '$and' ? (d) => subs.every((s) => s(d)) : (d) => subs.some((s) => s(d)));
    } else if (key.startsWith('$')) {
      throw invalid(`${path}.${key}`, `'${key}' is not a logical operator; use $and or $or at this level, or { field: { ${key}: … } }`);
    } else {
      parts.push(read(key, compileTest(condition as FilterValue | FieldOperators, `${path}.${key}`)));
    }
  }
  // Filters run once per visited graph node, so skip the combinator in the common one-part case.
  return parts.length === 1 ? parts[0]! : (d) => parts.every((p) => p(d));
}

function compileTest(condition: FilterValue | FieldOperators, path: string): ValueTest {
  if (condition === null || typeof condition !== 'object') {
    checkScalar(condition, path);
    return (v) => matchesEq(v, condition);
  }
  if (Array.isArray(condition)) throw invalid(path, 'an array is not a value to compare with; use { $in: [...] }');
  if (!isPlainObject(condition)) {
    throw invalid(
      path,
      `is a ${condition.constructor?.name ?? 'object'}, neither a value (string, number, boolean, null) nor operators such as { $gte: 1 }; convert dates to ISO strings or numbers`,
    );
  }
  const tests: ValueTest[] = [];
  for (const [op, operand] of Object.entries(condition)) {
    if (!OPERATORS.has(op)) throw invalid(`${path}.${op}`, `unknown operator; use one of ${[...OPERATORS].join(' ')}`);
    const where = `${path}.${op}`;
    if (op === '$in' || op === '$nin') {
      if (!Array.isArray(operand)) throw invalid(where, 'must be an array of values');
      const values = operand as FilterValue[];
      for (let i = 0; i < values.length; i++) checkScalar(values[i], `${where}[${i}]`);
      const any = (v: JsonValue | undefined) => values.some((x) => matchesEq(v, x));
      tests.push(op === '$in' ? any : (v) => !any(v));
    } else if (op === '$eq' || op === '$ne') {
      checkScalar(operand, where);
      const x = operand as FilterValue;
      tests.push(op === '$eq' ? (v) => matchesEq(v, x) : (v) => !matchesEq(v, x));
    } else {
      if (typeof operand !== 'number' && typeof operand !== 'string') throw invalid(where, 'must be a number or a string');
      if (typeof operand === 'number' && Number.isNaN(operand)) throw invalid(where, 'must not be NaN');
      tests.push(compare(op, operand));
    }
  }
  const [only] = tests;
  if (tests.length === 1) return only!;
  return (v) => tests.every((t) => t(v));
}

/** One closure per operator, so a test run once per visited graph node does not re-dispatch on it. */
function compare(op: string, operand: number | string): ValueTest {
  const kind = typeof operand;
  switch (op) {
    case '$gt':
      return (v) => typeof v === kind && (v as number | string) > operand;
    case '$gte':
      return (v) => typeof v === kind && (v as number | string) >= operand;
    case '$lt':
      return (v) => typeof v === kind && (v as number | string) < operand;
    default:
      return (v) => typeof v === kind && (v as number | string) <= operand;
  }
}

function matchesEq(value: JsonValue | undefined, x: FilterValue): boolean {
  if (Array.isArray(value)) return value.some((v) => v === x);
  return value === x;
}

/** Reads a field (a dotted path reaches into nested objects) of a document's metadata. */
export function pathGetter(field: string): (m: Metadata) => JsonValue | undefined {
  if (!field.includes('.')) return (m) => (Object.hasOwn(m, field) ? m[field] : undefined);
  const steps = field.split('.');
  return (m) => {
    let cur: JsonValue | undefined = m;
    for (const s of steps) {
      if (cur === null || typeof cur !== 'object' || Array.isArray(cur) || !Object.hasOwn(cur, s)) return undefined;
      cur = (cur as Metadata)[s];
    }
    return cur;
  };
}

function checkScalar(x: unknown, path: string): void {
  const ok = x === null || typeof x === 'string' || typeof x === 'boolean' || (typeof x === 'number' && !Number.isNaN(x));
  if (!ok) throw invalid(path, `must be a string, number, boolean or null, got ${typeof x}`);
}

function isPlainObject(x: unknown): x is Readonly<Record<string, unknown>> {
  if (x === null || typeof x !== 'object' || Array.isArray(x)) return false;
  const proto: unknown = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
}

function invalid(field: string, what: string): ValidationError {
  return new ValidationError(`invalid filter: ${field} ${what}`, {
    field,
    remediation: 'Filters look like { source: "web", year: { $gte: 2020 }, $or: [{ lang: "en" }, { lang: "fr" }] }.',
  });
}
