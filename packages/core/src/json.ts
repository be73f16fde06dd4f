import { ValidationError } from './errors.js';

/** A value JSON can round-trip exactly (graph properties, temporal edge properties, metadata). */
export type JsonValue = null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/**
 * Checks that `value` survives `JSON.stringify` → `JSON.parse` unchanged, and returns its text.
 * `JSON.stringify` alone silently drops `undefined` and functions and turns `NaN` into `null`,
 * which would store something other than what the caller passed; we refuse instead.
 */
export function serializeJson(value: unknown, field: string): string {
  assertJsonValue(value, field, new Set());
  return JSON.stringify(value);
}

function assertJsonValue(value: unknown, path: string, ancestors: Set<object>): void {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return;
    case 'number':
      if (Number.isFinite(value)) return;
      throw invalid(path, `${value} is not a finite number`);
    case 'object': {
      if (value === null) return;
      if (ancestors.has(value)) throw invalid(path, 'it contains a cycle');
      ancestors.add(value);
      if (Array.isArray(value)) {
        value.forEach((item, i) => assertJsonValue(item, `${path}[${i}]`, ancestors));
      } else {
        const proto: unknown = Object.getPrototypeOf(value);
        if (proto !== Object.prototype && proto !== null) {
          throw invalid(path, `a ${(value as { constructor?: { name?: string } }).constructor?.name ?? 'class'} instance is not a plain object`);
        }
        for (const [key, item] of Object.entries(value)) assertJsonValue(item, `${path}.${key}`, ancestors);
      }
      ancestors.delete(value);
      return;
    }
    default:
      throw invalid(path, `${typeof value} is not a JSON value`);
  }
}

function invalid(field: string, reason: string): ValidationError {
  return new ValidationError(`${field} must be a JSON value: ${reason}`, {
    field,
    remediation: 'Use null, booleans, finite numbers, strings, arrays and plain objects (convert Dates to ISO strings).',
  });
}
