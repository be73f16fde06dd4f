import { ValidationError } from '@sochdb/core';

// Callers may be plain JavaScript (or a server passing decoded JSON), so every public entry
// point checks its arguments at runtime and names the offending field.

export function requireOptions<T>(options: T, what: string): T {
  if (typeof options !== 'object' || options === null) throw new ValidationError(`${what} expects an options object`, { field: 'options' });
  return options;
}

/** Ids, types and namespaces are any non-empty string: quotes, slashes and unicode are fine. */
export function requireName(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new ValidationError(`${field} must be a non-empty string, got ${describe(value)}`, { field, remediation: `Pass ${field} as a non-empty string.` });
  }
  return value;
}

export function optionalName(value: unknown, field: string): string | undefined {
  return value === undefined ? undefined : requireName(value, field);
}

/** A Unix time in milliseconds: a non-negative safe integer. */
export function requireTime(value: unknown, field: string): number {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value;
  throw new ValidationError(`${field} must be a non-negative integer of Unix milliseconds, got ${describe(value)}`, {
    field,
    remediation: 'Pass a time such as Date.now() or Date.parse("2024-01-01T00:00:00Z").',
  });
}

/** `[validFrom, validUntil)` with `validUntil` 0 meaning open-ended. */
export function requireInterval(validFrom: unknown, validUntil: unknown): { readonly validFrom: number; readonly validUntil: number } {
  const from = requireTime(validFrom, 'validFrom');
  const until = validUntil === undefined ? 0 : requireTime(validUntil, 'validUntil');
  if (until !== 0 && until <= from) {
    throw new ValidationError(`validUntil (${until}) must be after validFrom (${from}); intervals are [validFrom, validUntil)`, {
      field: 'validUntil',
      remediation: 'Pass validUntil 0 for an open-ended edge, or a time later than validFrom.',
    });
  }
  return { validFrom: from, validUntil: until };
}

export function requireDirection(value: unknown): 'out' | 'in' | 'both' {
  if (value === undefined) return 'out';
  if (value === 'out' || value === 'in' || value === 'both') return value;
  throw new ValidationError(`direction must be 'out', 'in' or 'both', got ${describe(value)}`, { field: 'direction' });
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : String(value);
}
