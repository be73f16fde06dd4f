// Original file: proto/sochdb.proto

import type { TemporalEdge as _sochdb_v1_TemporalEdge, TemporalEdge__Output as _sochdb_v1_TemporalEdge__Output } from '../../sochdb/v1/TemporalEdge.js';

export interface TemporalQueryResponse {
  edges?: _sochdb_v1_TemporalEdge[];
}

export interface TemporalQueryResponse__Output {
  edges: _sochdb_v1_TemporalEdge__Output[];
}
