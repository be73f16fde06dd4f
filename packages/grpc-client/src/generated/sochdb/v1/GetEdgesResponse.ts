// Original file: proto/sochdb.proto

import type { GraphEdge as _sochdb_v1_GraphEdge, GraphEdge__Output as _sochdb_v1_GraphEdge__Output } from '../../sochdb/v1/GraphEdge.js';

export interface GetEdgesResponse {
  edges?: _sochdb_v1_GraphEdge[];
}

export interface GetEdgesResponse__Output {
  edges: _sochdb_v1_GraphEdge__Output[];
}
