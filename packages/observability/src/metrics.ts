import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { SochDBError, type StorageStats } from '@sochdb/core';

/** The counters a server reads from its database at scrape time (a `StorageStats`, or more). */
export type DatabaseCounters = Pick<
  StorageStats,
  | 'activeTransactions'
  | 'transactionsCommitted'
  | 'transactionsAborted'
  | 'conflicts'
  | 'syncs'
  | 'writeBatches'
  | 'lsn'
  | 'keysCount'
  | 'keysCountLsn'
  | 'bytesWritten'
  | 'bytesRead'
>;

/** Task counts of one queue, as `PriorityQueue.stats()` reports them. */
export interface QueueDepth {
  /** The queue's name (the `queue` label). */
  readonly queue: string;
  /** Visible tasks waiting for a dequeue. */
  readonly pending: number;
  /** Tasks inside their enqueue or nack delay. */
  readonly delayed: number;
  /** Tasks leased to a worker now. */
  readonly claimed: number;
}

/** Documents of one vector collection. */
export interface CollectionSize {
  /** The namespace the collection belongs to. */
  readonly namespace: string;
  /** The collection's name within its namespace. */
  readonly collection: string;
  /** Its committed documents (`Collection.count()`). */
  readonly documents: number;
}

/** Options of `createServerMetrics`. */
export interface ServerMetricsOptions {
  /** The `server` label of the request metrics, e.g. `ipc` or `grpc`. */
  readonly server: string;
  /** The database's counters, read once per scrape (e.g. `() => db.storage.stats()`). */
  readonly dbStats: () => DatabaseCounters | Promise<DatabaseCounters>;
  /** Queue depths, read once per scrape; leave out when the server has no queues. */
  readonly queues?: () => Iterable<QueueDepth> | Promise<Iterable<QueueDepth>>;
  /** Documents per collection, read once per scrape; leave out when counting them is not cheap. */
  readonly collections?: () => Iterable<CollectionSize> | Promise<Iterable<CollectionSize>>;
  /** Also register prom-client's process metrics (CPU, memory, event loop, GC); default true. */
  readonly processMetrics?: boolean;
  /** Histogram buckets of `sochdb_request_duration_seconds`, in seconds. */
  readonly durationBuckets?: readonly number[];
}

/** One answered request, as a server reports it. */
export interface RequestEvent {
  /** The operation: an IPC opcode name (`GET`, `SQL`), a gRPC method path (`/sochdb.v1.KvService/Get`). */
  readonly method: string;
  /** How long it took to answer. */
  readonly seconds: number;
  /** What it failed with; absent when it succeeded. */
  readonly error?: unknown;
}

/** What `createServerMetrics` returns: the registry to serve, and the hook a server calls per request. */
export interface ServerMetrics {
  /** This server's own registry (never prom-client's global one): render it with `serveMetrics`. */
  readonly registry: Registry;
  /** Counts and times one request; a failed one is counted by its error code as well. */
  observe(event: RequestEvent): void;
}

/** Latencies from 100 µs (a cached point read) to 10 s (a long scan or SQL statement). */
export const DEFAULT_DURATION_BUCKETS: readonly number[] = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * The `code` label of `sochdb_errors_total` for an error: a SochDBError's stable numeric code
 * (as the wire reports it), else `9003` (DatabaseError), which is what a client sees for an
 * unexpected failure.
 */
export function errorCode(error: unknown): string {
  if (SochDBError.is(error)) return String(error.code);
  return '9003';
}

/**
 * The Prometheus metrics of a SochDB server, on a registry of their own:
 *
 * - `sochdb_requests_total{server,method,outcome}` and `sochdb_request_duration_seconds{server,method}`,
 *   `sochdb_errors_total{server,code}`, fed by `observe`;
 * - read from the database at scrape time: `sochdb_transactions_open`,
 *   `sochdb_transactions_committed_total`, `sochdb_transactions_aborted_total`,
 *   `sochdb_transaction_conflicts_total`, `sochdb_syncs_total`, `sochdb_write_batches_total`,
 *   `sochdb_bytes_written_total`, `sochdb_bytes_read_total`, `sochdb_lsn`, `sochdb_keys`,
 *   `sochdb_keys_count_lsn`; and, when their callbacks are given, `sochdb_queue_tasks{queue,state}`
 *   and `sochdb_collection_documents{namespace,collection}`;
 * - prom-client's default process metrics (`process_*`, `nodejs_*`).
 *
 * @example
 * ```ts
 * const metrics = createServerMetrics({ server: 'grpc', dbStats: () => db.storage.stats() });
 * metrics.observe({ method: '/sochdb.v1.KvService/Get', seconds: 0.0004 });
 * const http = await serveMetrics({ registry: metrics.registry, port: 9464 });
 * ```
 */
