// Original file: proto/sochdb.proto

import type * as grpc from '@grpc/grpc-js';
import type { MethodDefinition } from '@grpc/proto-loader';
import type {
  AddEdgeRequest as _sochdb_v1_AddEdgeRequest,
  AddEdgeRequest__Output as _sochdb_v1_AddEdgeRequest__Output,
} from '../../sochdb/v1/AddEdgeRequest.js';
import type {
  AddNodeRequest as _sochdb_v1_AddNodeRequest,
  AddNodeRequest__Output as _sochdb_v1_AddNodeRequest__Output,
} from '../../sochdb/v1/AddNodeRequest.js';
import type {
  AddTemporalEdgeRequest as _sochdb_v1_AddTemporalEdgeRequest,
  AddTemporalEdgeRequest__Output as _sochdb_v1_AddTemporalEdgeRequest__Output,
} from '../../sochdb/v1/AddTemporalEdgeRequest.js';
import type {
  DeletedResponse as _sochdb_v1_DeletedResponse,
  DeletedResponse__Output as _sochdb_v1_DeletedResponse__Output,
} from '../../sochdb/v1/DeletedResponse.js';
import type { EdgeQuery as _sochdb_v1_EdgeQuery, EdgeQuery__Output as _sochdb_v1_EdgeQuery__Output } from '../../sochdb/v1/EdgeQuery.js';
import type { EdgeRef as _sochdb_v1_EdgeRef, EdgeRef__Output as _sochdb_v1_EdgeRef__Output } from '../../sochdb/v1/EdgeRef.js';
import type {
  EndTemporalEdgeRequest as _sochdb_v1_EndTemporalEdgeRequest,
  EndTemporalEdgeRequest__Output as _sochdb_v1_EndTemporalEdgeRequest__Output,
} from '../../sochdb/v1/EndTemporalEdgeRequest.js';
import type {
  GetEdgesResponse as _sochdb_v1_GetEdgesResponse,
  GetEdgesResponse__Output as _sochdb_v1_GetEdgesResponse__Output,
} from '../../sochdb/v1/GetEdgesResponse.js';
import type {
  GetNodeResponse as _sochdb_v1_GetNodeResponse,
  GetNodeResponse__Output as _sochdb_v1_GetNodeResponse__Output,
} from '../../sochdb/v1/GetNodeResponse.js';
import type { GraphEdge as _sochdb_v1_GraphEdge, GraphEdge__Output as _sochdb_v1_GraphEdge__Output } from '../../sochdb/v1/GraphEdge.js';
import type { GraphNode as _sochdb_v1_GraphNode, GraphNode__Output as _sochdb_v1_GraphNode__Output } from '../../sochdb/v1/GraphNode.js';
import type {
  NeighborsResponse as _sochdb_v1_NeighborsResponse,
  NeighborsResponse__Output as _sochdb_v1_NeighborsResponse__Output,
} from '../../sochdb/v1/NeighborsResponse.js';
import type { NodeRef as _sochdb_v1_NodeRef, NodeRef__Output as _sochdb_v1_NodeRef__Output } from '../../sochdb/v1/NodeRef.js';
import type {
  ShortestPathRequest as _sochdb_v1_ShortestPathRequest,
  ShortestPathRequest__Output as _sochdb_v1_ShortestPathRequest__Output,
} from '../../sochdb/v1/ShortestPathRequest.js';
import type {
  ShortestPathResponse as _sochdb_v1_ShortestPathResponse,
  ShortestPathResponse__Output as _sochdb_v1_ShortestPathResponse__Output,
} from '../../sochdb/v1/ShortestPathResponse.js';
import type { TemporalEdge as _sochdb_v1_TemporalEdge, TemporalEdge__Output as _sochdb_v1_TemporalEdge__Output } from '../../sochdb/v1/TemporalEdge.js';
import type {
  TemporalQueryRequest as _sochdb_v1_TemporalQueryRequest,
  TemporalQueryRequest__Output as _sochdb_v1_TemporalQueryRequest__Output,
} from '../../sochdb/v1/TemporalQueryRequest.js';
import type {
  TemporalQueryResponse as _sochdb_v1_TemporalQueryResponse,
  TemporalQueryResponse__Output as _sochdb_v1_TemporalQueryResponse__Output,
} from '../../sochdb/v1/TemporalQueryResponse.js';
import type {
  TraverseRequest as _sochdb_v1_TraverseRequest,
  TraverseRequest__Output as _sochdb_v1_TraverseRequest__Output,
} from '../../sochdb/v1/TraverseRequest.js';
import type {
  TraverseResponse as _sochdb_v1_TraverseResponse,
  TraverseResponse__Output as _sochdb_v1_TraverseResponse__Output,
} from '../../sochdb/v1/TraverseResponse.js';

