import { ValidationError } from '@sochdb/core';
import type { Params } from '../expr/scope.js';
import { fromInput, type SqlValue } from '../values/values.js';

/**
 * `?`/`$1` values in order, or `:name`/`@name`/`$name` values by name (prefix optional).
 *
 * @example
 * ```ts
 * await sql.execute('SELECT * FROM users WHERE id = ? AND name = ?', [1, 'Ada']);
 * await sql.execute('SELECT * FROM users WHERE id = :id AND name = @name', { id: 1, name: 'Ada' });
 * ```
 */
export type SqlParams = readonly unknown[] | Readonly<Record<string, unknown>>;

const NO_NAMES: ReadonlyMap<string, SqlValue> = new Map();

/** Converts execute()'s params to SQL values once per call (a ValidationError names a value that cannot be bound). */
export function bindParams(params: SqlParams | undefined): Params {
  if (params === undefined || params === null) return { positional: [], named: NO_NAMES };
  if (Array.isArray(params)) {
    const positional: SqlValue[] = [];
    for (let i = 0; i < params.length; i++) positional.push(fromInput(params[i], 'params', i));
    return { positional, named: NO_NAMES };
  }
  if (typeof params !== 'object') throw new ValidationError('params must be an array or an object', { field: 'params' });
  const named = new Map<string, SqlValue>();
  for (const [k, v] of Object.entries(params)) named.set(k.replace(/^[:@$]/, ''), fromInput(v, `params.${k}`));
  return { positional: [], named };
}
