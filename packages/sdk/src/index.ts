// @sochdb/sdk — SochDB for Node.js: one install for KV, SQL, vector search with BM25 and hybrid
// ranking, a durable priority queue, a graph with time-aware edges, and TOON.
//
// Which package holds what: this one the embedded Database facade and plugins; @sochdb/ipc the
// Unix-socket server, client and concurrent mode; @sochdb/grpc-client the gRPC client. Everything
// they and the data packages export is re-exported here, so one import is enough. Where two
// sources export the same name, the choice is made below, explicitly (a test checks that no
// package export is hidden).

// The database, its transactions and namespaces.
export { Database, ROOT_KV_PREFIX, type CollectionCount, type DatabaseOptions, type DatabaseStats, type QueueCount } from './database.js';
export type { DatabaseContextOptions } from './context.js';
export { DEFAULT_CACHE_NAMESPACE, type DatabaseSemanticCacheOptions } from './semantic-caches.js';
export { DatabaseTransaction } from './transaction.js';
export type { DatabaseSqlOptions } from './sql-options.js';
export { Namespace } from './namespace.js';
export { binaryPath, BINARY_ENV, type SochDBBinary } from './binaries.js';
export { validateNamespaceName, type NamespaceConfig, type NamespaceInfo } from './namespace-registry.js';
export type { SqlExecuteOptions } from './sql-types.js';

// Plugins: in-process triggers fired by SQL writes.
export { PluginRegistry, TriggerAbort, type Plugin, type Row } from './plugins.js';

// Servers and clients over a Unix socket, and concurrent mode's storage (@sochdb/ipc).
export {
  IpcServer,
  IpcClient,
  IpcTransaction,
  PROTOCOL_VERSION,
  IpcOp,
  IpcStatus,
  ConcurrentStorage,
  concurrentSocketPath,
  type IpcHandlers,
  type IpcServerOptions,
  type IpcRequestEvent,
  type LogLevel,
  type ServerMetrics,
  type IpcClientOptions,
  type CommitWait,
  type WaitForCommitOptions,
  type ConcurrentOptions,
} from '@sochdb/ipc';

// gRPC: the client of sochdb-grpc-server, and what the server shares with it
// (@sochdb/grpc-client; it loads grpc-js only once a client is created). Its NamespaceConfig and
// NamespaceInfo are the same shapes as the SDK's, exported above.
export {
  SochDBClient,
  DEFAULT_MAX_MESSAGE_BYTES,
  PROTO_DIR,
  PROTO_LOADER_OPTIONS,
  loadProtos,
  AuthenticationError,
  ERROR_METADATA,
  grpcStatusOf,
  toServiceStatus,
  fromServiceError,
  grpcWire,
  type CollectionTarget,
  type VectorSearchOptions,
  type SochDBClientOptions,
  type ClientTlsOptions,
  type RemoteSearchRequest,
  type LoadedProtos,
  type SochDBServices,
  type HealthServices,
} from '@sochdb/grpc-client';

// Everything the packages offer, so one import is enough.
export * from '@sochdb/core';
export * from '@sochdb/kv';
export * from '@sochdb/toon';
export * from '@sochdb/sql';
export * from '@sochdb/vector';
export * from '@sochdb/graph';
export * from '@sochdb/temporal';
export * from '@sochdb/queue';
export * from '@sochdb/context';

// Names that more than one source exports: the plain name is the first one listed, the others
// are renamed. Nothing is shadowed silently (test/exports.test.ts).
export type { JsonValue } from '@sochdb/core'; // @sochdb/vector's and @sochdb/queue's are the same type
export type { JsonValue as ToonJsonValue } from '@sochdb/toon'; // @toon-format/toon's (mutable arrays and objects)
export type { WriteOptions } from '@sochdb/vector';
export type { WriteOptions as QueueWriteOptions } from '@sochdb/queue';
// The original SDK's SearchRequest class (`new SearchRequest({ vector, k })`); it implements
// @sochdb/vector's SearchRequest shape, which `collection.search()` takes as a plain object too.
export { SearchRequest } from './search-request.js';
export type { SearchRequest as VectorSearchRequest } from '@sochdb/vector';
// Plugins' TriggerEvent (the event names, as a value and a type) and TriggerContext (table, event,
// oldRow); @sochdb/sql's engine-level hook types keep their meaning under Sql* names.
export { TriggerEvent, type TriggerContext } from './plugins.js';
export type { TriggerEvent as SqlTriggerEvent, TriggerContext as SqlTriggerContext } from '@sochdb/sql';
