// Original file: proto/sochdb.proto

import type { TraversalNode as _sochdb_v1_TraversalNode, TraversalNode__Output as _sochdb_v1_TraversalNode__Output } from '../../sochdb/v1/TraversalNode.js';

export interface TraverseResponse {
  nodes?: _sochdb_v1_TraversalNode[];
}

export interface TraverseResponse__Output {
  nodes: _sochdb_v1_TraversalNode__Output[];
}
