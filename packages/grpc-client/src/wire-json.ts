import { ValidationError } from '@sochdb/core';

/** A value JSON round-trips (what metadata, properties and filters may hold). */
export type JsonValue = null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue };
/** A JSON object: what metadata, properties and filters must be (parseJsonObject refuses arrays and primitives). */
export type JsonObject = { readonly [key: string]: JsonValue };

/** JSON text for a `*_json` field; `''` for undefined ("not given"). */
export function toJsonText(value: unknown, field: string): string {
  if (value === undefined) return '';
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (error) {
    throw new ValidationError(`${field} must be JSON-serializable: ${(error as Error).message}`, { field, cause: error });
  }
  if (text === undefined) throw new ValidationError(`${field} must be a JSON value, got ${typeof value}`, { field });
  return text;
}

/** The value of a `*_json` field; undefined for `''`. */
export function parseJsonText(text: string, field: string): JsonValue | undefined {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as JsonValue;
  } catch (error) {
    throw new ValidationError(`${field} is not valid JSON: ${(error as Error).message}`, {
      field,
      cause: error,
      remediation: `Send ${field} as JSON text, or "" for none.`,
    });
  }
}

/** Like parseJsonText, and the value must be an object (metadata, filters). */
export function parseJsonObject(text: string, field: string): JsonObject | undefined {
  const value = parseJsonText(text, field);
  if (value === undefined) return undefined;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ValidationError(`${field} must be a JSON object`, { field, remediation: 'Send an object such as {"source":"web"}.' });
  }
  return value as JsonObject;
}

/**
 * A whole number for an int64 / uint32 field. Checked before sending because protobuf would
 * silently truncate 1.5 or turn 'abc' into 0 — a silently wrong request.
 */
export function wireInteger(value: unknown, field: string, { min = -Number.MAX_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER } = {}): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new ValidationError(`${field} must be an integer between ${min} and ${max}, got ${JSON.stringify(value) ?? String(value)}`, { field });
  }
  return value;
}

/** wireInteger for an optional field: undefined stays undefined. */
export function optionalWireInteger(value: unknown, field: string, range?: { min?: number; max?: number }): number | undefined {
  return value === undefined ? undefined : wireInteger(value, field, range);
}

/** The range of a protobuf uint32 field, for {@link wireInteger}'s `min`/`max` (inclusive). */
export const UINT32 = {
  /** Smallest uint32: 0. */
  min: 0,
  /** Largest uint32: 2^32 − 1. */
  max: 0xffff_ffff,
} as const;
