// Queues: names and counts, the next tasks (topK), a task, dead letters, and — in write mode —
// retrying one dead letter or purging them.
import { Hono } from 'hono';
import { listQueues, NotFoundError } from '@sochdb/sdk';
import type { StudioContext } from '../context.js';
import { deadLetters, purgeDeadLetters, retryDeadLetter } from '../dead-letters.js';
import { requireWrite } from '../errors.js';
import { DeadQuery, QueueParams, RetryParams, TopQuery } from '../schemas.js';
import { taskJson } from '../task-view.js';
import { validate } from '../validate.js';
import { queueSummaries } from './overview.js';

/** The `/api/queues` routes. */
export function queueRoutes(ctx: StudioContext): Hono {
  /** The queue `name`; NotFoundError when the storage holds no queue of that name. */
  const stored = async (name: string) => {
    if (!(await listQueues(ctx.db.storage)).includes(name)) throw new NotFoundError(`no queue '${name}' in this database`);
    return ctx.queue(name);
  };
  return new Hono()
    .get('/', async (c) => c.json({ queues: await queueSummaries(ctx) }))
    .get('/:name/top', validate('param', QueueParams), validate('query', TopQuery), async (c) => {
      const { name } = c.req.valid('param');
      const queue = await stored(name);
      const tasks = await queue.topK(c.req.valid('query').k);
      return c.json({ name, stats: await queue.stats(), tasks: tasks.map(taskJson) });
    })
    .get('/:name/tasks/:taskId', validate('param', RetryParams), async (c) => {
      const { name, taskId } = c.req.valid('param');
      const task = await (await stored(name)).getTask(taskId);
      if (task === null) throw new NotFoundError(`no task '${taskId}' in queue '${name}'`);
      return c.json({ task: taskJson(task) });
    })
    .get('/:name/dead', validate('param', QueueParams), validate('query', DeadQuery), async (c) => {
      const { name } = c.req.valid('param');
      const { dlq, limit } = c.req.valid('query');
      await stored(name);
      const letters = await deadLetters(ctx, name, dlq, limit);
      return c.json({ name, letters: letters.map((l) => ({ heldIn: l.heldIn, task: taskJson(l.task) })) });
    })
    .post(
      '/:name/dead/:taskId/retry',
      requireWrite(ctx.write, 'retrying a dead letter'),
      validate('param', RetryParams),
      validate('query', DeadQuery),
      async (c) => {
        const { name, taskId } = c.req.valid('param');
        await stored(name);
        const retried = await retryDeadLetter(ctx, name, taskId, c.req.valid('query').dlq);
        return c.json({ retried, stats: await ctx.queue(name).stats(), dlqStats: await ctx.queue(retried.from).stats() });
      },
    )
    .delete('/:name/dead', requireWrite(ctx.write, 'purging dead letters'), validate('param', QueueParams), validate('query', DeadQuery), async (c) => {
      const { name } = c.req.valid('param');
      await stored(name);
      return c.json(await purgeDeadLetters(ctx, name, c.req.valid('query').dlq));
    });
}
