// queue_stats (always) and queue_enqueue, queue_dequeue, queue_ack, queue_nack (with writes). A
// dequeue claims a task (it writes a lease), so it is a write too. Queue names are scoped to the
// namespace by prefixing (see scope.ts).
import type { TaskView } from '@sochdb/sdk';
import { z } from 'zod';
import { id, metadata } from '../schemas.js';
import { guarded, ok } from '../tool-result.js';
import { bytesText, plain } from '../values.js';
import { READ_ONLY, WRITES, type ToolContext } from './context.js';

const queue = id('queue name');
const taskId = id('task id');
const claimToken = z.string().min(1).max(256).optional().describe('the claimToken from queue_dequeue (guards against acking a re-delivered task)');

/** Registers the queue tools (all but queue_stats only when writes are allowed). */
export function registerQueueTools({ server, scope, options }: ToolContext): void {
  const where = `namespace '${options.namespace}'`;
  server.registerTool(
    'queue_stats',
    {
      title: 'Queue stats',
      description: `Task counts of a priority queue of ${where}: pending, delayed, claimed, completed, deadLettered, total.`,
      inputSchema: { queue },
      annotations: READ_ONLY,
    },
    guarded(async (args) => {
      const stats = { queue: args.queue, ...(await scope.queue(args.queue).stats()) };
      return ok(JSON.stringify(stats), stats);
    }),
  );
  if (!options.allowWrites) return;
  server.registerTool(
    'queue_enqueue',
    {
      title: 'Enqueue a task',
      description: `Add a task to a priority queue of ${where} (lower priority runs first, FIFO within a priority). Returns the task id.`,
      inputSchema: {
        queue,
        payload: z
          .string()
          .max(16 * 1024 * 1024)
          .describe('the task payload (text, e.g. JSON)'),
        priority: z.number().int('priority must be an integer').safe().default(0).describe('lower runs first (default 0)'),
        metadata: metadata.optional(),
        delayMs: z
          .number()
          .int()
          .min(0)
          .max(365 * 24 * 3_600_000)
          .optional()
          .describe('keep the task invisible for this long'),
      },
      annotations: WRITES,
    },
    guarded(async (args) => {
      const taskId = await scope.queue(args.queue).enqueue({
        priority: args.priority,
        payload: args.payload,
        ...(args.metadata === undefined ? {} : { metadata: args.metadata }),
        ...(args.delayMs === undefined ? {} : { delayMs: args.delayMs }),
      });
      return ok(`enqueued task ${taskId}`, { taskId });
    }),
  );
  server.registerTool(
    'queue_dequeue',
    {
      title: 'Claim the next task',
      description:
        `Claim the next visible task of a priority queue of ${where}. The task is leased to you: ack it with queue_ack (done) ` +
        'or queue_nack (retry later) before the lease ends, or it becomes visible again.',
      inputSchema: {
        queue,
        workerId: z.string().min(1).max(256).default('mcp').describe("who claims it (default 'mcp')"),
        visibilityTimeoutMs: z
          .number()
          .int()
          .min(1)
          .max(24 * 3_600_000)
          .optional()
          .describe('lease length (default: the queue setting)'),
      },
      annotations: WRITES,
    },
    guarded(async (args) => {
      const task = await scope.queue(args.queue).dequeue({
        workerId: args.workerId,
        ...(args.visibilityTimeoutMs === undefined ? {} : { visibilityTimeoutMs: args.visibilityTimeoutMs }),
      });
      if (task === null) return ok('no task is visible', { task: null });
      const view = { ...taskOf(task), claimToken: task.claimToken, leaseExpiresAt: task.leaseExpiresAt };
      return ok(JSON.stringify(view), { task: view });
    }),
  );
  server.registerTool(
    'queue_ack',
    {
      title: 'Acknowledge a task',
      description: `Mark a claimed task of a queue of ${where} done. False when the claim was lost (the lease ended and the task was re-delivered).`,
      inputSchema: { queue, taskId, claimToken },
      annotations: { ...WRITES, idempotentHint: true },
    },
    guarded(async (args) => {
      const acked = await scope.queue(args.queue).ack(args.taskId, args.claimToken === undefined ? {} : { claimToken: args.claimToken });
      return ok(acked ? `acked ${args.taskId}` : `not acked: ${args.taskId} is not claimed (or the claim was lost)`, { acked });
    }),
  );
  server.registerTool(
    'queue_nack',
    {
      title: 'Return a task',
      description: `Give a claimed task of a queue of ${where} back for a retry (after delayMs, at a new priority if given).`,
      inputSchema: {
        queue,
        taskId,
        claimToken,
        delayMs: z
          .number()
          .int()
          .min(0)
          .max(365 * 24 * 3_600_000)
          .optional()
          .describe('retry after this long'),
        priority: z.number().int().safe().optional().describe('retry at this priority'),
      },
      annotations: WRITES,
    },
    guarded(async (args) => {
      const nacked = await scope.queue(args.queue).nack(args.taskId, {
        ...(args.claimToken === undefined ? {} : { claimToken: args.claimToken }),
        ...(args.delayMs === undefined ? {} : { delayMs: args.delayMs }),
        ...(args.priority === undefined ? {} : { priority: args.priority }),
      });
      return ok(nacked ? `returned ${args.taskId} for a retry` : `not returned: ${args.taskId} is not claimed (or the claim was lost)`, { nacked });
    }),
  );
}

/** A task as plain data, its payload as text. */
function taskOf(task: TaskView): { readonly [key: string]: unknown } {
  return {
    taskId: task.taskId,
    priority: task.priority,
    payload: bytesText(task.payload),
    metadata: plain(task.metadata),
    attempts: task.attempts,
    enqueuedAt: task.enqueuedAt,
  };
}
