// @sochdb/grpc-client — the gRPC client of sochdb-grpc-server, and the pieces a server shares with
// it (the .proto files, their loaded definitions, the wire mappings and the error ↔ status
// mapping). Importing it does not load @grpc/grpc-js or @grpc/proto-loader: they are loaded the
// first time a client is created, the protos are loaded or a server-side status is built.

// The client.
export { SochDBClient, type CollectionTarget, type VectorSearchOptions } from './client.js';
export { DEFAULT_MAX_MESSAGE_BYTES, type SochDBClientOptions, type ClientTlsOptions } from './transport.js';
export type { NamespaceConfig, NamespaceInfo } from './namespaces.js';
export type { RemoteSearchRequest } from './wire-vector.js';

// The wire: the .proto files and the status mapping of errors.
export { PROTO_DIR, PROTO_LOADER_OPTIONS, loadProtos, type LoadedProtos, type SochDBServices, type HealthServices } from './proto.js';
export {
  AuthenticationError,
  ERROR_METADATA,
  Status as GrpcStatus,
  grpcStatusOf,
  toServiceStatus,
  fromServiceError,
  registerErrorClass,
  type ErrorClass,
} from './errors.js';
export * as grpcWire from './wire.js';
