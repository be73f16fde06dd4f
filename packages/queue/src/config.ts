import { parseConfig } from '@sochdb/core';
import { z } from 'zod';

/** A clock in milliseconds; inject one for deterministic lease and delay tests. */
export type Clock = () => number;

const MAX_DURATION_MS = 365 * 24 * 60 * 60 * 1000;

/**
 * How a queue behaves; validated by `QueueConfigSchema` (errors name the field).
 *
 * @example
 * ```ts
 * let now = 0; // a test's clock: leases and delays run out when the test says so
 * const queue = new PriorityQueue(storage, 'tasks', { visibilityTimeoutMs: 1_000, maxAttempts: 2, deadLetterQueue: 'dead', clock: () => now });
 * await queue.enqueue({ priority: 0, payload: 'job' });
 * await queue.dequeue({ workerId: 'w1' }); // attempt 1, never acked
 * now += 1_001; // the lease ran out: the task is visible again
 * await queue.dequeue({ workerId: 'w2' }); // attempt 2; once its lease runs out too, the task moves to 'dead'
 * ```
 */
export const QueueConfigSchema = z
  .object({
    /** Lease length of a claim unless dequeue asks otherwise (default 30 s). */
    visibilityTimeoutMs: z.number().int().min(1).max(MAX_DURATION_MS).default(30_000),
    /** Deliveries before a task is dead-lettered (default 3); a lease that expires counts. */
    maxAttempts: z.number().int().min(1).max(1_000_000).default(3),
    /** Name of the queue (on the same Storage) that receives tasks out of attempts. */
    deadLetterQueue: z.string().min(1).max(256).optional(),
    /**
     * `exclusive`: this process is the only one using the queue (an in-memory index; fast).
     * `shared`: several processes use the Storage at once (SochDB's concurrent mode); every
     * operation is a storage transaction. Default: `shared` for a Database other processes may
     * share (concurrent mode, PostgreSQL), else `exclusive`.
     */
    mode: z.enum(['exclusive', 'shared']).optional(),
    /** Milliseconds now; `Date.now` by default. */
    clock: z.custom<Clock>((value) => typeof value === 'function', { message: 'clock must be a function returning milliseconds' }).optional(),
  })
  .strict();

/** The config a queue constructor accepts: every field optional (see `QueueConfigSchema` for defaults). */
export type QueueConfigInput = z.input<typeof QueueConfigSchema>;
/** A config after validation, with `visibilityTimeoutMs` and `maxAttempts` defaulted. */
export type QueueConfig = z.output<typeof QueueConfigSchema>;

export function parseQueueConfig(input: QueueConfigInput | undefined): QueueConfig {
  return parseConfig(QueueConfigSchema, input, 'queue config');
}

export { MAX_DURATION_MS };
