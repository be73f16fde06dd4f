// Original file: proto/sochdb.proto

import type { GraphNode as _sochdb_v1_GraphNode, GraphNode__Output as _sochdb_v1_GraphNode__Output } from '../../sochdb/v1/GraphNode.js';
import type { GraphEdge as _sochdb_v1_GraphEdge, GraphEdge__Output as _sochdb_v1_GraphEdge__Output } from '../../sochdb/v1/GraphEdge.js';

export interface ShortestPathResponse {
  found?: boolean;
  nodes?: _sochdb_v1_GraphNode[];
  edges?: _sochdb_v1_GraphEdge[];
}

export interface ShortestPathResponse__Output {
  found: boolean;
  nodes: _sochdb_v1_GraphNode__Output[];
  edges: _sochdb_v1_GraphEdge__Output[];
}
