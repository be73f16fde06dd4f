import { NotFoundError, ValidationError, type SochDBErrorOptions } from '@sochdb/core';

// Temporal graph codes are 81xx (the graph range is 8xxx; @sochdb/graph uses 80xx).

/** `endTemporalEdge` found no open version of the edge to close. */
export class TemporalEdgeNotFoundError extends NotFoundError {
  override readonly code: 8101 = 8101;
  constructor(message: string, options: SochDBErrorOptions = {}) {
    super(message, { remediation: 'Query the edge with mode "current" to see its open versions, or add one with addTemporalEdge.', ...options });
  }
}

/**
 * A new version of an edge would overlap an existing version of the same edge (same fromId,
 * edgeType and toId). Versions of one edge never overlap, so "which version held at time T" has
 * one answer.
 */
export class TemporalOverlapError extends ValidationError {
  override readonly code: 8102 = 8102;
  readonly existingValidFrom: number;
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
