import { QueryError, SochDBError } from '@sochdb/core';
import { triggerErrors } from '../write/table-writer.js';

/**
 * SochDB errors and trigger errors pass through; anything else thrown while compiling or
 * evaluating (say a RangeError from char(1e9)) becomes a QueryError, never a raw exception.
 */
export function asSqlError(error: unknown): unknown {
  if (error instanceof SochDBError) return error;
  if (typeof error === 'object' && error !== null && triggerErrors.has(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new QueryError(`SQL evaluation failed: ${message}`, {
    cause: error,
    remediation: 'Check the values passed to functions and operators in the statement.',
  });
}
