// @sochdb/temporal — time-aware edges on a SochDB Storage (installable without @sochdb/graph).

// The graph.
export { TemporalGraph, type TemporalGraphOptions } from './temporal-graph.js';

// Data shapes and options.
export type {
  AddTemporalEdgeOptions,
  CurrentQuery,
  EndTemporalEdgeOptions,
  TemporalTxnOptions,
  PointInTimeQuery,
  RangeQuery,
  TemporalEdge,
  TemporalEdgeRef,
  TemporalQuery,
} from './types.js';
// Properties are any JSON value (named per package so the SDK can re-export every package).
export type { JsonValue as TemporalProperties } from '@sochdb/core';

// Errors (temporal codes are 81xx; bad arguments throw core's ValidationError 6000).
export { TemporalEdgeNotFoundError, TemporalOverlapError } from './errors.js';
