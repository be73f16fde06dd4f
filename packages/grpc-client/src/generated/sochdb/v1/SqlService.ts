// Original file: proto/sochdb.proto

import type * as grpc from '@grpc/grpc-js';
import type { MethodDefinition } from '@grpc/proto-loader';
import type { SqlRequest as _sochdb_v1_SqlRequest, SqlRequest__Output as _sochdb_v1_SqlRequest__Output } from '../../sochdb/v1/SqlRequest.js';
import type { SqlResponse as _sochdb_v1_SqlResponse, SqlResponse__Output as _sochdb_v1_SqlResponse__Output } from '../../sochdb/v1/SqlResponse.js';

export interface SqlServiceClient extends grpc.Client {
  Execute(
    argument: _sochdb_v1_SqlRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_SqlResponse__Output>,
  ): grpc.ClientUnaryCall;
  Execute(argument: _sochdb_v1_SqlRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_sochdb_v1_SqlResponse__Output>): grpc.ClientUnaryCall;
  Execute(argument: _sochdb_v1_SqlRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_sochdb_v1_SqlResponse__Output>): grpc.ClientUnaryCall;
  Execute(argument: _sochdb_v1_SqlRequest, callback: grpc.requestCallback<_sochdb_v1_SqlResponse__Output>): grpc.ClientUnaryCall;
  execute(
    argument: _sochdb_v1_SqlRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_SqlResponse__Output>,
  ): grpc.ClientUnaryCall;
  execute(argument: _sochdb_v1_SqlRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_sochdb_v1_SqlResponse__Output>): grpc.ClientUnaryCall;
  execute(argument: _sochdb_v1_SqlRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_sochdb_v1_SqlResponse__Output>): grpc.ClientUnaryCall;
  execute(argument: _sochdb_v1_SqlRequest, callback: grpc.requestCallback<_sochdb_v1_SqlResponse__Output>): grpc.ClientUnaryCall;
}

export interface SqlServiceHandlers extends grpc.UntypedServiceImplementation {
  Execute: grpc.handleUnaryCall<_sochdb_v1_SqlRequest__Output, _sochdb_v1_SqlResponse>;
}

export interface SqlServiceDefinition extends grpc.ServiceDefinition {
  Execute: MethodDefinition<_sochdb_v1_SqlRequest, _sochdb_v1_SqlResponse, _sochdb_v1_SqlRequest__Output, _sochdb_v1_SqlResponse__Output>;
}
