// Original file: proto/sochdb.proto

import type { GraphNode as _sochdb_v1_GraphNode, GraphNode__Output as _sochdb_v1_GraphNode__Output } from '../../sochdb/v1/GraphNode.js';

export interface GetNodeResponse {
  found?: boolean;
  node?: _sochdb_v1_GraphNode | null;
}

export interface GetNodeResponse__Output {
  found: boolean;
  node: _sochdb_v1_GraphNode__Output | null;
}
