// The gRPC client of sochdb-grpc-server, and the pieces a server shares with it.

// The client.
export { SochDBClient, type CollectionTarget, type VectorSearchOptions } from './client.js';
export { DEFAULT_MAX_MESSAGE_BYTES, type SochDBClientOptions, type ClientTlsOptions } from './transport.js';
export type { RemoteSearchRequest } from './wire-vector.js';

// The wire: the .proto files and the status mapping of errors.
export { PROTO_DIR, PROTO_LOADER_OPTIONS, loadProtos, type LoadedProtos, type SochDBServices, type HealthServices } from './proto.js';
export { AuthenticationError, ERROR_METADATA, grpcStatusOf, toServiceStatus, fromServiceError } from './errors.js';
export * as grpcWire from './wire.js';
