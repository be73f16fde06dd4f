// Original file: proto/sochdb.proto

import type * as grpc from '@grpc/grpc-js';
import type { MethodDefinition } from '@grpc/proto-loader';
import type { ClaimRequest as _sochdb_v1_ClaimRequest, ClaimRequest__Output as _sochdb_v1_ClaimRequest__Output } from '../../sochdb/v1/ClaimRequest.js';
import type { ClaimResponse as _sochdb_v1_ClaimResponse, ClaimResponse__Output as _sochdb_v1_ClaimResponse__Output } from '../../sochdb/v1/ClaimResponse.js';
import type {
  DequeueRequest as _sochdb_v1_DequeueRequest,
  DequeueRequest__Output as _sochdb_v1_DequeueRequest__Output,
} from '../../sochdb/v1/DequeueRequest.js';
import type {
  DequeueResponse as _sochdb_v1_DequeueResponse,
  DequeueResponse__Output as _sochdb_v1_DequeueResponse__Output,
} from '../../sochdb/v1/DequeueResponse.js';
import type {
  EnqueueRequest as _sochdb_v1_EnqueueRequest,
  EnqueueRequest__Output as _sochdb_v1_EnqueueRequest__Output,
} from '../../sochdb/v1/EnqueueRequest.js';
import type {
  EnqueueResponse as _sochdb_v1_EnqueueResponse,
  EnqueueResponse__Output as _sochdb_v1_EnqueueResponse__Output,
} from '../../sochdb/v1/EnqueueResponse.js';
import type {
  ExtendVisibilityRequest as _sochdb_v1_ExtendVisibilityRequest,
  ExtendVisibilityRequest__Output as _sochdb_v1_ExtendVisibilityRequest__Output,
} from '../../sochdb/v1/ExtendVisibilityRequest.js';
import type {
  ExtendVisibilityResponse as _sochdb_v1_ExtendVisibilityResponse,
  ExtendVisibilityResponse__Output as _sochdb_v1_ExtendVisibilityResponse__Output,
} from '../../sochdb/v1/ExtendVisibilityResponse.js';
import type {
  GetTaskRequest as _sochdb_v1_GetTaskRequest,
  GetTaskRequest__Output as _sochdb_v1_GetTaskRequest__Output,
} from '../../sochdb/v1/GetTaskRequest.js';
import type {
  GetTaskResponse as _sochdb_v1_GetTaskResponse,
  GetTaskResponse__Output as _sochdb_v1_GetTaskResponse__Output,
} from '../../sochdb/v1/GetTaskResponse.js';
import type { NackRequest as _sochdb_v1_NackRequest, NackRequest__Output as _sochdb_v1_NackRequest__Output } from '../../sochdb/v1/NackRequest.js';
import type { PurgeRequest as _sochdb_v1_PurgeRequest, PurgeRequest__Output as _sochdb_v1_PurgeRequest__Output } from '../../sochdb/v1/PurgeRequest.js';
import type { PurgeResponse as _sochdb_v1_PurgeResponse, PurgeResponse__Output as _sochdb_v1_PurgeResponse__Output } from '../../sochdb/v1/PurgeResponse.js';
import type { QueueRef as _sochdb_v1_QueueRef, QueueRef__Output as _sochdb_v1_QueueRef__Output } from '../../sochdb/v1/QueueRef.js';
import type { QueueStats as _sochdb_v1_QueueStats, QueueStats__Output as _sochdb_v1_QueueStats__Output } from '../../sochdb/v1/QueueStats.js';
import type {
  RemoveTaskRequest as _sochdb_v1_RemoveTaskRequest,
  RemoveTaskRequest__Output as _sochdb_v1_RemoveTaskRequest__Output,
} from '../../sochdb/v1/RemoveTaskRequest.js';
import type { TaskList as _sochdb_v1_TaskList, TaskList__Output as _sochdb_v1_TaskList__Output } from '../../sochdb/v1/TaskList.js';
import type { TopKRequest as _sochdb_v1_TopKRequest, TopKRequest__Output as _sochdb_v1_TopKRequest__Output } from '../../sochdb/v1/TopKRequest.js';

