// Original file: proto/sochdb.proto

import type { Direction as _sochdb_v1_Direction, Direction__Output as _sochdb_v1_Direction__Output } from '../../sochdb/v1/Direction.js';

export interface ShortestPathRequest {
  namespace?: string;
  from?: string;
  to?: string;
  maxDepth?: number;
  edgeTypes?: string[];
  direction?: _sochdb_v1_Direction;
  _maxDepth?: 'maxDepth';
}

export interface ShortestPathRequest__Output {
  namespace: string;
  from: string;
  to: string;
  maxDepth?: number;
  edgeTypes: string[];
  direction: _sochdb_v1_Direction__Output;
  _maxDepth?: 'maxDepth';
}
