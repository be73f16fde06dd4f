// Original file: proto/sochdb.proto

import type * as grpc from '@grpc/grpc-js';
import type { MethodDefinition } from '@grpc/proto-loader';
import type {
  CollectionInfo as _sochdb_v1_CollectionInfo,
  CollectionInfo__Output as _sochdb_v1_CollectionInfo__Output,
} from '../../sochdb/v1/CollectionInfo.js';
import type { CollectionRef as _sochdb_v1_CollectionRef, CollectionRef__Output as _sochdb_v1_CollectionRef__Output } from '../../sochdb/v1/CollectionRef.js';
import type { CountResponse as _sochdb_v1_CountResponse, CountResponse__Output as _sochdb_v1_CountResponse__Output } from '../../sochdb/v1/CountResponse.js';
import type {
  CreateCollectionRequest as _sochdb_v1_CreateCollectionRequest,
  CreateCollectionRequest__Output as _sochdb_v1_CreateCollectionRequest__Output,
} from '../../sochdb/v1/CreateCollectionRequest.js';
import type {
  DeleteCollectionResponse as _sochdb_v1_DeleteCollectionResponse,
  DeleteCollectionResponse__Output as _sochdb_v1_DeleteCollectionResponse__Output,
} from '../../sochdb/v1/DeleteCollectionResponse.js';
import type {
  DeleteDocumentResponse as _sochdb_v1_DeleteDocumentResponse,
  DeleteDocumentResponse__Output as _sochdb_v1_DeleteDocumentResponse__Output,
} from '../../sochdb/v1/DeleteDocumentResponse.js';
import type { DocumentRef as _sochdb_v1_DocumentRef, DocumentRef__Output as _sochdb_v1_DocumentRef__Output } from '../../sochdb/v1/DocumentRef.js';
import type {
  GetDocumentResponse as _sochdb_v1_GetDocumentResponse,
  GetDocumentResponse__Output as _sochdb_v1_GetDocumentResponse__Output,
} from '../../sochdb/v1/GetDocumentResponse.js';
import type { InsertRequest as _sochdb_v1_InsertRequest, InsertRequest__Output as _sochdb_v1_InsertRequest__Output } from '../../sochdb/v1/InsertRequest.js';
import type {
  InsertResponse as _sochdb_v1_InsertResponse,
  InsertResponse__Output as _sochdb_v1_InsertResponse__Output,
} from '../../sochdb/v1/InsertResponse.js';
import type {
  ListCollectionsRequest as _sochdb_v1_ListCollectionsRequest,
  ListCollectionsRequest__Output as _sochdb_v1_ListCollectionsRequest__Output,
} from '../../sochdb/v1/ListCollectionsRequest.js';
import type {
  ListCollectionsResponse as _sochdb_v1_ListCollectionsResponse,
  ListCollectionsResponse__Output as _sochdb_v1_ListCollectionsResponse__Output,
} from '../../sochdb/v1/ListCollectionsResponse.js';
import type { SearchRequest as _sochdb_v1_SearchRequest, SearchRequest__Output as _sochdb_v1_SearchRequest__Output } from '../../sochdb/v1/SearchRequest.js';
import type {
  SearchResponse as _sochdb_v1_SearchResponse,
  SearchResponse__Output as _sochdb_v1_SearchResponse__Output,
} from '../../sochdb/v1/SearchResponse.js';

export interface CollectionServiceClient extends grpc.Client {
  Count(
    argument: _sochdb_v1_CollectionRef,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_CountResponse__Output>,
  ): grpc.ClientUnaryCall;
  Count(argument: _sochdb_v1_CollectionRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_sochdb_v1_CountResponse__Output>): grpc.ClientUnaryCall;
  Count(argument: _sochdb_v1_CollectionRef, options: grpc.CallOptions, callback: grpc.requestCallback<_sochdb_v1_CountResponse__Output>): grpc.ClientUnaryCall;
  Count(argument: _sochdb_v1_CollectionRef, callback: grpc.requestCallback<_sochdb_v1_CountResponse__Output>): grpc.ClientUnaryCall;
  count(
    argument: _sochdb_v1_CollectionRef,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_CountResponse__Output>,
  ): grpc.ClientUnaryCall;
  count(argument: _sochdb_v1_CollectionRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_sochdb_v1_CountResponse__Output>): grpc.ClientUnaryCall;
  count(argument: _sochdb_v1_CollectionRef, options: grpc.CallOptions, callback: grpc.requestCallback<_sochdb_v1_CountResponse__Output>): grpc.ClientUnaryCall;
  count(argument: _sochdb_v1_CollectionRef, callback: grpc.requestCallback<_sochdb_v1_CountResponse__Output>): grpc.ClientUnaryCall;

