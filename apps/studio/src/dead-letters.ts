// Dead letters of a queue. A queue's config (and so its `deadLetterQueue`) is not stored: each
// program that opens a queue passes it. The studio therefore finds a queue's dead letters where
// they can be: tasks of the queue itself in state `dead` (a queue without a dead-letter queue),
// and tasks of other stored queues whose `deadLetter.queue` names it — or only those of the
// dead-letter queue the request names (`?dlq=`).
import { listQueues, NotFoundError, ValidationError, type Database, type PriorityQueue, type TaskView } from '@sochdb/sdk';
import type { DeadLetter } from './source.js';

/** What these helpers take: the database and its queues, opened once (database-source.ts makes it). */
export interface DatabaseHandle {
  readonly db: Database;
  /** The queue `name`, opened once (opening a queue builds its in-memory index). */
  queue(name: string): PriorityQueue;
}

/**
 * `dlq` when the database stores a queue of that name; NotFoundError otherwise. Checked before
 * opening it: opening a queue of a new name would store its (empty) index, making it appear.
 */
async function storedQueue(ctx: DatabaseHandle, dlq: string): Promise<string> {
  if (!(await listQueues(ctx.db.storage)).includes(dlq)) throw new NotFoundError(`no queue '${dlq}' in this database`);
  return dlq;
}

/** The dead letters of queue `name` (at most `limit`), held in `dlq` when given. */
export async function deadLetters(ctx: DatabaseHandle, name: string, dlq: string | undefined, limit: number): Promise<DeadLetter[]> {
  const out: DeadLetter[] = [];
  const holders = dlq === undefined ? await listQueues(ctx.db.storage) : [name, await storedQueue(ctx, dlq)];
  for (const holder of holders) {
    for await (const task of ctx.queue(holder).tasks()) {
      const mine = holder === name ? task.state === 'dead' : task.deadLetter?.queue === name;
      if (!mine) continue;
      out.push({ heldIn: holder, task });
      if (out.length >= limit) return out;
    }
  }
  return out;
}

/** The dead-letter queues holding letters of `name` (or `[dlq]`), for purge and retry. */
async function letterQueues(ctx: DatabaseHandle, name: string, dlq: string | undefined): Promise<string[]> {
  if (dlq !== undefined) return [await storedQueue(ctx, dlq)];
  const found = new Set<string>();
  for (const letter of await deadLetters(ctx, name, undefined, Number.MAX_SAFE_INTEGER)) if (letter.heldIn !== name) found.add(letter.heldIn);
  return [...found];
}

/**
 * Moves dead letter `taskId` back into queue `name` in one transaction (`remove` from where it is
 * held, `enqueue` into `name`): at the priority it had when it was dead-lettered, with its payload
 * and metadata, and its original id when `name` holds no task of that id. A task dead in `name`
 * itself (a queue without a dead-letter queue) is re-enqueued there under a new id. A letter a
 * worker of the dead-letter queue holds right now is refused (TaskClaimedError, 409).
 */
export async function retryDeadLetter(
  ctx: DatabaseHandle,
  name: string,
  taskId: string,
  dlq: string | undefined,
): Promise<{ readonly taskId: string; readonly from: string }> {
  const source = ctx.queue(name);
  let holder: string | undefined;
  let letter: TaskView | null = null;
  for (const q of await letterQueues(ctx, name, dlq)) {
    letter = await ctx.queue(q).getTask(taskId);
    if (letter?.deadLetter?.queue === name) {
      holder = q;
      break;
    }
  }
  if (holder === undefined) {
    letter = await source.getTask(taskId);
    if (letter?.state !== 'dead') throw new NotFoundError(`no dead letter '${taskId}' of queue '${name}'`);
    holder = name;
  }
  const found = letter!;
  const origin = found.deadLetter;
  const keepId = origin !== undefined && (await source.getTask(origin.taskId)) === null;
  const from = holder;
  let newId = '';
  // One transaction: the task is in exactly one of the two queues whatever happens.
  await ctx.db.storage.transaction(async (txn) => {
    const removed = await ctx.queue(from).remove(taskId, { txn });
    if (removed === null) throw new NotFoundError(`dead letter '${taskId}' of queue '${name}' is gone (another process took it)`);
    newId = await source.enqueue(
      { priority: origin?.priority ?? removed.priority, payload: removed.payload, metadata: removed.metadata, ...(keepId ? { taskId: origin.taskId } : {}) },
      { txn },
    );
  });
  return { taskId: newId, from };
}

/**
 * Purges the dead letters of `name`: every task of its dead-letter queue(s). A dead-letter queue
 * that also holds letters of other queues is refused (purge takes a whole queue): ValidationError.
 */
export async function purgeDeadLetters(
  ctx: DatabaseHandle,
  name: string,
  dlq: string | undefined,
): Promise<{ readonly purged: number; readonly queues: readonly string[] }> {
  const queues = await letterQueues(ctx, name, dlq);
  for (const q of queues) {
    for await (const task of ctx.queue(q).tasks()) {
      if (task.deadLetter?.queue !== name) {
        throw new ValidationError(`queue '${q}' also holds task '${task.taskId}', which is not a dead letter of '${name}'; purging it would remove that too`, {
          field: 'query.dlq',
          remediation: 'Purge that queue as a whole elsewhere, or retry the letters one by one.',
        });
      }
    }
  }
  let purged = 0;
  for (const q of queues) purged += await ctx.queue(q).purge();
  return { purged, queues };
}