export interface QueueServiceClient extends grpc.Client {
  Ack(
    argument: _sochdb_v1_ClaimRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_ClaimResponse__Output>,
  ): grpc.ClientUnaryCall;
  Ack(argument: _sochdb_v1_ClaimRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_sochdb_v1_ClaimResponse__Output>): grpc.ClientUnaryCall;
  Ack(argument: _sochdb_v1_ClaimRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_sochdb_v1_ClaimResponse__Output>): grpc.ClientUnaryCall;
  Ack(argument: _sochdb_v1_ClaimRequest, callback: grpc.requestCallback<_sochdb_v1_ClaimResponse__Output>): grpc.ClientUnaryCall;
  ack(
    argument: _sochdb_v1_ClaimRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_ClaimResponse__Output>,
  ): grpc.ClientUnaryCall;
  ack(argument: _sochdb_v1_ClaimRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_sochdb_v1_ClaimResponse__Output>): grpc.ClientUnaryCall;
  ack(argument: _sochdb_v1_ClaimRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_sochdb_v1_ClaimResponse__Output>): grpc.ClientUnaryCall;
  ack(argument: _sochdb_v1_ClaimRequest, callback: grpc.requestCallback<_sochdb_v1_ClaimResponse__Output>): grpc.ClientUnaryCall;

  Dequeue(
    argument: _sochdb_v1_DequeueRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_DequeueResponse__Output>,
  ): grpc.ClientUnaryCall;
  Dequeue(
    argument: _sochdb_v1_DequeueRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_sochdb_v1_DequeueResponse__Output>,
  ): grpc.ClientUnaryCall;
  Dequeue(
    argument: _sochdb_v1_DequeueRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_DequeueResponse__Output>,
  ): grpc.ClientUnaryCall;
  Dequeue(argument: _sochdb_v1_DequeueRequest, callback: grpc.requestCallback<_sochdb_v1_DequeueResponse__Output>): grpc.ClientUnaryCall;
  dequeue(
    argument: _sochdb_v1_DequeueRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_DequeueResponse__Output>,
  ): grpc.ClientUnaryCall;
  dequeue(
    argument: _sochdb_v1_DequeueRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_sochdb_v1_DequeueResponse__Output>,
  ): grpc.ClientUnaryCall;
  dequeue(
    argument: _sochdb_v1_DequeueRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_DequeueResponse__Output>,
  ): grpc.ClientUnaryCall;
  dequeue(argument: _sochdb_v1_DequeueRequest, callback: grpc.requestCallback<_sochdb_v1_DequeueResponse__Output>): grpc.ClientUnaryCall;

  Enqueue(
    argument: _sochdb_v1_EnqueueRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_EnqueueResponse__Output>,
  ): grpc.ClientUnaryCall;
  Enqueue(
    argument: _sochdb_v1_EnqueueRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_sochdb_v1_EnqueueResponse__Output>,
  ): grpc.ClientUnaryCall;
  Enqueue(
    argument: _sochdb_v1_EnqueueRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_EnqueueResponse__Output>,
  ): grpc.ClientUnaryCall;
  Enqueue(argument: _sochdb_v1_EnqueueRequest, callback: grpc.requestCallback<_sochdb_v1_EnqueueResponse__Output>): grpc.ClientUnaryCall;
  enqueue(
    argument: _sochdb_v1_EnqueueRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_EnqueueResponse__Output>,
  ): grpc.ClientUnaryCall;
  enqueue(
    argument: _sochdb_v1_EnqueueRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_sochdb_v1_EnqueueResponse__Output>,
  ): grpc.ClientUnaryCall;
  enqueue(
    argument: _sochdb_v1_EnqueueRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_EnqueueResponse__Output>,
  ): grpc.ClientUnaryCall;
  enqueue(argument: _sochdb_v1_EnqueueRequest, callback: grpc.requestCallback<_sochdb_v1_EnqueueResponse__Output>): grpc.ClientUnaryCall;

