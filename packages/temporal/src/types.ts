import type { TransactionLike } from '@sochdb/core';
import type { JsonValue } from '@sochdb/core';

/** One version of an edge, valid over `[validFrom, validUntil)` in Unix ms; `validUntil` 0 means open-ended. */
export interface TemporalEdge {
  /** Id of the node the edge leaves. */
  readonly fromId: string;
  /** The edge's label. */
  readonly edgeType: string;
  /** Id of the node the edge points to. */
  readonly toId: string;
  /** First instant the version holds, Unix ms (inclusive); identifies the version within its edge. */
  readonly validFrom: number;
  /** First instant it no longer holds, Unix ms (exclusive); 0 while the version is open. */
  readonly validUntil: number;
  /** This version's properties (each version has its own); `{}` when added without any. */
  readonly properties: JsonValue;
}

/** Names one edge, `(fromId, edgeType, toId)` in a namespace, across all of its versions. */
export interface TemporalEdgeRef {
  /** The partition; edges of different namespaces never see each other. */
  readonly namespace: string;
  /** Id of the node the edge leaves (non-empty; no node record is needed or checked). */
  readonly fromId: string;
  /** The edge's label, e.g. `WORKS_AT`; what a query's `edgeType` filters on. */
  readonly edgeType: string;
  /** Id of the node the edge points to (non-empty; no node record is needed or checked). */
  readonly toId: string;
}

/** A version for `TemporalGraph.addTemporalEdge`: the edge, its validity interval and properties. */
export interface AddTemporalEdgeOptions extends TemporalEdgeRef {
  /**
   * Start of the version, Unix ms (inclusive; a non-negative safe integer). A version with the
   * same `validFrom` is replaced; one overlapping another version throws TemporalOverlapError.
   */
  readonly validFrom: number;
  /** 0 (the default) leaves the version open until `endTemporalEdge` closes it. */
  readonly validUntil?: number;
  /** Any JSON value, stored with this version only; default `{}`. */
  readonly properties?: JsonValue;
}

/** The edge whose open version `TemporalGraph.endTemporalEdge` closes, and when. */
export interface EndTemporalEdgeOptions extends TemporalEdgeRef {
  /** When the open version stops being valid (exclusive); default now. */
  readonly at?: number;
}

interface QueryBase {
  /** The partition; edges of different namespaces never see each other. */
  readonly namespace: string;
  /** The node whose edges are returned; `direction` says which side of the edge it is on. */
  readonly node: string;
  /** Only edges of this type; all types when omitted. */
  readonly edgeType?: string;
  /** 'out' (default): edges from `node`; 'in': edges to it; 'both'. */
  readonly direction?: 'out' | 'in' | 'both';
}

/** Versions valid at `timestamp`: `validFrom <= timestamp < validUntil` (or open). */
export interface PointInTimeQuery extends QueryBase {
  /** Selects this query shape. */
  readonly mode: 'point_in_time';
  /** The instant asked about, Unix ms. */
  readonly timestamp: number;
}

/** Versions valid at any instant of the closed window `[startTime, endTime]`. */
export interface RangeQuery extends QueryBase {
  /** Selects this query shape. */
  readonly mode: 'range';
  /** Window start, Unix ms (inclusive). */
  readonly startTime: number;
  /** Window end, Unix ms (inclusive); ValidationError when before `startTime`. */
  readonly endTime: number;
}

/** Versions valid now (by the graph's clock). */
export interface CurrentQuery extends QueryBase {
  /** Selects this query shape: `point_in_time` at the graph's `now()`. */
  readonly mode: 'current';
}

/** What `TemporalGraph.query` takes; `mode` picks the shape. An unknown `mode` throws ValidationError. */
export type TemporalQuery = PointInTimeQuery | RangeQuery | CurrentQuery;

/** Run the operation inside a caller's transaction instead of on its own. */
export interface TemporalTxnOptions {
  /**
   * A core Transaction or the SDK's DatabaseTransaction: reads see its uncommitted writes, writes
   * commit or abort with it (and are not retried). Omitted: the operation runs on its own.
   */
  readonly txn?: TransactionLike;
}
