// Original file: proto/sochdb.proto

import type { TemporalMode as _sochdb_v1_TemporalMode, TemporalMode__Output as _sochdb_v1_TemporalMode__Output } from '../../sochdb/v1/TemporalMode.js';
import type { Direction as _sochdb_v1_Direction, Direction__Output as _sochdb_v1_Direction__Output } from '../../sochdb/v1/Direction.js';
import type { Long } from '@grpc/proto-loader';

export interface TemporalQueryRequest {
  namespace?: string;
  node?: string;
  mode?: _sochdb_v1_TemporalMode;
  timestamp?: number | string | Long;
  startTime?: number | string | Long;
  endTime?: number | string | Long;
  edgeType?: string;
  direction?: _sochdb_v1_Direction;
}

export interface TemporalQueryRequest__Output {
  namespace: string;
  node: string;
  mode: _sochdb_v1_TemporalMode__Output;
  timestamp: number;
  startTime: number;
  endTime: number;
  edgeType: string;
  direction: _sochdb_v1_Direction__Output;
}