  ExtendVisibility(
    argument: _sochdb_v1_ExtendVisibilityRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_ExtendVisibilityResponse__Output>,
  ): grpc.ClientUnaryCall;
  ExtendVisibility(
    argument: _sochdb_v1_ExtendVisibilityRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_sochdb_v1_ExtendVisibilityResponse__Output>,
  ): grpc.ClientUnaryCall;
  ExtendVisibility(
    argument: _sochdb_v1_ExtendVisibilityRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_ExtendVisibilityResponse__Output>,
  ): grpc.ClientUnaryCall;
  ExtendVisibility(
    argument: _sochdb_v1_ExtendVisibilityRequest,
    callback: grpc.requestCallback<_sochdb_v1_ExtendVisibilityResponse__Output>,
  ): grpc.ClientUnaryCall;
  extendVisibility(
    argument: _sochdb_v1_ExtendVisibilityRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_ExtendVisibilityResponse__Output>,
  ): grpc.ClientUnaryCall;
  extendVisibility(
    argument: _sochdb_v1_ExtendVisibilityRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_sochdb_v1_ExtendVisibilityResponse__Output>,
  ): grpc.ClientUnaryCall;
  extendVisibility(
    argument: _sochdb_v1_ExtendVisibilityRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_ExtendVisibilityResponse__Output>,
  ): grpc.ClientUnaryCall;
  extendVisibility(
    argument: _sochdb_v1_ExtendVisibilityRequest,
    callback: grpc.requestCallback<_sochdb_v1_ExtendVisibilityResponse__Output>,
  ): grpc.ClientUnaryCall;

  GetTask(
    argument: _sochdb_v1_GetTaskRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_GetTaskResponse__Output>,
  ): grpc.ClientUnaryCall;
  GetTask(
    argument: _sochdb_v1_GetTaskRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_sochdb_v1_GetTaskResponse__Output>,
  ): grpc.ClientUnaryCall;
  GetTask(
    argument: _sochdb_v1_GetTaskRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_GetTaskResponse__Output>,
  ): grpc.ClientUnaryCall;
  GetTask(argument: _sochdb_v1_GetTaskRequest, callback: grpc.requestCallback<_sochdb_v1_GetTaskResponse__Output>): grpc.ClientUnaryCall;
  getTask(
    argument: _sochdb_v1_GetTaskRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_GetTaskResponse__Output>,
  ): grpc.ClientUnaryCall;
  getTask(
    argument: _sochdb_v1_GetTaskRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_sochdb_v1_GetTaskResponse__Output>,
  ): grpc.ClientUnaryCall;
  getTask(
    argument: _sochdb_v1_GetTaskRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_GetTaskResponse__Output>,
  ): grpc.ClientUnaryCall;
  getTask(argument: _sochdb_v1_GetTaskRequest, callback: grpc.requestCallback<_sochdb_v1_GetTaskResponse__Output>): grpc.ClientUnaryCall;

  Nack(
    argument: _sochdb_v1_NackRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_ClaimResponse__Output>,
  ): grpc.ClientUnaryCall;
  Nack(argument: _sochdb_v1_NackRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_sochdb_v1_ClaimResponse__Output>): grpc.ClientUnaryCall;
  Nack(argument: _sochdb_v1_NackRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_sochdb_v1_ClaimResponse__Output>): grpc.ClientUnaryCall;
  Nack(argument: _sochdb_v1_NackRequest, callback: grpc.requestCallback<_sochdb_v1_ClaimResponse__Output>): grpc.ClientUnaryCall;
  nack(
    argument: _sochdb_v1_NackRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_ClaimResponse__Output>,
  ): grpc.ClientUnaryCall;
  nack(argument: _sochdb_v1_NackRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_sochdb_v1_ClaimResponse__Output>): grpc.ClientUnaryCall;
  nack(argument: _sochdb_v1_NackRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_sochdb_v1_ClaimResponse__Output>): grpc.ClientUnaryCall;
  nack(argument: _sochdb_v1_NackRequest, callback: grpc.requestCallback<_sochdb_v1_ClaimResponse__Output>): grpc.ClientUnaryCall;