export interface GraphServiceClient extends grpc.Client {
  AddEdge(
    argument: _sochdb_v1_AddEdgeRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_GraphEdge__Output>,
  ): grpc.ClientUnaryCall;
  AddEdge(argument: _sochdb_v1_AddEdgeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_sochdb_v1_GraphEdge__Output>): grpc.ClientUnaryCall;
  AddEdge(argument: _sochdb_v1_AddEdgeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_sochdb_v1_GraphEdge__Output>): grpc.ClientUnaryCall;
  AddEdge(argument: _sochdb_v1_AddEdgeRequest, callback: grpc.requestCallback<_sochdb_v1_GraphEdge__Output>): grpc.ClientUnaryCall;
  addEdge(
    argument: _sochdb_v1_AddEdgeRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_GraphEdge__Output>,
  ): grpc.ClientUnaryCall;
  addEdge(argument: _sochdb_v1_AddEdgeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_sochdb_v1_GraphEdge__Output>): grpc.ClientUnaryCall;
  addEdge(argument: _sochdb_v1_AddEdgeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_sochdb_v1_GraphEdge__Output>): grpc.ClientUnaryCall;
  addEdge(argument: _sochdb_v1_AddEdgeRequest, callback: grpc.requestCallback<_sochdb_v1_GraphEdge__Output>): grpc.ClientUnaryCall;

  AddNode(
    argument: _sochdb_v1_AddNodeRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_GraphNode__Output>,
  ): grpc.ClientUnaryCall;
  AddNode(argument: _sochdb_v1_AddNodeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_sochdb_v1_GraphNode__Output>): grpc.ClientUnaryCall;
  AddNode(argument: _sochdb_v1_AddNodeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_sochdb_v1_GraphNode__Output>): grpc.ClientUnaryCall;
  AddNode(argument: _sochdb_v1_AddNodeRequest, callback: grpc.requestCallback<_sochdb_v1_GraphNode__Output>): grpc.ClientUnaryCall;
  addNode(
    argument: _sochdb_v1_AddNodeRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_GraphNode__Output>,
  ): grpc.ClientUnaryCall;
  addNode(argument: _sochdb_v1_AddNodeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_sochdb_v1_GraphNode__Output>): grpc.ClientUnaryCall;
  addNode(argument: _sochdb_v1_AddNodeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_sochdb_v1_GraphNode__Output>): grpc.ClientUnaryCall;
  addNode(argument: _sochdb_v1_AddNodeRequest, callback: grpc.requestCallback<_sochdb_v1_GraphNode__Output>): grpc.ClientUnaryCall;

  AddTemporalEdge(
    argument: _sochdb_v1_AddTemporalEdgeRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_TemporalEdge__Output>,
  ): grpc.ClientUnaryCall;
  AddTemporalEdge(
    argument: _sochdb_v1_AddTemporalEdgeRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_sochdb_v1_TemporalEdge__Output>,
  ): grpc.ClientUnaryCall;
  AddTemporalEdge(
    argument: _sochdb_v1_AddTemporalEdgeRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_TemporalEdge__Output>,
  ): grpc.ClientUnaryCall;
  AddTemporalEdge(argument: _sochdb_v1_AddTemporalEdgeRequest, callback: grpc.requestCallback<_sochdb_v1_TemporalEdge__Output>): grpc.ClientUnaryCall;
  addTemporalEdge(
    argument: _sochdb_v1_AddTemporalEdgeRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_TemporalEdge__Output>,
  ): grpc.ClientUnaryCall;
  addTemporalEdge(
    argument: _sochdb_v1_AddTemporalEdgeRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_sochdb_v1_TemporalEdge__Output>,
  ): grpc.ClientUnaryCall;
  addTemporalEdge(
    argument: _sochdb_v1_AddTemporalEdgeRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_TemporalEdge__Output>,
  ): grpc.ClientUnaryCall;
  addTemporalEdge(argument: _sochdb_v1_AddTemporalEdgeRequest, callback: grpc.requestCallback<_sochdb_v1_TemporalEdge__Output>): grpc.ClientUnaryCall;

