// Original file: proto/sochdb.proto

import type * as grpc from '@grpc/grpc-js';
import type { MethodDefinition } from '@grpc/proto-loader';
import type {
  InsertResponse as _sochdb_v1_InsertResponse,
  InsertResponse__Output as _sochdb_v1_InsertResponse__Output,
} from '../../sochdb/v1/InsertResponse.js';
import type {
  SearchResponse as _sochdb_v1_SearchResponse,
  SearchResponse__Output as _sochdb_v1_SearchResponse__Output,
} from '../../sochdb/v1/SearchResponse.js';
import type {
  VectorInsertBatchRequest as _sochdb_v1_VectorInsertBatchRequest,
  VectorInsertBatchRequest__Output as _sochdb_v1_VectorInsertBatchRequest__Output,
} from '../../sochdb/v1/VectorInsertBatchRequest.js';
import type {
  VectorSearchRequest as _sochdb_v1_VectorSearchRequest,
  VectorSearchRequest__Output as _sochdb_v1_VectorSearchRequest__Output,
} from '../../sochdb/v1/VectorSearchRequest.js';

export interface VectorIndexServiceClient extends grpc.Client {
  InsertBatch(
    argument: _sochdb_v1_VectorInsertBatchRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_InsertResponse__Output>,
  ): grpc.ClientUnaryCall;
  InsertBatch(
    argument: _sochdb_v1_VectorInsertBatchRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_sochdb_v1_InsertResponse__Output>,
  ): grpc.ClientUnaryCall;
  InsertBatch(
    argument: _sochdb_v1_VectorInsertBatchRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_InsertResponse__Output>,
  ): grpc.ClientUnaryCall;
  InsertBatch(argument: _sochdb_v1_VectorInsertBatchRequest, callback: grpc.requestCallback<_sochdb_v1_InsertResponse__Output>): grpc.ClientUnaryCall;
  insertBatch(
    argument: _sochdb_v1_VectorInsertBatchRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_InsertResponse__Output>,
  ): grpc.ClientUnaryCall;
  insertBatch(
    argument: _sochdb_v1_VectorInsertBatchRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_sochdb_v1_InsertResponse__Output>,
  ): grpc.ClientUnaryCall;
  insertBatch(
    argument: _sochdb_v1_VectorInsertBatchRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_InsertResponse__Output>,
  ): grpc.ClientUnaryCall;
  insertBatch(argument: _sochdb_v1_VectorInsertBatchRequest, callback: grpc.requestCallback<_sochdb_v1_InsertResponse__Output>): grpc.ClientUnaryCall;

  Search(
    argument: _sochdb_v1_VectorSearchRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_SearchResponse__Output>,
  ): grpc.ClientUnaryCall;
  Search(
    argument: _sochdb_v1_VectorSearchRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_sochdb_v1_SearchResponse__Output>,
  ): grpc.ClientUnaryCall;
  Search(
    argument: _sochdb_v1_VectorSearchRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_SearchResponse__Output>,
  ): grpc.ClientUnaryCall;
  Search(argument: _sochdb_v1_VectorSearchRequest, callback: grpc.requestCallback<_sochdb_v1_SearchResponse__Output>): grpc.ClientUnaryCall;
  search(
    argument: _sochdb_v1_VectorSearchRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_SearchResponse__Output>,
  ): grpc.ClientUnaryCall;
  search(
    argument: _sochdb_v1_VectorSearchRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_sochdb_v1_SearchResponse__Output>,
  ): grpc.ClientUnaryCall;
  search(
    argument: _sochdb_v1_VectorSearchRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_SearchResponse__Output>,
  ): grpc.ClientUnaryCall;
  search(argument: _sochdb_v1_VectorSearchRequest, callback: grpc.requestCallback<_sochdb_v1_SearchResponse__Output>): grpc.ClientUnaryCall;
}

export interface VectorIndexServiceHandlers extends grpc.UntypedServiceImplementation {
  InsertBatch: grpc.handleUnaryCall<_sochdb_v1_VectorInsertBatchRequest__Output, _sochdb_v1_InsertResponse>;

  Search: grpc.handleUnaryCall<_sochdb_v1_VectorSearchRequest__Output, _sochdb_v1_SearchResponse>;
}

export interface VectorIndexServiceDefinition extends grpc.ServiceDefinition {
  InsertBatch: MethodDefinition<
    _sochdb_v1_VectorInsertBatchRequest,
    _sochdb_v1_InsertResponse,
    _sochdb_v1_VectorInsertBatchRequest__Output,
    _sochdb_v1_InsertResponse__Output
  >;
  Search: MethodDefinition<
    _sochdb_v1_VectorSearchRequest,
    _sochdb_v1_SearchResponse,
    _sochdb_v1_VectorSearchRequest__Output,
    _sochdb_v1_SearchResponse__Output
  >;
}
