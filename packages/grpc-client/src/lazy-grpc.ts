// @grpc/grpc-js and @grpc/proto-loader, loaded on first use. Importing this package (or
// @sochdb/sdk, which re-exports it) loads neither: they are required synchronously the first time
// a client is created, a server-side status is built or the protos are loaded, so the API stays
// synchronous and an embedded user never pays for gRPC. Everything else imports only their types.
import { createRequire } from 'node:module';
import type * as GrpcJs from '@grpc/grpc-js';
import type * as ProtoLoader from '@grpc/proto-loader';

const require = createRequire(import.meta.url);

let grpcJs: typeof GrpcJs | undefined;
let protoLoader: typeof ProtoLoader | undefined;

/** `@grpc/grpc-js`, required the first time it is needed. */
export function grpc(): typeof GrpcJs {
  return (grpcJs ??= require('@grpc/grpc-js') as typeof GrpcJs);
}

/** `@grpc/proto-loader`, required the first time it is needed. */
export function protoLoaderModule(): typeof ProtoLoader {
  return (protoLoader ??= require('@grpc/proto-loader') as typeof ProtoLoader);
}
