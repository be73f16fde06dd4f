// @sochdb/ipc — SochDB over a Unix socket: the length-prefixed binary protocol, the server that
// serves a Storage (and, through injected handlers, SQL and stats) and its client, and concurrent
// mode's storage, through which several processes share one database folder. Depends only on
// @sochdb/core.

// The server and its client.
export { IpcServer, type IpcHandlers, type IpcRequestEvent, type IpcServerOptions, type ServerMetrics } from './server.js';
export type { LogLevel } from './log.js';
export { IpcClient, IpcTransaction, type CommitWait, type IpcClientOptions, type WaitForCommitOptions } from './client.js';
export { PROTOCOL_VERSION, Op as IpcOp, Status as IpcStatus } from './protocol.js';

// Concurrent mode: a Storage shared by every process that opens the folder.
export { ConcurrentStorage, concurrentSocketPath, type ConcurrentOptions } from './concurrent/concurrent-storage.js';