  DeleteEdge(
    argument: _sochdb_v1_EdgeRef,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_DeletedResponse__Output>,
  ): grpc.ClientUnaryCall;
  DeleteEdge(argument: _sochdb_v1_EdgeRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_sochdb_v1_DeletedResponse__Output>): grpc.ClientUnaryCall;
  DeleteEdge(argument: _sochdb_v1_EdgeRef, options: grpc.CallOptions, callback: grpc.requestCallback<_sochdb_v1_DeletedResponse__Output>): grpc.ClientUnaryCall;
  DeleteEdge(argument: _sochdb_v1_EdgeRef, callback: grpc.requestCallback<_sochdb_v1_DeletedResponse__Output>): grpc.ClientUnaryCall;
  deleteEdge(
    argument: _sochdb_v1_EdgeRef,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_DeletedResponse__Output>,
  ): grpc.ClientUnaryCall;
  deleteEdge(argument: _sochdb_v1_EdgeRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_sochdb_v1_DeletedResponse__Output>): grpc.ClientUnaryCall;
  deleteEdge(argument: _sochdb_v1_EdgeRef, options: grpc.CallOptions, callback: grpc.requestCallback<_sochdb_v1_DeletedResponse__Output>): grpc.ClientUnaryCall;
  deleteEdge(argument: _sochdb_v1_EdgeRef, callback: grpc.requestCallback<_sochdb_v1_DeletedResponse__Output>): grpc.ClientUnaryCall;

  DeleteNode(
    argument: _sochdb_v1_NodeRef,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_DeletedResponse__Output>,
  ): grpc.ClientUnaryCall;
  DeleteNode(argument: _sochdb_v1_NodeRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_sochdb_v1_DeletedResponse__Output>): grpc.ClientUnaryCall;
  DeleteNode(argument: _sochdb_v1_NodeRef, options: grpc.CallOptions, callback: grpc.requestCallback<_sochdb_v1_DeletedResponse__Output>): grpc.ClientUnaryCall;
  DeleteNode(argument: _sochdb_v1_NodeRef, callback: grpc.requestCallback<_sochdb_v1_DeletedResponse__Output>): grpc.ClientUnaryCall;
  deleteNode(
    argument: _sochdb_v1_NodeRef,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_DeletedResponse__Output>,
  ): grpc.ClientUnaryCall;
  deleteNode(argument: _sochdb_v1_NodeRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_sochdb_v1_DeletedResponse__Output>): grpc.ClientUnaryCall;
  deleteNode(argument: _sochdb_v1_NodeRef, options: grpc.CallOptions, callback: grpc.requestCallback<_sochdb_v1_DeletedResponse__Output>): grpc.ClientUnaryCall;
  deleteNode(argument: _sochdb_v1_NodeRef, callback: grpc.requestCallback<_sochdb_v1_DeletedResponse__Output>): grpc.ClientUnaryCall;

  EndTemporalEdge(
    argument: _sochdb_v1_EndTemporalEdgeRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_TemporalEdge__Output>,
  ): grpc.ClientUnaryCall;
  EndTemporalEdge(
    argument: _sochdb_v1_EndTemporalEdgeRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_sochdb_v1_TemporalEdge__Output>,
  ): grpc.ClientUnaryCall;
  EndTemporalEdge(
    argument: _sochdb_v1_EndTemporalEdgeRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_TemporalEdge__Output>,
  ): grpc.ClientUnaryCall;
  EndTemporalEdge(argument: _sochdb_v1_EndTemporalEdgeRequest, callback: grpc.requestCallback<_sochdb_v1_TemporalEdge__Output>): grpc.ClientUnaryCall;
  endTemporalEdge(
    argument: _sochdb_v1_EndTemporalEdgeRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_TemporalEdge__Output>,
  ): grpc.ClientUnaryCall;
  endTemporalEdge(
    argument: _sochdb_v1_EndTemporalEdgeRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_sochdb_v1_TemporalEdge__Output>,
  ): grpc.ClientUnaryCall;
  endTemporalEdge(
    argument: _sochdb_v1_EndTemporalEdgeRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_TemporalEdge__Output>,
  ): grpc.ClientUnaryCall;
  endTemporalEdge(argument: _sochdb_v1_EndTemporalEdgeRequest, callback: grpc.requestCallback<_sochdb_v1_TemporalEdge__Output>): grpc.ClientUnaryCall;

