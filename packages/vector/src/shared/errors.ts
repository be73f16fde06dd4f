import { ValidationError, type ValidationErrorOptions } from '@sochdb/core';

/**
 * A vector file (`.npy`, raw f32 or a saved index) is not in a format this package reads.
 * Code 6101: a validation error about input data, in the 61xx block reserved for @sochdb/vector.
 */
export class VectorFileFormatError extends ValidationError {
  /** Always 6101 (ValidationError's family, so argument-error handling catches it too). */
  override readonly code = 6101 as const;
  /** The file that failed; undefined when decoding bytes that came from no file. */
  readonly path: string | undefined;
  constructor(message: string, options: ValidationErrorOptions & { readonly path?: string } = {}) {
    super(message, options);
    this.path = options.path;
  }
}
