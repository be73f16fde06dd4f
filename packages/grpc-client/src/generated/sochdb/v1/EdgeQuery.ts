// Original file: proto/sochdb.proto

import type { Direction as _sochdb_v1_Direction, Direction__Output as _sochdb_v1_Direction__Output } from '../../sochdb/v1/Direction.js';

export interface EdgeQuery {
  namespace?: string;
  nodeId?: string;
  direction?: _sochdb_v1_Direction;
  edgeType?: string;
}

export interface EdgeQuery__Output {
  namespace: string;
  nodeId: string;
  direction: _sochdb_v1_Direction__Output;
  edgeType: string;
}
