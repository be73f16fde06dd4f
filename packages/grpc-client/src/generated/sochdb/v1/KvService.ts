// Original file: proto/sochdb.proto

import type * as grpc from '@grpc/grpc-js';
import type { MethodDefinition } from '@grpc/proto-loader';
import type {
  KvDeleteRequest as _sochdb_v1_KvDeleteRequest,
  KvDeleteRequest__Output as _sochdb_v1_KvDeleteRequest__Output,
} from '../../sochdb/v1/KvDeleteRequest.js';
import type {
  KvDeleteResponse as _sochdb_v1_KvDeleteResponse,
  KvDeleteResponse__Output as _sochdb_v1_KvDeleteResponse__Output,
} from '../../sochdb/v1/KvDeleteResponse.js';
import type { KvEntry as _sochdb_v1_KvEntry, KvEntry__Output as _sochdb_v1_KvEntry__Output } from '../../sochdb/v1/KvEntry.js';
import type { KvGetRequest as _sochdb_v1_KvGetRequest, KvGetRequest__Output as _sochdb_v1_KvGetRequest__Output } from '../../sochdb/v1/KvGetRequest.js';
import type { KvGetResponse as _sochdb_v1_KvGetResponse, KvGetResponse__Output as _sochdb_v1_KvGetResponse__Output } from '../../sochdb/v1/KvGetResponse.js';
import type { KvPutRequest as _sochdb_v1_KvPutRequest, KvPutRequest__Output as _sochdb_v1_KvPutRequest__Output } from '../../sochdb/v1/KvPutRequest.js';
import type { KvPutResponse as _sochdb_v1_KvPutResponse, KvPutResponse__Output as _sochdb_v1_KvPutResponse__Output } from '../../sochdb/v1/KvPutResponse.js';
import type { KvScanRequest as _sochdb_v1_KvScanRequest, KvScanRequest__Output as _sochdb_v1_KvScanRequest__Output } from '../../sochdb/v1/KvScanRequest.js';

export interface KvServiceClient extends grpc.Client {
  Delete(
    argument: _sochdb_v1_KvDeleteRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_KvDeleteResponse__Output>,
  ): grpc.ClientUnaryCall;
  Delete(
    argument: _sochdb_v1_KvDeleteRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_sochdb_v1_KvDeleteResponse__Output>,
  ): grpc.ClientUnaryCall;
  Delete(
    argument: _sochdb_v1_KvDeleteRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_KvDeleteResponse__Output>,
  ): grpc.ClientUnaryCall;
  Delete(argument: _sochdb_v1_KvDeleteRequest, callback: grpc.requestCallback<_sochdb_v1_KvDeleteResponse__Output>): grpc.ClientUnaryCall;
  delete(
    argument: _sochdb_v1_KvDeleteRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_KvDeleteResponse__Output>,
  ): grpc.ClientUnaryCall;
  delete(
    argument: _sochdb_v1_KvDeleteRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_sochdb_v1_KvDeleteResponse__Output>,
  ): grpc.ClientUnaryCall;
  delete(
    argument: _sochdb_v1_KvDeleteRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_KvDeleteResponse__Output>,
  ): grpc.ClientUnaryCall;
  delete(argument: _sochdb_v1_KvDeleteRequest, callback: grpc.requestCallback<_sochdb_v1_KvDeleteResponse__Output>): grpc.ClientUnaryCall;