  GetEdges(
    argument: _sochdb_v1_EdgeQuery,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_GetEdgesResponse__Output>,
  ): grpc.ClientUnaryCall;
  GetEdges(argument: _sochdb_v1_EdgeQuery, metadata: grpc.Metadata, callback: grpc.requestCallback<_sochdb_v1_GetEdgesResponse__Output>): grpc.ClientUnaryCall;
  GetEdges(
    argument: _sochdb_v1_EdgeQuery,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_GetEdgesResponse__Output>,
  ): grpc.ClientUnaryCall;
  GetEdges(argument: _sochdb_v1_EdgeQuery, callback: grpc.requestCallback<_sochdb_v1_GetEdgesResponse__Output>): grpc.ClientUnaryCall;
  getEdges(
    argument: _sochdb_v1_EdgeQuery,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_GetEdgesResponse__Output>,
  ): grpc.ClientUnaryCall;
  getEdges(argument: _sochdb_v1_EdgeQuery, metadata: grpc.Metadata, callback: grpc.requestCallback<_sochdb_v1_GetEdgesResponse__Output>): grpc.ClientUnaryCall;
  getEdges(
    argument: _sochdb_v1_EdgeQuery,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_GetEdgesResponse__Output>,
  ): grpc.ClientUnaryCall;
  getEdges(argument: _sochdb_v1_EdgeQuery, callback: grpc.requestCallback<_sochdb_v1_GetEdgesResponse__Output>): grpc.ClientUnaryCall;

  GetNode(
    argument: _sochdb_v1_NodeRef,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_GetNodeResponse__Output>,
  ): grpc.ClientUnaryCall;
  GetNode(argument: _sochdb_v1_NodeRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_sochdb_v1_GetNodeResponse__Output>): grpc.ClientUnaryCall;
  GetNode(argument: _sochdb_v1_NodeRef, options: grpc.CallOptions, callback: grpc.requestCallback<_sochdb_v1_GetNodeResponse__Output>): grpc.ClientUnaryCall;
  GetNode(argument: _sochdb_v1_NodeRef, callback: grpc.requestCallback<_sochdb_v1_GetNodeResponse__Output>): grpc.ClientUnaryCall;
  getNode(
    argument: _sochdb_v1_NodeRef,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_GetNodeResponse__Output>,
  ): grpc.ClientUnaryCall;
  getNode(argument: _sochdb_v1_NodeRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_sochdb_v1_GetNodeResponse__Output>): grpc.ClientUnaryCall;
  getNode(argument: _sochdb_v1_NodeRef, options: grpc.CallOptions, callback: grpc.requestCallback<_sochdb_v1_GetNodeResponse__Output>): grpc.ClientUnaryCall;
  getNode(argument: _sochdb_v1_NodeRef, callback: grpc.requestCallback<_sochdb_v1_GetNodeResponse__Output>): grpc.ClientUnaryCall;

  Neighbors(
    argument: _sochdb_v1_EdgeQuery,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_NeighborsResponse__Output>,
  ): grpc.ClientUnaryCall;
  Neighbors(
    argument: _sochdb_v1_EdgeQuery,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_sochdb_v1_NeighborsResponse__Output>,
  ): grpc.ClientUnaryCall;
  Neighbors(
    argument: _sochdb_v1_EdgeQuery,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_NeighborsResponse__Output>,
  ): grpc.ClientUnaryCall;
  Neighbors(argument: _sochdb_v1_EdgeQuery, callback: grpc.requestCallback<_sochdb_v1_NeighborsResponse__Output>): grpc.ClientUnaryCall;
  neighbors(
    argument: _sochdb_v1_EdgeQuery,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_NeighborsResponse__Output>,
  ): grpc.ClientUnaryCall;
  neighbors(
    argument: _sochdb_v1_EdgeQuery,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_sochdb_v1_NeighborsResponse__Output>,
  ): grpc.ClientUnaryCall;
  neighbors(
    argument: _sochdb_v1_EdgeQuery,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_NeighborsResponse__Output>,
  ): grpc.ClientUnaryCall;
  neighbors(argument: _sochdb_v1_EdgeQuery, callback: grpc.requestCallback<_sochdb_v1_NeighborsResponse__Output>): grpc.ClientUnaryCall;