  CreateCollection(
    argument: _sochdb_v1_CreateCollectionRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_CollectionInfo__Output>,
  ): grpc.ClientUnaryCall;
  CreateCollection(
    argument: _sochdb_v1_CreateCollectionRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_sochdb_v1_CollectionInfo__Output>,
  ): grpc.ClientUnaryCall;
  CreateCollection(
    argument: _sochdb_v1_CreateCollectionRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_CollectionInfo__Output>,
  ): grpc.ClientUnaryCall;
  CreateCollection(argument: _sochdb_v1_CreateCollectionRequest, callback: grpc.requestCallback<_sochdb_v1_CollectionInfo__Output>): grpc.ClientUnaryCall;
  createCollection(
    argument: _sochdb_v1_CreateCollectionRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_CollectionInfo__Output>,
  ): grpc.ClientUnaryCall;
  createCollection(
    argument: _sochdb_v1_CreateCollectionRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_sochdb_v1_CollectionInfo__Output>,
  ): grpc.ClientUnaryCall;
  createCollection(
    argument: _sochdb_v1_CreateCollectionRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_CollectionInfo__Output>,
  ): grpc.ClientUnaryCall;
  createCollection(argument: _sochdb_v1_CreateCollectionRequest, callback: grpc.requestCallback<_sochdb_v1_CollectionInfo__Output>): grpc.ClientUnaryCall;

  DeleteCollection(
    argument: _sochdb_v1_CollectionRef,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_DeleteCollectionResponse__Output>,
  ): grpc.ClientUnaryCall;
  DeleteCollection(
    argument: _sochdb_v1_CollectionRef,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_sochdb_v1_DeleteCollectionResponse__Output>,
  ): grpc.ClientUnaryCall;
  DeleteCollection(
    argument: _sochdb_v1_CollectionRef,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_DeleteCollectionResponse__Output>,
  ): grpc.ClientUnaryCall;
  DeleteCollection(argument: _sochdb_v1_CollectionRef, callback: grpc.requestCallback<_sochdb_v1_DeleteCollectionResponse__Output>): grpc.ClientUnaryCall;
  deleteCollection(
    argument: _sochdb_v1_CollectionRef,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_DeleteCollectionResponse__Output>,
  ): grpc.ClientUnaryCall;
  deleteCollection(
    argument: _sochdb_v1_CollectionRef,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_sochdb_v1_DeleteCollectionResponse__Output>,
  ): grpc.ClientUnaryCall;
  deleteCollection(
    argument: _sochdb_v1_CollectionRef,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_DeleteCollectionResponse__Output>,
  ): grpc.ClientUnaryCall;
  deleteCollection(argument: _sochdb_v1_CollectionRef, callback: grpc.requestCallback<_sochdb_v1_DeleteCollectionResponse__Output>): grpc.ClientUnaryCall;

  DeleteDocument(
    argument: _sochdb_v1_DocumentRef,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_DeleteDocumentResponse__Output>,
  ): grpc.ClientUnaryCall;
  DeleteDocument(
    argument: _sochdb_v1_DocumentRef,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_sochdb_v1_DeleteDocumentResponse__Output>,
  ): grpc.ClientUnaryCall;
  DeleteDocument(
    argument: _sochdb_v1_DocumentRef,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_DeleteDocumentResponse__Output>,
  ): grpc.ClientUnaryCall;
  DeleteDocument(argument: _sochdb_v1_DocumentRef, callback: grpc.requestCallback<_sochdb_v1_DeleteDocumentResponse__Output>): grpc.ClientUnaryCall;
  deleteDocument(
    argument: _sochdb_v1_DocumentRef,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_DeleteDocumentResponse__Output>,
  ): grpc.ClientUnaryCall;
  deleteDocument(
    argument: _sochdb_v1_DocumentRef,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_sochdb_v1_DeleteDocumentResponse__Output>,
  ): grpc.ClientUnaryCall;
  deleteDocument(
    argument: _sochdb_v1_DocumentRef,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_DeleteDocumentResponse__Output>,
  ): grpc.ClientUnaryCall;
  deleteDocument(argument: _sochdb_v1_DocumentRef, callback: grpc.requestCallback<_sochdb_v1_DeleteDocumentResponse__Output>): grpc.ClientUnaryCall;

