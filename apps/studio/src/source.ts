// What the studio's routes need from a database, whichever way it is reached: an open Database
// (embedded, shared, or through an IPC socket: database-source.ts) or a sochdb-grpc-server
// (grpc-source.ts). Routes call this, never a Database, so both ways serve the same API; what a
// way cannot give answers NotOverGrpcError (see not-over-grpc.ts).
import type {
  CollectionDocument,
  EdgeQuery,
  GraphEdge,
  NamespaceInfo,
  OutputValue,
  QueueStats,
  SearchRequest,
  SearchResult,
  SqlResult,
  TaskView,
  TemporalEdge,
  TemporalQuery,
  TraversalNode,
  TraverseOptions,
} from '@sochdb/sdk';
import type { ApiSqlParams } from './sql-run.js';

/** How the studio reaches its data. */
export type SourceKind = 'embedded' | 'concurrent' | 'ipc' | 'grpc';

/** A collection as the overview and `GET /api/collections` list it. */
export interface CollectionSummary {
  readonly namespace: string;
  readonly name: string;
  /** null until the first vector fixes it. */
  readonly dimension: number | null;
  readonly metric: string;
  /** Committed documents. */
  readonly count: number;
  readonly createdAt: number;
}

/** One keyspace: the root KV (namespace '' or undefined) or a namespace's. */
export interface KvView {
  /** Keys in [start, end) in order, at most `limit`; all of them start with `prefix` (start ≥ prefix, end its upper bound). */
  scan(
    range: { readonly prefix: Uint8Array; readonly start: Uint8Array; readonly end: Uint8Array | undefined },
    limit: number,
  ): Promise<(readonly [Buffer, Buffer])[]>;
  get(key: Uint8Array): Promise<Buffer | null>;
  put(key: Uint8Array, value: Uint8Array): Promise<void>;
  delete(key: Uint8Array): Promise<void>;
}

/** One collection. */
export interface CollectionView {
  readonly dimension: number | null;
  count(): Promise<number>;
  /** Documents in id order after `afterId`, at most `limit`. */
  page(options: { readonly limit: number; readonly afterId?: string }): Promise<CollectionDocument[]>;
  /** The documents of `ids` that exist. */
  byIds(ids: readonly string[]): Promise<CollectionDocument[]>;
  search(request: SearchRequest): Promise<SearchResult[]>;
}

/** A dead letter and the queue holding it. */
export interface DeadLetter {
  /** The queue the task is in now: the dead-letter queue, or the source queue for a `dead` task. */
  readonly heldIn: string;
  readonly task: TaskView;
}

/** Everything the routes read and (in write mode) change. */
export interface StudioSource {
  readonly kind: SourceKind;
  /** The folder (or URL) of the database, or the gRPC server's `host:port`. */
  readonly path: string;
  /** True when other processes share the data (openConcurrent, a socket, a server). */
  readonly concurrent: boolean;
  /** Storage counters (bigints as they are); null when the way in does not give them. */
  stats(): Promise<Record<string, unknown> | null>;
  /** Bytes of the database's files; null when there is no folder to measure. */
  sizeBytes(): Promise<number | null>;
  listNamespaces(): Promise<NamespaceInfo[]>;
  listCollections(namespace: string): Promise<CollectionSummary[]>;
  collection(namespace: string, name: string): Promise<CollectionView>;
  kv(namespace: string | undefined): Promise<KvView>;
  /** Runs `sql` (rows as arrays); `readOnly` refuses any change (ReadOnlyError, 403). */
  sql(sql: string, params: ApiSqlParams | undefined, readOnly: boolean): Promise<SqlResult<OutputValue[]>>;
  /** EXPLAIN QUERY PLAN rows of `sql`. */
  explain(sql: string): Promise<SqlResult<OutputValue[]>>;
  /** The stored queues' names. */
  listQueues(): Promise<string[]>;
  queueStats(name: string): Promise<QueueStats>;
  topK(name: string, k: number): Promise<TaskView[]>;
  getTask(name: string, taskId: string): Promise<TaskView | null>;
  deadLetters(name: string, dlq: string | undefined, limit: number): Promise<DeadLetter[]>;
  retryDeadLetter(name: string, taskId: string, dlq: string | undefined): Promise<{ readonly taskId: string; readonly from: string }>;
  purgeDeadLetters(name: string, dlq: string | undefined): Promise<{ readonly purged: number; readonly queues: readonly string[] }>;
  graphTraverse(options: TraverseOptions): Promise<TraversalNode[]>;
  graphEdges(query: EdgeQuery): Promise<GraphEdge[]>;
  temporal(query: TemporalQuery): Promise<TemporalEdge[]>;
  /** Releases what the source opened for the studio (queues, a client); never a Database it was given. */
  close(): Promise<void>;
}
