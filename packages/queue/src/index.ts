// @sochdb/queue — a durable priority queue with leases, retries, dead letters and delays.

// The queue and its backends.
export { PriorityQueue, type StorageHolder } from './priority-queue.js';
export { listQueues } from './list-queues.js';
export { LocalQueueClient } from './priority-queue.js';
// Workers: queue.process(handler, options).
export {
  Worker,
  type BackoffOptions,
  type WorkerCloseOptions,
  type WorkerContext,
  type WorkerEvents,
  type WorkerHandler,
  type WorkerOptions,
} from './worker.js';
export type { QueueClient, RemoteDequeueOptions, RemoteNackOptions } from './client.js';
// Concurrent mode: claims run in the owner process (every process provides the service).
export { provideQueueService, QUEUE_SERVICE } from './queue-service.js';

// Configuration.
export { QueueConfigSchema, type QueueConfig, type QueueConfigInput, type Clock } from './config.js';

// Tasks, options and stats.
export type {
  AttemptOutcome,
  AttemptRecord,
  ClaimOptions,
  ClaimRef,
  DeadLetterOrigin,
  DequeueOptions,
  EnqueueInput,
  JsonValue,
  NackOptions,
  PurgeOptions,
  QueueStats,
  Task,
  TaskMetadata,
  TaskState,
  TaskView,
  WithTransactionLike,
  WriteOptions,
} from './types.js';

// Bounded top-k selection (ORDER BY … LIMIT k without a full sort).
export { StreamingTopK } from './streaming-top-k.js';

// Errors (7xxx; argument errors are core's ValidationError 6000).
export { QueueError, ClaimLostError, DuplicateTaskError, CorruptTaskError, TaskClaimedError } from './errors.js';

// Depths of stored queues read without opening them (monitoring).
export { readQueueDepths, queueNameOfKey, QUEUES_KEY_RANGE, type ReadQueueDepthsOptions, type StoredQueueDepth } from './queue-depth.js';