  Get(
    argument: _sochdb_v1_KvGetRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_KvGetResponse__Output>,
  ): grpc.ClientUnaryCall;
  Get(argument: _sochdb_v1_KvGetRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_sochdb_v1_KvGetResponse__Output>): grpc.ClientUnaryCall;
  Get(argument: _sochdb_v1_KvGetRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_sochdb_v1_KvGetResponse__Output>): grpc.ClientUnaryCall;
  Get(argument: _sochdb_v1_KvGetRequest, callback: grpc.requestCallback<_sochdb_v1_KvGetResponse__Output>): grpc.ClientUnaryCall;
  get(
    argument: _sochdb_v1_KvGetRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_KvGetResponse__Output>,
  ): grpc.ClientUnaryCall;
  get(argument: _sochdb_v1_KvGetRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_sochdb_v1_KvGetResponse__Output>): grpc.ClientUnaryCall;
  get(argument: _sochdb_v1_KvGetRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_sochdb_v1_KvGetResponse__Output>): grpc.ClientUnaryCall;
  get(argument: _sochdb_v1_KvGetRequest, callback: grpc.requestCallback<_sochdb_v1_KvGetResponse__Output>): grpc.ClientUnaryCall;

  Put(
    argument: _sochdb_v1_KvPutRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_KvPutResponse__Output>,
  ): grpc.ClientUnaryCall;
  Put(argument: _sochdb_v1_KvPutRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_sochdb_v1_KvPutResponse__Output>): grpc.ClientUnaryCall;
  Put(argument: _sochdb_v1_KvPutRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_sochdb_v1_KvPutResponse__Output>): grpc.ClientUnaryCall;
  Put(argument: _sochdb_v1_KvPutRequest, callback: grpc.requestCallback<_sochdb_v1_KvPutResponse__Output>): grpc.ClientUnaryCall;
  put(
    argument: _sochdb_v1_KvPutRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_KvPutResponse__Output>,
  ): grpc.ClientUnaryCall;
  put(argument: _sochdb_v1_KvPutRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_sochdb_v1_KvPutResponse__Output>): grpc.ClientUnaryCall;
  put(argument: _sochdb_v1_KvPutRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_sochdb_v1_KvPutResponse__Output>): grpc.ClientUnaryCall;
  put(argument: _sochdb_v1_KvPutRequest, callback: grpc.requestCallback<_sochdb_v1_KvPutResponse__Output>): grpc.ClientUnaryCall;

  Scan(argument: _sochdb_v1_KvScanRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_sochdb_v1_KvEntry__Output>;
  Scan(argument: _sochdb_v1_KvScanRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_sochdb_v1_KvEntry__Output>;
  scan(argument: _sochdb_v1_KvScanRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_sochdb_v1_KvEntry__Output>;
  scan(argument: _sochdb_v1_KvScanRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_sochdb_v1_KvEntry__Output>;
}

export interface KvServiceHandlers extends grpc.UntypedServiceImplementation {
  Delete: grpc.handleUnaryCall<_sochdb_v1_KvDeleteRequest__Output, _sochdb_v1_KvDeleteResponse>;

  Get: grpc.handleUnaryCall<_sochdb_v1_KvGetRequest__Output, _sochdb_v1_KvGetResponse>;

  Put: grpc.handleUnaryCall<_sochdb_v1_KvPutRequest__Output, _sochdb_v1_KvPutResponse>;

  Scan: grpc.handleServerStreamingCall<_sochdb_v1_KvScanRequest__Output, _sochdb_v1_KvEntry>;
}

export interface KvServiceDefinition extends grpc.ServiceDefinition {
  Delete: MethodDefinition<_sochdb_v1_KvDeleteRequest, _sochdb_v1_KvDeleteResponse, _sochdb_v1_KvDeleteRequest__Output, _sochdb_v1_KvDeleteResponse__Output>;
  Get: MethodDefinition<_sochdb_v1_KvGetRequest, _sochdb_v1_KvGetResponse, _sochdb_v1_KvGetRequest__Output, _sochdb_v1_KvGetResponse__Output>;
  Put: MethodDefinition<_sochdb_v1_KvPutRequest, _sochdb_v1_KvPutResponse, _sochdb_v1_KvPutRequest__Output, _sochdb_v1_KvPutResponse__Output>;
  Scan: MethodDefinition<_sochdb_v1_KvScanRequest, _sochdb_v1_KvEntry, _sochdb_v1_KvScanRequest__Output, _sochdb_v1_KvEntry__Output>;
}
