// Original file: proto/sochdb.proto

import type { GraphNode as _sochdb_v1_GraphNode, GraphNode__Output as _sochdb_v1_GraphNode__Output } from '../../sochdb/v1/GraphNode.js';
import type { GraphEdge as _sochdb_v1_GraphEdge, GraphEdge__Output as _sochdb_v1_GraphEdge__Output } from '../../sochdb/v1/GraphEdge.js';
import type { Direction as _sochdb_v1_Direction, Direction__Output as _sochdb_v1_Direction__Output } from '../../sochdb/v1/Direction.js';

export interface GraphNeighbor {
  node?: _sochdb_v1_GraphNode | null;
  edge?: _sochdb_v1_GraphEdge | null;
  direction?: _sochdb_v1_Direction;
}

export interface GraphNeighbor__Output {
  node: _sochdb_v1_GraphNode__Output | null;
  edge: _sochdb_v1_GraphEdge__Output | null;
  direction: _sochdb_v1_Direction__Output;
}
