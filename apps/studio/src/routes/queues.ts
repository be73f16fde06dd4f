// Queues: names and counts, the next tasks (topK), a task, dead letters, and — in write mode —
// retrying one dead letter or purging them.
import { Hono } from 'hono';
import { NotFoundError } from '@sochdb/sdk';
import type { StudioContext } from '../context.js';
import { requireWrite } from '../errors.js';
import { DeadQuery, QueueParams, RetryParams, TopQuery } from '../schemas.js';
import { taskJson } from '../task-view.js';
import { validate } from '../validate.js';
import { queueSummaries } from './overview.js';

/** The `/api/queues` routes. */
export function queueRoutes(ctx: StudioContext): Hono {
  /** The queue `name`; NotFoundError when the storage holds no queue of that name. */
  const stored = async (name: string) => {
    if (!(await ctx.source.listQueues()).includes(name)) throw new NotFoundError(`no queue '${name}' in this database`);
    return name;
  };
  return new Hono()
    .get('/', async (c) => c.json({ queues: await queueSummaries(ctx) }))
    .get('/:name/top', validate('param', QueueParams), validate('query', TopQuery), async (c) => {
      const { name } = c.req.valid('param');
      await stored(name);
      const tasks = await ctx.source.topK(name, c.req.valid('query').k);
      return c.json({ name, stats: await ctx.source.queueStats(name), tasks: tasks.map(taskJson) });
    })
    .get('/:name/tasks/:taskId', validate('param', RetryParams), async (c) => {
      const { name, taskId } = c.req.valid('param');
      const task = await ctx.source.getTask(await stored(name), taskId);
      if (task === null) throw new NotFoundError(`no task '${taskId}' in queue '${name}'`);
      return c.json({ task: taskJson(task) });
    })
    .get('/:name/dead', validate('param', QueueParams), validate('query', DeadQuery), async (c) => {
      const { name } = c.req.valid('param');
      const { dlq, limit } = c.req.valid('query');
      await stored(name);
      const letters = await ctx.source.deadLetters(name, dlq, limit);
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
        const retried = await ctx.source.retryDeadLetter(name, taskId, c.req.valid('query').dlq);
        return c.json({ retried, stats: await ctx.source.queueStats(name), dlqStats: await ctx.source.queueStats(retried.from) });
      },
    )
    .delete('/:name/dead', requireWrite(ctx.write, 'purging dead letters'), validate('param', QueueParams), validate('query', DeadQuery), async (c) => {
      const { name } = c.req.valid('param');
      await stored(name);
      return c.json(await ctx.source.purgeDeadLetters(name, c.req.valid('query').dlq));
    });
}