  GetCollection(
    argument: _sochdb_v1_CollectionRef,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_CollectionInfo__Output>,
  ): grpc.ClientUnaryCall;
  GetCollection(
    argument: _sochdb_v1_CollectionRef,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_sochdb_v1_CollectionInfo__Output>,
  ): grpc.ClientUnaryCall;
  GetCollection(
    argument: _sochdb_v1_CollectionRef,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_CollectionInfo__Output>,
  ): grpc.ClientUnaryCall;
  GetCollection(argument: _sochdb_v1_CollectionRef, callback: grpc.requestCallback<_sochdb_v1_CollectionInfo__Output>): grpc.ClientUnaryCall;
  getCollection(
    argument: _sochdb_v1_CollectionRef,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_CollectionInfo__Output>,
  ): grpc.ClientUnaryCall;
  getCollection(
    argument: _sochdb_v1_CollectionRef,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_sochdb_v1_CollectionInfo__Output>,
  ): grpc.ClientUnaryCall;
  getCollection(
    argument: _sochdb_v1_CollectionRef,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_CollectionInfo__Output>,
  ): grpc.ClientUnaryCall;
  getCollection(argument: _sochdb_v1_CollectionRef, callback: grpc.requestCallback<_sochdb_v1_CollectionInfo__Output>): grpc.ClientUnaryCall;

  GetDocument(
    argument: _sochdb_v1_DocumentRef,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_GetDocumentResponse__Output>,
  ): grpc.ClientUnaryCall;
  GetDocument(
    argument: _sochdb_v1_DocumentRef,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_sochdb_v1_GetDocumentResponse__Output>,
  ): grpc.ClientUnaryCall;
  GetDocument(
    argument: _sochdb_v1_DocumentRef,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_GetDocumentResponse__Output>,
  ): grpc.ClientUnaryCall;
  GetDocument(argument: _sochdb_v1_DocumentRef, callback: grpc.requestCallback<_sochdb_v1_GetDocumentResponse__Output>): grpc.ClientUnaryCall;
  getDocument(
    argument: _sochdb_v1_DocumentRef,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_GetDocumentResponse__Output>,
  ): grpc.ClientUnaryCall;
  getDocument(
    argument: _sochdb_v1_DocumentRef,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_sochdb_v1_GetDocumentResponse__Output>,
  ): grpc.ClientUnaryCall;
  getDocument(
    argument: _sochdb_v1_DocumentRef,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_GetDocumentResponse__Output>,
  ): grpc.ClientUnaryCall;
  getDocument(argument: _sochdb_v1_DocumentRef, callback: grpc.requestCallback<_sochdb_v1_GetDocumentResponse__Output>): grpc.ClientUnaryCall;

  Insert(
    argument: _sochdb_v1_InsertRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_InsertResponse__Output>,
  ): grpc.ClientUnaryCall;
  Insert(argument: _sochdb_v1_InsertRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_sochdb_v1_InsertResponse__Output>): grpc.ClientUnaryCall;
  Insert(
    argument: _sochdb_v1_InsertRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_InsertResponse__Output>,
  ): grpc.ClientUnaryCall;
  Insert(argument: _sochdb_v1_InsertRequest, callback: grpc.requestCallback<_sochdb_v1_InsertResponse__Output>): grpc.ClientUnaryCall;
  insert(
    argument: _sochdb_v1_InsertRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_InsertResponse__Output>,
  ): grpc.ClientUnaryCall;
  insert(argument: _sochdb_v1_InsertRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_sochdb_v1_InsertResponse__Output>): grpc.ClientUnaryCall;
  insert(
    argument: _sochdb_v1_InsertRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_InsertResponse__Output>,
  ): grpc.ClientUnaryCall;
  insert(argument: _sochdb_v1_InsertRequest, callback: grpc.requestCallback<_sochdb_v1_InsertResponse__Output>): grpc.ClientUnaryCall;

  ListCollections(
    argument: _sochdb_v1_ListCollectionsRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_ListCollectionsResponse__Output>,
  ): grpc.ClientUnaryCall;
  ListCollections(
    argument: _sochdb_v1_ListCollectionsRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_sochdb_v1_ListCollectionsResponse__Output>,
  ): grpc.ClientUnaryCall;
  ListCollections(
    argument: _sochdb_v1_ListCollectionsRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_ListCollectionsResponse__Output>,
  ): grpc.ClientUnaryCall;
  ListCollections(
    argument: _sochdb_v1_ListCollectionsRequest,
    callback: grpc.requestCallback<_sochdb_v1_ListCollectionsResponse__Output>,
  ): grpc.ClientUnaryCall;
  listCollections(
    argument: _sochdb_v1_ListCollectionsRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_ListCollectionsResponse__Output>,
  ): grpc.ClientUnaryCall;
  listCollections(
    argument: _sochdb_v1_ListCollectionsRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_sochdb_v1_ListCollectionsResponse__Output>,
  ): grpc.ClientUnaryCall;
  listCollections(
    argument: _sochdb_v1_ListCollectionsRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_ListCollectionsResponse__Output>,
  ): grpc.ClientUnaryCall;
  listCollections(
    argument: _sochdb_v1_ListCollectionsRequest,
    callback: grpc.requestCallback<_sochdb_v1_ListCollectionsResponse__Output>,
  ): grpc.ClientUnaryCall;