  Purge(
    argument: _sochdb_v1_PurgeRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_PurgeResponse__Output>,
  ): grpc.ClientUnaryCall;
  Purge(argument: _sochdb_v1_PurgeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_sochdb_v1_PurgeResponse__Output>): grpc.ClientUnaryCall;
  Purge(argument: _sochdb_v1_PurgeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_sochdb_v1_PurgeResponse__Output>): grpc.ClientUnaryCall;
  Purge(argument: _sochdb_v1_PurgeRequest, callback: grpc.requestCallback<_sochdb_v1_PurgeResponse__Output>): grpc.ClientUnaryCall;
  purge(
    argument: _sochdb_v1_PurgeRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_PurgeResponse__Output>,
  ): grpc.ClientUnaryCall;
  purge(argument: _sochdb_v1_PurgeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_sochdb_v1_PurgeResponse__Output>): grpc.ClientUnaryCall;
  purge(argument: _sochdb_v1_PurgeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_sochdb_v1_PurgeResponse__Output>): grpc.ClientUnaryCall;
  purge(argument: _sochdb_v1_PurgeRequest, callback: grpc.requestCallback<_sochdb_v1_PurgeResponse__Output>): grpc.ClientUnaryCall;

  Remove(
    argument: _sochdb_v1_RemoveTaskRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_GetTaskResponse__Output>,
  ): grpc.ClientUnaryCall;
  Remove(
    argument: _sochdb_v1_RemoveTaskRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_sochdb_v1_GetTaskResponse__Output>,
  ): grpc.ClientUnaryCall;
  Remove(
    argument: _sochdb_v1_RemoveTaskRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_GetTaskResponse__Output>,
  ): grpc.ClientUnaryCall;
  Remove(argument: _sochdb_v1_RemoveTaskRequest, callback: grpc.requestCallback<_sochdb_v1_GetTaskResponse__Output>): grpc.ClientUnaryCall;
  remove(
    argument: _sochdb_v1_RemoveTaskRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_GetTaskResponse__Output>,
  ): grpc.ClientUnaryCall;
  remove(
    argument: _sochdb_v1_RemoveTaskRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_sochdb_v1_GetTaskResponse__Output>,
  ): grpc.ClientUnaryCall;
  remove(
    argument: _sochdb_v1_RemoveTaskRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_GetTaskResponse__Output>,
  ): grpc.ClientUnaryCall;
  remove(argument: _sochdb_v1_RemoveTaskRequest, callback: grpc.requestCallback<_sochdb_v1_GetTaskResponse__Output>): grpc.ClientUnaryCall;

  Stats(
    argument: _sochdb_v1_QueueRef,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_QueueStats__Output>,
  ): grpc.ClientUnaryCall;
  Stats(argument: _sochdb_v1_QueueRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_sochdb_v1_QueueStats__Output>): grpc.ClientUnaryCall;
  Stats(argument: _sochdb_v1_QueueRef, options: grpc.CallOptions, callback: grpc.requestCallback<_sochdb_v1_QueueStats__Output>): grpc.ClientUnaryCall;
  Stats(argument: _sochdb_v1_QueueRef, callback: grpc.requestCallback<_sochdb_v1_QueueStats__Output>): grpc.ClientUnaryCall;
  stats(
    argument: _sochdb_v1_QueueRef,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_QueueStats__Output>,
  ): grpc.ClientUnaryCall;
  stats(argument: _sochdb_v1_QueueRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_sochdb_v1_QueueStats__Output>): grpc.ClientUnaryCall;
  stats(argument: _sochdb_v1_QueueRef, options: grpc.CallOptions, callback: grpc.requestCallback<_sochdb_v1_QueueStats__Output>): grpc.ClientUnaryCall;
  stats(argument: _sochdb_v1_QueueRef, callback: grpc.requestCallback<_sochdb_v1_QueueStats__Output>): grpc.ClientUnaryCall;

  TopK(
    argument: _sochdb_v1_TopKRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_TaskList__Output>,
  ): grpc.ClientUnaryCall;
  TopK(argument: _sochdb_v1_TopKRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_sochdb_v1_TaskList__Output>): grpc.ClientUnaryCall;
  TopK(argument: _sochdb_v1_TopKRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_sochdb_v1_TaskList__Output>): grpc.ClientUnaryCall;
  TopK(argument: _sochdb_v1_TopKRequest, callback: grpc.requestCallback<_sochdb_v1_TaskList__Output>): grpc.ClientUnaryCall;
  topK(
    argument: _sochdb_v1_TopKRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_TaskList__Output>,
  ): grpc.ClientUnaryCall;
  topK(argument: _sochdb_v1_TopKRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_sochdb_v1_TaskList__Output>): grpc.ClientUnaryCall;
  topK(argument: _sochdb_v1_TopKRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_sochdb_v1_TaskList__Output>): grpc.ClientUnaryCall;
  topK(argument: _sochdb_v1_TopKRequest, callback: grpc.requestCallback<_sochdb_v1_TaskList__Output>): grpc.ClientUnaryCall;
}

