// Original file: proto/sochdb.proto

import type * as grpc from '@grpc/grpc-js';
import type { MethodDefinition } from '@grpc/proto-loader';
import type {
  CreateNamespaceRequest as _sochdb_v1_CreateNamespaceRequest,
  CreateNamespaceRequest__Output as _sochdb_v1_CreateNamespaceRequest__Output,
} from '../../sochdb/v1/CreateNamespaceRequest.js';
import type {
  DeleteNamespaceRequest as _sochdb_v1_DeleteNamespaceRequest,
  DeleteNamespaceRequest__Output as _sochdb_v1_DeleteNamespaceRequest__Output,
} from '../../sochdb/v1/DeleteNamespaceRequest.js';
import type {
  DeleteNamespaceResponse as _sochdb_v1_DeleteNamespaceResponse,
  DeleteNamespaceResponse__Output as _sochdb_v1_DeleteNamespaceResponse__Output,
} from '../../sochdb/v1/DeleteNamespaceResponse.js';
import type {
  GetNamespaceRequest as _sochdb_v1_GetNamespaceRequest,
  GetNamespaceRequest__Output as _sochdb_v1_GetNamespaceRequest__Output,
} from '../../sochdb/v1/GetNamespaceRequest.js';
import type {
  ListNamespacesRequest as _sochdb_v1_ListNamespacesRequest,
  ListNamespacesRequest__Output as _sochdb_v1_ListNamespacesRequest__Output,
} from '../../sochdb/v1/ListNamespacesRequest.js';
import type {
  ListNamespacesResponse as _sochdb_v1_ListNamespacesResponse,
  ListNamespacesResponse__Output as _sochdb_v1_ListNamespacesResponse__Output,
} from '../../sochdb/v1/ListNamespacesResponse.js';
import type { NamespaceInfo as _sochdb_v1_NamespaceInfo, NamespaceInfo__Output as _sochdb_v1_NamespaceInfo__Output } from '../../sochdb/v1/NamespaceInfo.js';

export interface NamespaceServiceClient extends grpc.Client {
  CreateNamespace(
    argument: _sochdb_v1_CreateNamespaceRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_NamespaceInfo__Output>,
  ): grpc.ClientUnaryCall;
  CreateNamespace(
    argument: _sochdb_v1_CreateNamespaceRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_sochdb_v1_NamespaceInfo__Output>,
  ): grpc.ClientUnaryCall;
  CreateNamespace(
    argument: _sochdb_v1_CreateNamespaceRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_NamespaceInfo__Output>,
  ): grpc.ClientUnaryCall;
  CreateNamespace(argument: _sochdb_v1_CreateNamespaceRequest, callback: grpc.requestCallback<_sochdb_v1_NamespaceInfo__Output>): grpc.ClientUnaryCall;
  createNamespace(
    argument: _sochdb_v1_CreateNamespaceRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_NamespaceInfo__Output>,
  ): grpc.ClientUnaryCall;
  createNamespace(
    argument: _sochdb_v1_CreateNamespaceRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_sochdb_v1_NamespaceInfo__Output>,
  ): grpc.ClientUnaryCall;
  createNamespace(
    argument: _sochdb_v1_CreateNamespaceRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_NamespaceInfo__Output>,
  ): grpc.ClientUnaryCall;
  createNamespace(argument: _sochdb_v1_CreateNamespaceRequest, callback: grpc.requestCallback<_sochdb_v1_NamespaceInfo__Output>): grpc.ClientUnaryCall;

  DeleteNamespace(
    argument: _sochdb_v1_DeleteNamespaceRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_DeleteNamespaceResponse__Output>,
  ): grpc.ClientUnaryCall;
  DeleteNamespace(
    argument: _sochdb_v1_DeleteNamespaceRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_sochdb_v1_DeleteNamespaceResponse__Output>,
  ): grpc.ClientUnaryCall;
  DeleteNamespace(
    argument: _sochdb_v1_DeleteNamespaceRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_DeleteNamespaceResponse__Output>,
  ): grpc.ClientUnaryCall;
  DeleteNamespace(
    argument: _sochdb_v1_DeleteNamespaceRequest,
    callback: grpc.requestCallback<_sochdb_v1_DeleteNamespaceResponse__Output>,
  ): grpc.ClientUnaryCall;
  deleteNamespace(
    argument: _sochdb_v1_DeleteNamespaceRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_DeleteNamespaceResponse__Output>,
  ): grpc.ClientUnaryCall;
  deleteNamespace(
    argument: _sochdb_v1_DeleteNamespaceRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_sochdb_v1_DeleteNamespaceResponse__Output>,
  ): grpc.ClientUnaryCall;
  deleteNamespace(
    argument: _sochdb_v1_DeleteNamespaceRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_DeleteNamespaceResponse__Output>,
  ): grpc.ClientUnaryCall;
  deleteNamespace(
    argument: _sochdb_v1_DeleteNamespaceRequest,
    callback: grpc.requestCallback<_sochdb_v1_DeleteNamespaceResponse__Output>,
  ): grpc.ClientUnaryCall;

