// Mapping between the embedded API's shapes and sochdb.v1 messages, both ways: the client
// uses one direction, sochdb-grpc-server the other. Exported as `grpcWire` for servers.
export * from './wire-json.js';
export * from './wire-vector.js';
export * from './wire-graph.js';
export * from './wire-queue.js';
export * from './wire-sql.js';