  Search(
    argument: _sochdb_v1_SearchRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_SearchResponse__Output>,
  ): grpc.ClientUnaryCall;
  Search(argument: _sochdb_v1_SearchRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_sochdb_v1_SearchResponse__Output>): grpc.ClientUnaryCall;
  Search(
    argument: _sochdb_v1_SearchRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_SearchResponse__Output>,
  ): grpc.ClientUnaryCall;
  Search(argument: _sochdb_v1_SearchRequest, callback: grpc.requestCallback<_sochdb_v1_SearchResponse__Output>): grpc.ClientUnaryCall;
  search(
    argument: _sochdb_v1_SearchRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_SearchResponse__Output>,
  ): grpc.ClientUnaryCall;
  search(argument: _sochdb_v1_SearchRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_sochdb_v1_SearchResponse__Output>): grpc.ClientUnaryCall;
  search(
    argument: _sochdb_v1_SearchRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_sochdb_v1_SearchResponse__Output>,
  ): grpc.ClientUnaryCall;
  search(argument: _sochdb_v1_SearchRequest, callback: grpc.requestCallback<_sochdb_v1_SearchResponse__Output>): grpc.ClientUnaryCall;
}

export interface CollectionServiceHandlers extends grpc.UntypedServiceImplementation {
  Count: grpc.handleUnaryCall<_sochdb_v1_CollectionRef__Output, _sochdb_v1_CountResponse>;

  CreateCollection: grpc.handleUnaryCall<_sochdb_v1_CreateCollectionRequest__Output, _sochdb_v1_CollectionInfo>;

  DeleteCollection: grpc.handleUnaryCall<_sochdb_v1_CollectionRef__Output, _sochdb_v1_DeleteCollectionResponse>;

  DeleteDocument: grpc.handleUnaryCall<_sochdb_v1_DocumentRef__Output, _sochdb_v1_DeleteDocumentResponse>;

  GetCollection: grpc.handleUnaryCall<_sochdb_v1_CollectionRef__Output, _sochdb_v1_CollectionInfo>;

  GetDocument: grpc.handleUnaryCall<_sochdb_v1_DocumentRef__Output, _sochdb_v1_GetDocumentResponse>;

  Insert: grpc.handleUnaryCall<_sochdb_v1_InsertRequest__Output, _sochdb_v1_InsertResponse>;

  ListCollections: grpc.handleUnaryCall<_sochdb_v1_ListCollectionsRequest__Output, _sochdb_v1_ListCollectionsResponse>;

  Search: grpc.handleUnaryCall<_sochdb_v1_SearchRequest__Output, _sochdb_v1_SearchResponse>;
}

export interface CollectionServiceDefinition extends grpc.ServiceDefinition {
  Count: MethodDefinition<_sochdb_v1_CollectionRef, _sochdb_v1_CountResponse, _sochdb_v1_CollectionRef__Output, _sochdb_v1_CountResponse__Output>;
  CreateCollection: MethodDefinition<
    _sochdb_v1_CreateCollectionRequest,
    _sochdb_v1_CollectionInfo,
    _sochdb_v1_CreateCollectionRequest__Output,
    _sochdb_v1_CollectionInfo__Output
  >;
  DeleteCollection: MethodDefinition<
    _sochdb_v1_CollectionRef,
    _sochdb_v1_DeleteCollectionResponse,
    _sochdb_v1_CollectionRef__Output,
    _sochdb_v1_DeleteCollectionResponse__Output
  >;
  DeleteDocument: MethodDefinition<
    _sochdb_v1_DocumentRef,
    _sochdb_v1_DeleteDocumentResponse,
    _sochdb_v1_DocumentRef__Output,
    _sochdb_v1_DeleteDocumentResponse__Output
  >;
  GetCollection: MethodDefinition<_sochdb_v1_CollectionRef, _sochdb_v1_CollectionInfo, _sochdb_v1_CollectionRef__Output, _sochdb_v1_CollectionInfo__Output>;
  GetDocument: MethodDefinition<_sochdb_v1_DocumentRef, _sochdb_v1_GetDocumentResponse, _sochdb_v1_DocumentRef__Output, _sochdb_v1_GetDocumentResponse__Output>;
  Insert: MethodDefinition<_sochdb_v1_InsertRequest, _sochdb_v1_InsertResponse, _sochdb_v1_InsertRequest__Output, _sochdb_v1_InsertResponse__Output>;
  ListCollections: MethodDefinition<
    _sochdb_v1_ListCollectionsRequest,
    _sochdb_v1_ListCollectionsResponse,
    _sochdb_v1_ListCollectionsRequest__Output,
    _sochdb_v1_ListCollectionsResponse__Output
  >;
  Search: MethodDefinition<_sochdb_v1_SearchRequest, _sochdb_v1_SearchResponse, _sochdb_v1_SearchRequest__Output, _sochdb_v1_SearchResponse__Output>;
}
