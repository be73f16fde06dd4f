import { ValidationError } from '@sochdb/core';
import { describeValue, requireOneOf } from '@sochdb/core/internal';
import type { GraphDirection, TraversalOrder } from './types.js';

// The graph's own argument checks; the generic ones (options, names) come from core.
export { optionalName, requireName, requireNames, requireOptions } from '@sochdb/core/internal';

export function requireDirection(value: unknown, fallback: GraphDirection): GraphDirection {
  return requireOneOf(value, ['out', 'in', 'both'], 'direction', fallback);
}

export function requireOrder(value: unknown): TraversalOrder {
  return requireOneOf(value, ['bfs', 'dfs'], 'order', 'bfs');
}

/** A hop limit: a non-negative integer, or Infinity for "no limit". */
export function requireDepth(value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value === 'number' && (value === Infinity || (Number.isInteger(value) && value >= 0))) return value;
  throw new ValidationError(`maxDepth must be a non-negative integer, got ${describeValue(value)}`, { field: 'maxDepth' });
}