  GetNamespace(
    argument: _sochdb_v1_GetNamespaceRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_NamespaceInfo__Output>,
  ): grpc.ClientUnaryCall;
  GetNamespace(
    argument: _sochdb_v1_GetNamespaceRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_sochdb_v1_NamespaceInfo__Output>,
  ): grpc.ClientUnaryCall;
  GetNamespace(
    argument: _sochdb_v1_GetNamespaceRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_NamespaceInfo__Output>,
  ): grpc.ClientUnaryCall;
  GetNamespace(argument: _sochdb_v1_GetNamespaceRequest, callback: grpc.requestCallback<_sochdb_v1_NamespaceInfo__Output>): grpc.ClientUnaryCall;
  getNamespace(
    argument: _sochdb_v1_GetNamespaceRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_NamespaceInfo__Output>,
  ): grpc.ClientUnaryCall;
  getNamespace(
    argument: _sochdb_v1_GetNamespaceRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_sochdb_v1_NamespaceInfo__Output>,
  ): grpc.ClientUnaryCall;
  getNamespace(
    argument: _sochdb_v1_GetNamespaceRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_NamespaceInfo__Output>,
  ): grpc.ClientUnaryCall;
  getNamespace(argument: _sochdb_v1_GetNamespaceRequest, callback: grpc.requestCallback<_sochdb_v1_NamespaceInfo__Output>): grpc.ClientUnaryCall;

  ListNamespaces(
    argument: _sochdb_v1_ListNamespacesRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_ListNamespacesResponse__Output>,
  ): grpc.ClientUnaryCall;
  ListNamespaces(
    argument: _sochdb_v1_ListNamespacesRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_sochdb_v1_ListNamespacesResponse__Output>,
  ): grpc.ClientUnaryCall;
  ListNamespaces(
    argument: _sochdb_v1_ListNamespacesRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_ListNamespacesResponse__Output>,
  ): grpc.ClientUnaryCall;
  ListNamespaces(argument: _sochdb_v1_ListNamespacesRequest, callback: grpc.requestCallback<_sochdb_v1_ListNamespacesResponse__Output>): grpc.ClientUnaryCall;
  listNamespaces(
    argument: _sochdb_v1_ListNamespacesRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_ListNamespacesResponse__Output>,
  ): grpc.ClientUnaryCall;
  listNamespaces(
    argument: _sochdb_v1_ListNamespacesRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_sochdb_v1_ListNamespacesResponse__Output>,
  ): grpc.ClientUnaryCall;
  listNamespaces(
    argument: _sochdb_v1_ListNamespacesRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_ListNamespacesResponse__Output>,
  ): grpc.ClientUnaryCall;
  listNamespaces(argument: _sochdb_v1_ListNamespacesRequest, callback: grpc.requestCallback<_sochdb_v1_ListNamespacesResponse__Output>): grpc.ClientUnaryCall;
}

export interface NamespaceServiceHandlers extends grpc.UntypedServiceImplementation {
  CreateNamespace: grpc.handleUnaryCall<_sochdb_v1_CreateNamespaceRequest__Output, _sochdb_v1_NamespaceInfo>;

  DeleteNamespace: grpc.handleUnaryCall<_sochdb_v1_DeleteNamespaceRequest__Output, _sochdb_v1_DeleteNamespaceResponse>;

  GetNamespace: grpc.handleUnaryCall<_sochdb_v1_GetNamespaceRequest__Output, _sochdb_v1_NamespaceInfo>;

  ListNamespaces: grpc.handleUnaryCall<_sochdb_v1_ListNamespacesRequest__Output, _sochdb_v1_ListNamespacesResponse>;
}

export interface NamespaceServiceDefinition extends grpc.ServiceDefinition {
  CreateNamespace: MethodDefinition<
    _sochdb_v1_CreateNamespaceRequest,
    _sochdb_v1_NamespaceInfo,
    _sochdb_v1_CreateNamespaceRequest__Output,
    _sochdb_v1_NamespaceInfo__Output
  >;
  DeleteNamespace: MethodDefinition<
    _sochdb_v1_DeleteNamespaceRequest,
    _sochdb_v1_DeleteNamespaceResponse,
    _sochdb_v1_DeleteNamespaceRequest__Output,
    _sochdb_v1_DeleteNamespaceResponse__Output
  >;
  GetNamespace: MethodDefinition<
    _sochdb_v1_GetNamespaceRequest,
    _sochdb_v1_NamespaceInfo,
    _sochdb_v1_GetNamespaceRequest__Output,
    _sochdb_v1_NamespaceInfo__Output
  >;
  ListNamespaces: MethodDefinition<
    _sochdb_v1_ListNamespacesRequest,
    _sochdb_v1_ListNamespacesResponse,
    _sochdb_v1_ListNamespacesRequest__Output,
    _sochdb_v1_ListNamespacesResponse__Output
  >;
}