  QueryTemporalGraph(
    argument: _sochdb_v1_TemporalQueryRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_TemporalQueryResponse__Output>,
  ): grpc.ClientUnaryCall;
  QueryTemporalGraph(
    argument: _sochdb_v1_TemporalQueryRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_sochdb_v1_TemporalQueryResponse__Output>,
  ): grpc.ClientUnaryCall;
  QueryTemporalGraph(
    argument: _sochdb_v1_TemporalQueryRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_TemporalQueryResponse__Output>,
  ): grpc.ClientUnaryCall;
  QueryTemporalGraph(argument: _sochdb_v1_TemporalQueryRequest, callback: grpc.requestCallback<_sochdb_v1_TemporalQueryResponse__Output>): grpc.ClientUnaryCall;
  queryTemporalGraph(
    argument: _sochdb_v1_TemporalQueryRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_TemporalQueryResponse__Output>,
  ): grpc.ClientUnaryCall;
  queryTemporalGraph(
    argument: _sochdb_v1_TemporalQueryRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_sochdb_v1_TemporalQueryResponse__Output>,
  ): grpc.ClientUnaryCall;
  queryTemporalGraph(
    argument: _sochdb_v1_TemporalQueryRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_TemporalQueryResponse__Output>,
  ): grpc.ClientUnaryCall;
  queryTemporalGraph(argument: _sochdb_v1_TemporalQueryRequest, callback: grpc.requestCallback<_sochdb_v1_TemporalQueryResponse__Output>): grpc.ClientUnaryCall;

  ShortestPath(
    argument: _sochdb_v1_ShortestPathRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_ShortestPathResponse__Output>,
  ): grpc.ClientUnaryCall;
  ShortestPath(
    argument: _sochdb_v1_ShortestPathRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_sochdb_v1_ShortestPathResponse__Output>,
  ): grpc.ClientUnaryCall;
  ShortestPath(
    argument: _sochdb_v1_ShortestPathRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_ShortestPathResponse__Output>,
  ): grpc.ClientUnaryCall;
  ShortestPath(argument: _sochdb_v1_ShortestPathRequest, callback: grpc.requestCallback<_sochdb_v1_ShortestPathResponse__Output>): grpc.ClientUnaryCall;
  shortestPath(
    argument: _sochdb_v1_ShortestPathRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_ShortestPathResponse__Output>,
  ): grpc.ClientUnaryCall;
  shortestPath(
    argument: _sochdb_v1_ShortestPathRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_sochdb_v1_ShortestPathResponse__Output>,
  ): grpc.ClientUnaryCall;
  shortestPath(
    argument: _sochdb_v1_ShortestPathRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_ShortestPathResponse__Output>,
  ): grpc.ClientUnaryCall;
  shortestPath(argument: _sochdb_v1_ShortestPathRequest, callback: grpc.requestCallback<_sochdb_v1_ShortestPathResponse__Output>): grpc.ClientUnaryCall;

  Traverse(
    argument: _sochdb_v1_TraverseRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_TraverseResponse__Output>,
  ): grpc.ClientUnaryCall;
  Traverse(
    argument: _sochdb_v1_TraverseRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_sochdb_v1_TraverseResponse__Output>,
  ): grpc.ClientUnaryCall;
  Traverse(
    argument: _sochdb_v1_TraverseRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_TraverseResponse__Output>,
  ): grpc.ClientUnaryCall;
  Traverse(argument: _sochdb_v1_TraverseRequest, callback: grpc.requestCallback<_sochdb_v1_TraverseResponse__Output>): grpc.ClientUnaryCall;
  traverse(
    argument: _sochdb_v1_TraverseRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_TraverseResponse__Output>,
  ): grpc.ClientUnaryCall;
  traverse(
    argument: _sochdb_v1_TraverseRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_sochdb_v1_TraverseResponse__Output>,
  ): grpc.ClientUnaryCall;
  traverse(
    argument: _sochdb_v1_TraverseRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_TraverseResponse__Output>,
  ): grpc.ClientUnaryCall;
  traverse(argument: _sochdb_v1_TraverseRequest, callback: grpc.requestCallback<_sochdb_v1_TraverseResponse__Output>): grpc.ClientUnaryCall;
}

export interface GraphServiceHandlers extends grpc.UntypedServiceImplementation {
  AddEdge: grpc.handleUnaryCall<_sochdb_v1_AddEdgeRequest__Output, _sochdb_v1_GraphEdge>;

  AddNode: grpc.handleUnaryCall<_sochdb_v1_AddNodeRequest__Output, _sochdb_v1_GraphNode>;

  AddTemporalEdge: grpc.handleUnaryCall<_sochdb_v1_AddTemporalEdgeRequest__Output, _sochdb_v1_TemporalEdge>;

