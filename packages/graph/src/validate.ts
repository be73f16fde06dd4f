import { ValidationError } from '@sochdb/core';
import type { GraphDirection, TraversalOrder } from './types.js';

// Callers may be plain JavaScript (or the gRPC server passing decoded JSON), so every public
// entry point checks its arguments at runtime and names the offending field.

export function requireOptions<T>(options: T, what: string): T {
  if (typeof options !== 'object' || options === null) {
    throw new ValidationError(`${what} expects an options object`, { field: 'options' });
  }
  return options;
}

/** Ids, types and namespaces are any non-empty string: quotes, slashes and unicode are fine. */
export function requireName(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new ValidationError(`${field} must be a non-empty string, got ${describe(value)}`, {
      field,
      remediation: `Pass ${field} as a non-empty string.`,
    });
  }
  return value;
}

export function optionalName(value: unknown, field: string): string | undefined {
  return value === undefined ? undefined : requireName(value, field);
}

export function requireNames(value: unknown, field: string): readonly string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) throw new ValidationError(`${field} must be an array of strings`, { field });
  return value.map((v, i) => requireName(v, `${field}[${i}]`));
}

export function requireDirection(value: unknown, fallback: GraphDirection): GraphDirection {
  if (value === undefined) return fallback;
  if (value === 'out' || value === 'in' || value === 'both') return value;
  throw new ValidationError(`direction must be 'out', 'in' or 'both', got ${describe(value)}`, { field: 'direction' });
}

export function requireOrder(value: unknown): TraversalOrder {
  if (value === undefined) return 'bfs';
  if (value === 'bfs' || value === 'dfs') return value;
  throw new ValidationError(`order must be 'bfs' or 'dfs', got ${describe(value)}`, { field: 'order' });
}

/** A hop limit: a non-negative integer, or Infinity for "no limit". */
export function requireDepth(value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value === 'number' && (value === Infinity || (Number.isInteger(value) && value >= 0))) return value;
  throw new ValidationError(`maxDepth must be a non-negative integer, got ${describe(value)}`, { field: 'maxDepth' });
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : String(value);
}
