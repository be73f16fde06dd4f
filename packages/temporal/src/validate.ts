import { ValidationError } from '@sochdb/core';
import { describeValue as describe, requireOneOf } from '@sochdb/core/internal';

// The temporal graph's own argument checks; the generic ones (options, names) come from core.
export { optionalName, requireName, requireOptions } from '@sochdb/core/internal';

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
  return requireOneOf(value, ['out', 'in', 'both'], 'direction', 'out');
}
