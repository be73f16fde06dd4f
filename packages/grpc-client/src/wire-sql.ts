import { ProtocolError, ValidationError } from '@sochdb/core';
import { SqlResult, type OutputValue, type SqlParams, type SqlRow } from '@sochdb/sql';
import type { SqlRequest, SqlRequest__Output } from './generated/sochdb/v1/SqlRequest.js';
import type { SqlResponse, SqlResponse__Output } from './generated/sochdb/v1/SqlResponse.js';
import type { SqlValue, SqlValue__Output } from './generated/sochdb/v1/SqlValue.js';

// SQL values travel as a typed oneof rather than JSON, so 64-bit integers (bigint) and blobs
// come back exactly as the embedded engine returns them.

/** A parameter value as the client sends it; the same values the embedded engine binds. */
export function sqlValueToWire(value: unknown, field: string): SqlValue {
  if (value === null || value === undefined) return { null: true };
  switch (typeof value) {
    case 'number':
      return { real: value };
    case 'bigint':
      return { integer: value.toString() };
    case 'string':
      return { text: value };
    case 'boolean':
      return { boolean: value };
  }
  if (value instanceof Uint8Array) return { blob: value };
  if (value instanceof Date) return { text: value.toISOString() };
  throw new ValidationError(`${field}: cannot bind a ${typeof value} as an SQL value`, {
    field,
    remediation: 'Bind null, a number, bigint, string, boolean, Date or Uint8Array.',
  });
}

/** An SQL value from the wire: numbers, bigints (the integer kind), strings, Buffers, booleans, null. */
export function sqlValueFromWire(value: SqlValue__Output | null): OutputValue | boolean {
  switch (value?.kind) {
    case undefined:
    case 'null':
      return null;
    case 'real':
      return value.real ?? 0;
    case 'integer':
      return BigInt(value.integer ?? '0');
    case 'text':
      return value.text ?? '';
    case 'blob':
      return value.blob ?? Buffer.alloc(0);
    case 'boolean':
      return value.boolean ?? false;
  }
}

/**
 * An SQL request: an array of params travels as positional values, an object as named ones.
 * Params of another kind, or a value that cannot be bound, are a ValidationError.
 */
export function sqlRequestToWire(sql: string, params: SqlParams | undefined): SqlRequest {
  if (typeof sql !== 'string') throw new ValidationError('sql must be a string', { field: 'sql' });
  if (params === undefined || params === null) return { sql };
  if (Array.isArray(params)) return { sql, positional: params.map((p, i) => sqlValueToWire(p, `params[${i}]`)) };
  if (typeof params !== 'object') throw new ValidationError('params must be an array or an object', { field: 'params' });
  return { sql, named: Object.entries(params).map(([name, v]) => ({ name, value: sqlValueToWire(v, `params.${name}`) })) };
}

/** The server side of {@link sqlRequestToWire}; a request with both positional and named params is a ValidationError. */
export function sqlRequestFromWire(request: SqlRequest__Output): {
  /** The statement text. */
  readonly sql: string;
  /** Positional (array) or named (object) params; `undefined` when none were sent. */
  readonly params: SqlParams | undefined;
} {
  if (request.positional.length > 0 && request.named.length > 0) {
    throw new ValidationError('send positional or named parameters, not both', { field: 'params' });
  }
  if (request.named.length > 0) {
    return { sql: request.sql, params: Object.fromEntries(request.named.map((p) => [p.name, sqlValueFromWire(p.value)])) };
  }
  return { sql: request.sql, params: request.positional.length > 0 ? request.positional.map(sqlValueFromWire) : undefined };
}

/** What `execute(sql, params, { rowMode: 'array' })` resolves with. */
export interface ArraySqlResult {
  /** Each row's values in column order. */
  readonly rows: readonly (readonly OutputValue[])[];
  /** Result column names in order; may repeat. */
  readonly columns: readonly string[];
  /** Rows written by INSERT/UPDATE/DELETE, summed over the statements of the call; 0 for a query. */
  readonly rowsAffected: number;
  /** The rowid of the last row the call inserted (0 when none). */
  readonly lastInsertRowid: number | bigint;
}

/** Rows go out in column order (`rowMode: 'array'`), so duplicate column names survive. */
export function sqlResultToWire(result: ArraySqlResult): SqlResponse {
  return {
    columns: [...result.columns],
    rows: result.rows.map((row) => ({ values: row.map((v, i) => sqlValueToWire(v, `row.${result.columns[i] ?? i}`)) })),
    rowsAffected: result.rowsAffected,
    lastInsertRowid: sqlValueToWire(result.lastInsertRowid, 'lastInsertRowid'),
  };
}

/**
 * An SQL reply with each row as an array of values in column order (duplicate column names kept).
 * Integers arrive as bigints; a boolean value or a non-integer lastInsertRowid is a ProtocolError.
 */
export function sqlResultFromWire(response: SqlResponse__Output, rowMode: 'array'): SqlResult<OutputValue[]>;
/**
 * An SQL reply with each row as an object keyed by column name (a repeated column keeps the last
 * value). Integers arrive as bigints; a boolean value or a non-integer lastInsertRowid is a ProtocolError.
 */
export function sqlResultFromWire(response: SqlResponse__Output, rowMode?: 'object'): SqlResult<SqlRow>;
export function sqlResultFromWire(response: SqlResponse__Output, rowMode: 'object' | 'array' = 'object'): SqlResult<SqlRow> | SqlResult<OutputValue[]> {
  const rows = response.rows.map((row) => row.values.map((v) => output(sqlValueFromWire(v))));
  const lastInsertRowid = output(sqlValueFromWire(response.lastInsertRowid));
  if (typeof lastInsertRowid !== 'number' && typeof lastInsertRowid !== 'bigint') throw new ProtocolError('the server sent a non-integer lastInsertRowid');
  if (rowMode === 'array') return new SqlResult(rows, response.columns, response.rowsAffected, lastInsertRowid);
  const objects = rows.map((values) => {
    const row: SqlRow = {};
    response.columns.forEach((column, i) => (row[column] = values[i] ?? null));
    return row;
  });
  return new SqlResult(objects, response.columns, response.rowsAffected, lastInsertRowid);
}

function output(value: OutputValue | boolean): OutputValue {
  if (typeof value === 'boolean') throw new ProtocolError('the server sent a boolean SQL result value');
  return value;
}
