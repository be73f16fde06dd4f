// Original file: proto/sochdb.proto

import type { GraphNeighbor as _sochdb_v1_GraphNeighbor, GraphNeighbor__Output as _sochdb_v1_GraphNeighbor__Output } from '../../sochdb/v1/GraphNeighbor.js';

export interface NeighborsResponse {
  neighbors?: _sochdb_v1_GraphNeighbor[];
}

export interface NeighborsResponse__Output {
  neighbors: _sochdb_v1_GraphNeighbor__Output[];
}
