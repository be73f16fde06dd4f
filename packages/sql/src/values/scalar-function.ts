import type { SqlValue } from './values.js';

/**
 * A scalar SQL function: arity bounds and an implementation over already-evaluated arguments.
 * Its own module so that the function tables (functions.ts, functions-math.ts) share it without
 * importing each other.
 */
export interface ScalarFunction {
  readonly min: number;
  readonly max: number;
  readonly fn: (args: readonly SqlValue[]) => SqlValue;
}
