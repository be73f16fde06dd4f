import { NotFoundError, ValidationError, type SochDBErrorOptions } from '@sochdb/core';

// Temporal graph codes are 81xx (the graph range is 8xxx; @sochdb/graph uses 80xx).

/** `endTemporalEdge` found no open version of the edge to close. */
export class TemporalEdgeNotFoundError extends NotFoundError {
  /** Stable code for this error, whatever the message says. */
  override readonly code = 8101 as const;
  constructor(message: string, options: SochDBErrorOptions = {}) {
    super(message, { remediation: 'Query the edge with mode "current" to see its open versions, or add one with addTemporalEdge.', ...options });
  }
}

/**
 * A new version of an edge would overlap an existing version of the same edge (same fromId,
 * edgeType and toId). Versions of one edge never overlap, so "which version held at time T" has
 * one answer.
 *
 * @example
 * ```ts
 * try {
 *   await temporal.addTemporalEdge({ ...ref, validFrom: Date.parse('2023-01-01') });
 * } catch (error) {
 *   if (!(error instanceof TemporalOverlapError)) throw error;
 *   const until = error.existingValidUntil === 0 ? 'open' : new Date(error.existingValidUntil).toISOString();
 *   console.warn(`overlaps the version from ${new Date(error.existingValidFrom).toISOString()} to ${until}`);
 * }
 * ```
 */
export class TemporalOverlapError extends ValidationError {
  /** Stable code for this error, whatever the message says. */
  override readonly code = 8102 as const;
  /** `validFrom` (Unix ms) of the stored version the new one overlaps. */
  readonly existingValidFrom: number;
  /** `validUntil` (Unix ms) of that stored version; 0 when it is still open. */
  readonly existingValidUntil: number;
  constructor(message: string, existing: { readonly validFrom: number; readonly validUntil: number }, options: SochDBErrorOptions = {}) {
    super(message, {
      field: 'validFrom',
      remediation: 'Close the open version first with endTemporalEdge({ ..., at }), or choose an interval that does not overlap it.',
      ...options,
    });
    this.existingValidFrom = existing.validFrom;
    this.existingValidUntil = existing.validUntil;
  }
}