export interface QueueServiceHandlers extends grpc.UntypedServiceImplementation {
  Ack: grpc.handleUnaryCall<_sochdb_v1_ClaimRequest__Output, _sochdb_v1_ClaimResponse>;

  Dequeue: grpc.handleUnaryCall<_sochdb_v1_DequeueRequest__Output, _sochdb_v1_DequeueResponse>;

  Enqueue: grpc.handleUnaryCall<_sochdb_v1_EnqueueRequest__Output, _sochdb_v1_EnqueueResponse>;

  ExtendVisibility: grpc.handleUnaryCall<_sochdb_v1_ExtendVisibilityRequest__Output, _sochdb_v1_ExtendVisibilityResponse>;

  GetTask: grpc.handleUnaryCall<_sochdb_v1_GetTaskRequest__Output, _sochdb_v1_GetTaskResponse>;

  Nack: grpc.handleUnaryCall<_sochdb_v1_NackRequest__Output, _sochdb_v1_ClaimResponse>;

  Purge: grpc.handleUnaryCall<_sochdb_v1_PurgeRequest__Output, _sochdb_v1_PurgeResponse>;

  Remove: grpc.handleUnaryCall<_sochdb_v1_RemoveTaskRequest__Output, _sochdb_v1_GetTaskResponse>;

  Stats: grpc.handleUnaryCall<_sochdb_v1_QueueRef__Output, _sochdb_v1_QueueStats>;

  TopK: grpc.handleUnaryCall<_sochdb_v1_TopKRequest__Output, _sochdb_v1_TaskList>;
}

export interface QueueServiceDefinition extends grpc.ServiceDefinition {
  Ack: MethodDefinition<_sochdb_v1_ClaimRequest, _sochdb_v1_ClaimResponse, _sochdb_v1_ClaimRequest__Output, _sochdb_v1_ClaimResponse__Output>;
  Dequeue: MethodDefinition<_sochdb_v1_DequeueRequest, _sochdb_v1_DequeueResponse, _sochdb_v1_DequeueRequest__Output, _sochdb_v1_DequeueResponse__Output>;
  Enqueue: MethodDefinition<_sochdb_v1_EnqueueRequest, _sochdb_v1_EnqueueResponse, _sochdb_v1_EnqueueRequest__Output, _sochdb_v1_EnqueueResponse__Output>;
  ExtendVisibility: MethodDefinition<
    _sochdb_v1_ExtendVisibilityRequest,
    _sochdb_v1_ExtendVisibilityResponse,
    _sochdb_v1_ExtendVisibilityRequest__Output,
    _sochdb_v1_ExtendVisibilityResponse__Output
  >;
  GetTask: MethodDefinition<_sochdb_v1_GetTaskRequest, _sochdb_v1_GetTaskResponse, _sochdb_v1_GetTaskRequest__Output, _sochdb_v1_GetTaskResponse__Output>;
  Nack: MethodDefinition<_sochdb_v1_NackRequest, _sochdb_v1_ClaimResponse, _sochdb_v1_NackRequest__Output, _sochdb_v1_ClaimResponse__Output>;
  Purge: MethodDefinition<_sochdb_v1_PurgeRequest, _sochdb_v1_PurgeResponse, _sochdb_v1_PurgeRequest__Output, _sochdb_v1_PurgeResponse__Output>;
  Remove: MethodDefinition<_sochdb_v1_RemoveTaskRequest, _sochdb_v1_GetTaskResponse, _sochdb_v1_RemoveTaskRequest__Output, _sochdb_v1_GetTaskResponse__Output>;
  Stats: MethodDefinition<_sochdb_v1_QueueRef, _sochdb_v1_QueueStats, _sochdb_v1_QueueRef__Output, _sochdb_v1_QueueStats__Output>;
  TopK: MethodDefinition<_sochdb_v1_TopKRequest, _sochdb_v1_TaskList, _sochdb_v1_TopKRequest__Output, _sochdb_v1_TaskList__Output>;
}
