// @sochdb/graph — a property graph overlay on a SochDB Storage.

// The store.
export { GraphStore, type GraphStoreOptions } from './graph-store.js';

// Data shapes and options.
export type {
  AddEdgeOptions,
  AddNodeOptions,
  GraphDirection,
  EdgeQuery,
  EdgeRef,
  GraphEdge,
  GraphNeighbor,
  GraphNode,
  GraphPath,
  GraphTxnOptions,
  ShortestPathOptions,
  TraversalNode,
  TraversalOrder,
  TraverseOptions,
} from './types.js';
// Properties are any JSON value (named per package so the SDK can re-export every package).
export type { JsonValue as GraphProperties } from '@sochdb/core';

// Errors (graph codes are 8xxx; bad arguments throw core's ValidationError 6000).
export { GraphNodeNotFoundError } from './errors.js';
