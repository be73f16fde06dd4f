// Original file: proto/sochdb.proto

import type {
  TraversalOrder as _sochdb_v1_TraversalOrder,
  TraversalOrder__Output as _sochdb_v1_TraversalOrder__Output,
} from '../../sochdb/v1/TraversalOrder.js';
import type { Direction as _sochdb_v1_Direction, Direction__Output as _sochdb_v1_Direction__Output } from '../../sochdb/v1/Direction.js';

export interface TraverseRequest {
  namespace?: string;
  startNode?: string;
  maxDepth?: number;
  order?: _sochdb_v1_TraversalOrder;
  edgeTypes?: string[];
  direction?: _sochdb_v1_Direction;
  _maxDepth?: 'maxDepth';
}

export interface TraverseRequest__Output {
  namespace: string;
  startNode: string;
  maxDepth?: number;
  order: _sochdb_v1_TraversalOrder__Output;
  edgeTypes: string[];
  direction: _sochdb_v1_Direction__Output;
  _maxDepth?: 'maxDepth';
}
