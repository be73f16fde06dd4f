// @sochdb/sdk — SochDB for Node.js: one install for KV, SQL, vector search with BM25 and hybrid
// ranking, a durable priority queue, a graph with time-aware edges, and TOON.

// The database, its transactions and namespaces.
export { Database, ROOT_KV_PREFIX, type DatabaseOptions, type DatabaseStats } from './database.js';
export { DatabaseTransaction } from './transaction.js';
export { Namespace } from './namespace.js';
export { SearchRequest } from './search-request.js';
export { binaryPath, BINARY_ENV, type SochDBBinary } from './binaries.js';
export { validateNamespaceName, type NamespaceConfig, type NamespaceInfo } from './namespace-registry.js';
export type { SqlExecuteOptions } from './sql-types.js';

// Plugins: in-process triggers fired by SQL writes.
export { PluginRegistry, TriggerAbort, TriggerEvent, type Plugin, type Row, type TriggerContext } from './plugins.js';

// Servers and clients: the Unix-socket IPC server and its client, and concurrent mode's storage.
export { IpcServer, type IpcHandlers, type IpcServerOptions, type LogLevel, type ServerMetrics } from './ipc/server.js';
export { IpcClient, IpcTransaction, type IpcClientOptions } from './ipc/client.js';
export { PROTOCOL_VERSION, Op as IpcOp, Status as IpcStatus } from './ipc/protocol.js';
export { ConcurrentStorage, concurrentSocketPath, type ConcurrentOptions } from './concurrent/concurrent-storage.js';

// gRPC: the client of sochdb-grpc-server, and what the server shares with it.
export * from './grpc/index.js';

// Everything the packages offer, so one import is enough.
export * from '@sochdb/core';
export * from '@sochdb/kv';
export * from '@sochdb/toon';
export * from '@sochdb/sql';
export * from '@sochdb/vector';
export * from '@sochdb/graph';
export * from '@sochdb/temporal';
export * from '@sochdb/queue';
// Names that more than one package exports: the first is the plain name, the others are renamed.
export type { JsonValue } from '@sochdb/core';
export type { WriteOptions } from '@sochdb/vector';
export type { WriteOptions as QueueWriteOptions } from '@sochdb/queue';
