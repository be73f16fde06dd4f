import { ValidationError } from '@sochdb/errors';
import { MAX_TOON_DEPTH } from '../depth.js';
import { writeName, writeNumber, writeStringCell } from './cells.js';
import type { ToonRecord, ToonValue } from './types.js';

/**
 * Writes records as one compact TOON table: `name[count]{field,…}:v,v;v,v`.
 *
 * `fields` picks and orders the columns; without it every field of every record is a column, in
 * order of first appearance. Strings that contain `, ; " \`, a control character, or that would
 * read back as another type (`"42"`, `"true"`, `""`) are written as JSON string literals. A field a
 * record lacks is an empty cell. Arrays and objects are written as inline JSON (`{"a":1}`), which
 * `fromToon` parses back; inside them JSON's rules apply (so `-0` reads back as `0`).
 *
 * @throws ValidationError when a record is not a plain object, `fields` repeats a name, or a value
 * cannot be represented (bigint, function, symbol, a non-finite number inside an array or object).
 *
 * @example
 * ```ts
 * const users = [{ id: 1, name: 'Alice', tags: ['admin'] }, { id: 2, name: 'Bob, Jr.' }];
 * toToon('users', users, ['id', 'name']); // 'users[2]{id,name}:1,Alice;2,"Bob, Jr."'
 * toToon('users', users); // 'users[2]{id,name,tags}:1,Alice,["admin"];2,"Bob, Jr.",'
 * ```
 */
export function toToon(table: string, records: readonly ToonRecord[], fields?: readonly string[]): string {
  if (typeof table !== 'string') throw new ValidationError('table name must be a string', { field: 'table' });
  // Checked through an `unknown` copy: JavaScript callers may pass anything, and narrowing `records` itself would type it `any[]`.
  const recordsInput: unknown = records;
  if (!Array.isArray(recordsInput)) {
    throw new ValidationError('records must be an array of objects', { field: 'records', remediation: 'Pass an array, e.g. [{ name: "Alice" }].' });
  }
  // Index loops here and in requireFields: forEach skips holes, which would become an empty row
  // or an unnamed column.
  for (let i = 0; i < records.length; i++) {
    if (!isPlainObject(records[i])) throw new ValidationError(`records[${i}] must be a plain object`, { field: `records[${i}]` });
  }
  const columns = fields === undefined ? fieldsOf(records) : requireFields(fields);
  const header = `${writeName(table)}[${records.length}]{${columns.map(writeName).join(',')}}:`;
  const rows = records.map((record, i) => columns.map((f) => writeCell(Object.hasOwn(record, f) ? record[f] : undefined, `records[${i}].${f}`)).join(','));
  return header + rows.join(';');
}

function fieldsOf(records: readonly ToonRecord[]): string[] {
  const seen = new Set<string>();
  for (const record of records) for (const key of Object.keys(record)) seen.add(key);
  return [...seen];
}

function requireFields(fields: readonly string[]): readonly string[] {
  // Checked through an `unknown` copy: JavaScript callers may pass anything, and narrowing `fields` itself would type it `any[]`.
  const fieldsInput: unknown = fields;
  if (!Array.isArray(fieldsInput)) throw new ValidationError('fields must be an array of strings', { field: 'fields' });
  const seen = new Set<string>();
  for (let i = 0; i < fields.length; i++) {
    const f: unknown = fields[i];
    if (typeof f !== 'string') throw new ValidationError(`fields[${i}] must be a string`, { field: `fields[${i}]` });
    if (seen.has(f)) throw new ValidationError(`field "${f}" is listed twice`, { field: `fields[${i}]`, remediation: 'List each field once.' });
    seen.add(f);
  }
  return fields;
}

function writeCell(value: ToonValue | undefined, path: string): string {
  switch (typeof value) {
    case 'undefined':
      return '';
    case 'string':
      return writeStringCell(value);
    case 'number':
      return writeNumber(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      if (value === null) return 'null';
      checkNested(value, path, 1);
      return JSON.stringify(value);
    default:
      throw unsupported(value, path);
  }
}

/**
 * Nested values travel as JSON, so refuse anything JSON would silently change or drop, and
 * anything nested deeper than `MAX_TOON_DEPTH` (`depth` counts the arrays and objects around and
 * including `value`): the recursion stops there, so a cycle fails too.
 */
function checkNested(value: unknown, path: string, depth: number): void {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) {
      throw new ValidationError(`${path} is ${value}, which JSON cannot hold inside an array or object`, {
        field: path,
        remediation: 'Store non-finite numbers as top-level fields, or as strings.',
      });
    }
    return;
  }
  if (Array.isArray(value) || isPlainObject(value)) {
    if (depth > MAX_TOON_DEPTH) {
      throw new ValidationError(`${path} nests arrays and objects more than ${MAX_TOON_DEPTH} levels deep (or refers back to itself)`, {
        field: path,
        remediation: `Flatten the value to at most ${MAX_TOON_DEPTH} levels, or store the deep part as a JSON string.`,
      });
    }
    if (Array.isArray(value)) {
      // An index loop: forEach skips holes, which JSON would silently turn into null.
      for (let i = 0; i < value.length; i++) checkNested(value[i], `${path}[${i}]`, depth + 1);
    } else {
      for (const [k, v] of Object.entries(value)) if (v !== undefined) checkNested(v, `${path}.${k}`, depth + 1);
    }
    return;
  }
  throw unsupported(value, path);
}

function unsupported(value: unknown, path: string): ValidationError {
  const kind = value === null ? 'null' : typeof value === 'object' ? `an object (${value.constructor?.name ?? 'no prototype'})` : `a ${typeof value}`;
  return new ValidationError(`${path} is ${kind}, which TOON cannot hold`, {
    field: path,
    remediation: 'Use strings, numbers, booleans, null, or plain arrays and objects of them (e.g. convert a Date with toISOString()).',
  });
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