  DeleteEdge: grpc.handleUnaryCall<_sochdb_v1_EdgeRef__Output, _sochdb_v1_DeletedResponse>;

  DeleteNode: grpc.handleUnaryCall<_sochdb_v1_NodeRef__Output, _sochdb_v1_DeletedResponse>;

  EndTemporalEdge: grpc.handleUnaryCall<_sochdb_v1_EndTemporalEdgeRequest__Output, _sochdb_v1_TemporalEdge>;

  GetEdges: grpc.handleUnaryCall<_sochdb_v1_EdgeQuery__Output, _sochdb_v1_GetEdgesResponse>;

  GetNode: grpc.handleUnaryCall<_sochdb_v1_NodeRef__Output, _sochdb_v1_GetNodeResponse>;

  Neighbors: grpc.handleUnaryCall<_sochdb_v1_EdgeQuery__Output, _sochdb_v1_NeighborsResponse>;

  QueryTemporalGraph: grpc.handleUnaryCall<_sochdb_v1_TemporalQueryRequest__Output, _sochdb_v1_TemporalQueryResponse>;

  ShortestPath: grpc.handleUnaryCall<_sochdb_v1_ShortestPathRequest__Output, _sochdb_v1_ShortestPathResponse>;

  Traverse: grpc.handleUnaryCall<_sochdb_v1_TraverseRequest__Output, _sochdb_v1_TraverseResponse>;
}

export interface GraphServiceDefinition extends grpc.ServiceDefinition {
  AddEdge: MethodDefinition<_sochdb_v1_AddEdgeRequest, _sochdb_v1_GraphEdge, _sochdb_v1_AddEdgeRequest__Output, _sochdb_v1_GraphEdge__Output>;
  AddNode: MethodDefinition<_sochdb_v1_AddNodeRequest, _sochdb_v1_GraphNode, _sochdb_v1_AddNodeRequest__Output, _sochdb_v1_GraphNode__Output>;
  AddTemporalEdge: MethodDefinition<
    _sochdb_v1_AddTemporalEdgeRequest,
    _sochdb_v1_TemporalEdge,
    _sochdb_v1_AddTemporalEdgeRequest__Output,
    _sochdb_v1_TemporalEdge__Output
  >;
  DeleteEdge: MethodDefinition<_sochdb_v1_EdgeRef, _sochdb_v1_DeletedResponse, _sochdb_v1_EdgeRef__Output, _sochdb_v1_DeletedResponse__Output>;
  DeleteNode: MethodDefinition<_sochdb_v1_NodeRef, _sochdb_v1_DeletedResponse, _sochdb_v1_NodeRef__Output, _sochdb_v1_DeletedResponse__Output>;
  EndTemporalEdge: MethodDefinition<
    _sochdb_v1_EndTemporalEdgeRequest,
    _sochdb_v1_TemporalEdge,
    _sochdb_v1_EndTemporalEdgeRequest__Output,
    _sochdb_v1_TemporalEdge__Output
  >;
  GetEdges: MethodDefinition<_sochdb_v1_EdgeQuery, _sochdb_v1_GetEdgesResponse, _sochdb_v1_EdgeQuery__Output, _sochdb_v1_GetEdgesResponse__Output>;
  GetNode: MethodDefinition<_sochdb_v1_NodeRef, _sochdb_v1_GetNodeResponse, _sochdb_v1_NodeRef__Output, _sochdb_v1_GetNodeResponse__Output>;
  Neighbors: MethodDefinition<_sochdb_v1_EdgeQuery, _sochdb_v1_NeighborsResponse, _sochdb_v1_EdgeQuery__Output, _sochdb_v1_NeighborsResponse__Output>;
  QueryTemporalGraph: MethodDefinition<
    _sochdb_v1_TemporalQueryRequest,
    _sochdb_v1_TemporalQueryResponse,
    _sochdb_v1_TemporalQueryRequest__Output,
    _sochdb_v1_TemporalQueryResponse__Output
  >;
  ShortestPath: MethodDefinition<
    _sochdb_v1_ShortestPathRequest,
    _sochdb_v1_ShortestPathResponse,
    _sochdb_v1_ShortestPathRequest__Output,
    _sochdb_v1_ShortestPathResponse__Output
  >;
  Traverse: MethodDefinition<_sochdb_v1_TraverseRequest, _sochdb_v1_TraverseResponse, _sochdb_v1_TraverseRequest__Output, _sochdb_v1_TraverseResponse__Output>;
}
