import type { TransactionLike } from '@sochdb/core';
import type { JsonValue } from '@sochdb/core';

/** One version of an edge, valid over `[validFrom, validUntil)` in Unix ms; `validUntil` 0 means open-ended. */
export interface TemporalEdge {
  readonly fromId: string;
  readonly edgeType: string;
  readonly toId: string;
  readonly validFrom: number;
  readonly validUntil: number;
  readonly properties: JsonValue;
}

export interface TemporalEdgeRef {
  readonly namespace: string;
  readonly fromId: string;
  readonly edgeType: string;
  readonly toId: string;
}

export interface AddTemporalEdgeOptions extends TemporalEdgeRef {
  readonly validFrom: number;
  /** 0 (the default) leaves the version open until `endTemporalEdge` closes it. */
  readonly validUntil?: number;
  readonly properties?: JsonValue;
}

export interface EndTemporalEdgeOptions extends TemporalEdgeRef {
  /** When the open version stops being valid (exclusive); default now. */
  readonly at?: number;
}

interface QueryBase {
  readonly namespace: string;
  readonly node: string;
  readonly edgeType?: string;
  /** 'out' (default): edges from `node`; 'in': edges to it; 'both'. */
  readonly direction?: 'out' | 'in' | 'both';
}

/** Versions valid at `timestamp`: `validFrom <= timestamp < validUntil` (or open). */
export interface PointInTimeQuery extends QueryBase {
  readonly mode: 'point_in_time';
  readonly timestamp: number;
}

/** Versions valid at any instant of the closed window `[startTime, endTime]`. */
export interface RangeQuery extends QueryBase {
  readonly mode: 'range';
  readonly startTime: number;
  readonly endTime: number;
}

/** Versions valid now (by the graph's clock). */
export interface CurrentQuery extends QueryBase {
  readonly mode: 'current';
}

export type TemporalQuery = PointInTimeQuery | RangeQuery | CurrentQuery;

/** Run the operation inside a caller's transaction instead of on its own. */
export interface TemporalTxnOptions {
  readonly txn?: TransactionLike;
}
