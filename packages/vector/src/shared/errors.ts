import { ValidationError, type ValidationErrorOptions } from '@sochdb/core';

/**
 * A vector file (`.npy`, raw f32 or a saved index) is not in a format this package reads.
 * Code 6101: a validation error about input data, in the 61xx block reserved for @sochdb/vector.
 */
export class VectorFileFormatError extends ValidationError {
  override readonly code = 6101 as const;
  readonly path: string | undefined;
  constructor(message: string, options: ValidationErrorOptions & { readonly path?: string } = {}) {
    super(message, options);
    this.path = options.path;
  }
}
