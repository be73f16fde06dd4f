// sochdb-grpc-server: SochDB's services over gRPC (sochdb.v1), backed by a persistent Database.
export { startServer, type ServerOptions, type RunningServer } from './server.js';
export { createLogger, LOG_LEVELS, type Logger, type LogLevel } from './logger.js';
