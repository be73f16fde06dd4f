import { fileURLToPath } from 'node:url';
import type { Options } from '@grpc/proto-loader';
import { RequestChecker } from './check-request.js';
import { grpc, protoLoaderModule } from './lazy-grpc.js';
import type { HealthDefinition } from './generated/grpc/health/v1/Health.js';
import type { CollectionServiceDefinition } from './generated/sochdb/v1/CollectionService.js';
import type { GraphServiceDefinition } from './generated/sochdb/v1/GraphService.js';
import type { KvServiceDefinition } from './generated/sochdb/v1/KvService.js';
import type { NamespaceServiceDefinition } from './generated/sochdb/v1/NamespaceService.js';
import type { QueueServiceDefinition } from './generated/sochdb/v1/QueueService.js';
import type { SqlServiceDefinition } from './generated/sochdb/v1/SqlService.js';
import type { VectorIndexServiceDefinition } from './generated/sochdb/v1/VectorIndexService.js';

// The types in ./generated come from the .proto files with @grpc/proto-loader's generator; after
// changing a .proto, run from packages/grpc-client:
//   npx proto-loader-gen-types --longs=Number --enums=String --defaults --oneofs \
//     --grpcLib=@grpc/grpc-js --importFileExtension=.js --outDir=src/generated proto/sochdb.proto proto/health.proto \
//     && rm src/generated/sochdb.ts src/generated/health.ts
// (the two root files only hold a loader type, typed with `any`, that the maps below replace).

/**
 * The folder holding `sochdb.proto` (package sochdb.v1) and the standard `health.proto`, for
 * other-language clients: this package's `proto/`, one level above both `src/` and `dist/`.
 */
export const PROTO_DIR = fileURLToPath(new URL('../proto/', import.meta.url));

/** How both ends decode messages; the generated types assume exactly these options. */
export const PROTO_LOADER_OPTIONS: Options = { longs: Number, enums: String, defaults: true, oneofs: true, includeDirs: [PROTO_DIR] };

/** Each sochdb.v1 service's method definitions (paths, serializers), as loaded. */
export interface SochDBServices {
  /** Key-value Get/Put/Delete/Scan on the database's KV store. */
  readonly KvService: {
    /** The method definitions, as grpc-js's `server.addService` takes them. */
    readonly service: KvServiceDefinition;
  };
  /** Namespace create/get/list/delete. */
  readonly NamespaceService: {
    /** The method definitions, as grpc-js's `server.addService` takes them. */
    readonly service: NamespaceServiceDefinition;
  };
  /** Collections and their documents: create/get/list/delete, insert, get and delete documents, search, count. */
  readonly CollectionService: {
    /** The method definitions, as grpc-js's `server.addService` takes them. */
    readonly service: CollectionServiceDefinition;
  };
  /** Raw vector index insert and search. */
  readonly VectorIndexService: {
    /** The method definitions, as grpc-js's `server.addService` takes them. */
    readonly service: VectorIndexServiceDefinition;
  };
  /** Graph nodes, edges, neighbors, traversal and shortest path, and temporal edges. */
  readonly GraphService: {
    /** The method definitions, as grpc-js's `server.addService` takes them. */
    readonly service: GraphServiceDefinition;
  };
  /** SQL execution. */
  readonly SqlService: {
    /** The method definitions, as grpc-js's `server.addService` takes them. */
    readonly service: SqlServiceDefinition;
  };
  /** Priority queues: enqueue, dequeue, ack/nack, visibility, stats, top-k, get task, purge. */
  readonly QueueService: {
    /** The method definitions, as grpc-js's `server.addService` takes them. */
    readonly service: QueueServiceDefinition;
  };
}

/** The standard grpc.health.v1 service, as loaded (what `grpc_health_probe` and load balancers call). */
export interface HealthServices {
  /** The Health service (Check, Watch). */
  readonly Health: {
    /** The method definitions, as grpc-js's `server.addService` takes them. */
    readonly service: HealthDefinition;
  };
}

/** What {@link loadProtos} returns: the loaded service definitions, shared by every client and the server of one process. */
export interface LoadedProtos {
  /** The sochdb.v1 services. */
  readonly sochdb: SochDBServices;
  /** The grpc.health.v1 service. */
  readonly health: HealthServices;
  /** Checks an outgoing sochdb.v1 request against its message type. */
  readonly checker: RequestChecker;
}

let loaded: LoadedProtos | undefined;

/**
 * The service definitions of sochdb.v1 and grpc.health.v1 (parsed once per process; the first
 * call loads @grpc/grpc-js and @grpc/proto-loader).
 */
export function loadProtos(): LoadedProtos {
  if (loaded === undefined) {
    const definition = protoLoaderModule().loadSync(['sochdb.proto', 'health.proto'], PROTO_LOADER_OPTIONS);
    const root = grpc().loadPackageDefinition(definition) as unknown as { sochdb: { v1: SochDBServices }; grpc: { health: { v1: HealthServices } } };
    loaded = { sochdb: root.sochdb.v1, health: root.grpc.health.v1, checker: new RequestChecker(definition, 'sochdb.v1') };
  }
  return loaded;
}