export function createServerMetrics(options: ServerMetricsOptions): ServerMetrics {
  const registry = new Registry();
  const registers = [registry];
  const server = options.server;

  const requests = new Counter({
    name: 'sochdb_requests_total',
    help: 'Requests answered, by server, method and outcome (ok or error).',
    labelNames: ['server', 'method', 'outcome'] as const,
    registers,
  });
  const duration = new Histogram({
    name: 'sochdb_request_duration_seconds',
    help: 'Time to answer a request, by server and method.',
    labelNames: ['server', 'method'] as const,
    buckets: [...(options.durationBuckets ?? DEFAULT_DURATION_BUCKETS)],
    registers,
  });
  const errors = new Counter({
    name: 'sochdb_errors_total',
    help: 'Failed requests by SochDBError code (9003 for unexpected errors).',
    labelNames: ['server', 'code'] as const,
    registers,
  });

  // One read of the database per scrape: every collect() of a scrape runs in the same turn and
  // shares the read in flight.
  let pending: Promise<DatabaseCounters> | undefined;
  const snapshot = () =>
    (pending ??= Promise.resolve()
      .then(() => options.dbStats())
      .finally(() => (pending = undefined)));

  const fromDb = (name: string, help: string, read: (s: DatabaseCounters) => number | bigint, kind: 'gauge' | 'counter') => {
    if (kind === 'gauge') {
      new Gauge({
        name,
        help,
        registers,
        async collect() {
          this.set(Number(read(await snapshot())));
        },
      });
    } else {
      new Counter({
        name,
        help,
        registers,
        async collect() {
          // The database keeps the running total; the counter shows it as it is now.
          this.reset();
          this.inc(Number(read(await snapshot())));
        },
      });
    }
  };
  fromDb('sochdb_transactions_open', 'Transactions begun and not yet committed or aborted.', (s) => s.activeTransactions, 'gauge');
  fromDb('sochdb_transactions_committed_total', 'Transactions committed since the database was opened.', (s) => s.transactionsCommitted, 'counter');
  fromDb(
    'sochdb_transactions_aborted_total',
    'Transactions aborted since the database was opened (conflicts included).',
    (s) => s.transactionsAborted,
    'counter',
  );
  fromDb('sochdb_transaction_conflicts_total', 'Commits refused with TransactionConflictError since open.', (s) => s.conflicts, 'counter');
  fromDb('sochdb_syncs_total', 'Write batches fsynced since open.', (s) => s.syncs, 'counter');
  fromDb('sochdb_write_batches_total', 'Write batches handed to the storage backend since open (group commit shares one).', (s) => s.writeBatches, 'counter');
  fromDb('sochdb_bytes_written_total', 'Bytes of keys and values written by commits since open.', (s) => s.bytesWritten, 'counter');
  fromDb('sochdb_bytes_read_total', 'Bytes of values returned to readers since open.', (s) => s.bytesRead, 'counter');
  fromDb('sochdb_lsn', 'LSN of the last commit applied.', (s) => s.lsn, 'gauge');
  fromDb('sochdb_keys', 'Keys in the database, exact at sochdb_keys_count_lsn.', (s) => s.keysCount, 'gauge');
  fromDb('sochdb_keys_count_lsn', 'The LSN at which sochdb_keys was counted (0: not counted since open).', (s) => s.keysCountLsn, 'gauge');

  const queues = options.queues;
  if (queues) {
    new Gauge({
      name: 'sochdb_queue_tasks',
      help: 'Tasks of each queue by state: pending (visible), delayed, claimed.',
      labelNames: ['queue', 'state'] as const,
      registers,
      async collect() {
        this.reset();
        for (const q of await queues()) {
          this.set({ queue: q.queue, state: 'pending' }, q.pending);
          this.set({ queue: q.queue, state: 'delayed' }, q.delayed);
          this.set({ queue: q.queue, state: 'claimed' }, q.claimed);
        }
      },
    });
  }
  const collections = options.collections;
  if (collections) {
    new Gauge({
      name: 'sochdb_collection_documents',
      help: 'Documents in each vector collection.',
      labelNames: ['namespace', 'collection'] as const,
      registers,
      async collect() {
        this.reset();
        for (const c of await collections()) this.set({ namespace: c.namespace, collection: c.collection }, c.documents);
      },
    });
  }
  if (options.processMetrics !== false) collectDefaultMetrics({ register: registry });

  return {
    registry,
    observe({ method, seconds, error }) {
      const failed = error !== undefined;
      requests.inc({ server, method, outcome: failed ? 'error' : 'ok' });
      duration.observe({ server, method }, seconds);
      if (failed) errors.inc({ server, code: errorCode(error) });
    },
  };
}
