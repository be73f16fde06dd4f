// @sochdb/studio — SochDB Studio: a Hono app over an open Database serving the web UI (ui/, built
// into dist/ui) and its API, on loopback behind a random token, read-only unless asked.
export { startStudio, type StudioOptions, type RunningStudio } from './studio.js';
export { runStudio, type StudioCommandOptions } from './run.js';
export { openDatabase, isIpcClient, FolderHeldError, type OpenedDatabase, type OpenedVia } from './open-database.js';
export { createStudioApp, studioSource, type StudioAppOptions } from './app.js';
export type { StudioSource, SourceKind, KvView, CollectionView, DeadLetter } from './source.js';
export { databaseSource } from './database-source.js';
export { grpcSource, type GrpcSourceOptions } from './grpc-source.js';
export {
  connectGrpc,
  parseGrpcAddress,
  GrpcAddressError,
  GrpcUnreachableError,
  GRPC_CONNECT_MS,
  type GrpcAddress,
  type GrpcConnectOptions,
} from './grpc-connect.js';
export { NotOverGrpcError } from './not-over-grpc.js';
export { newToken, tokensEqual } from './auth.js';
export { errorBody, statusOf, ReadOnlyError, type ErrorBody } from './errors.js';
export { HEX_PREFIX, keyFromString, keyToString, viewValue, type ValueView } from './bytes-view.js';
export type { KvEntry, KvPage } from './routes/kv.js';
export type { SqlPage, PlanNode } from './routes/sql.js';
export type { CollectionSummary } from './source.js';
export type { Projection, ProjectedPoint } from './projection.js';
// The request schemas, for the UI to validate its forms with the server's own rules.
export * from './schemas.js';
