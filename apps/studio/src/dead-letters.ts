// Dead letters of a queue. A queue's config (and so its `deadLetterQueue`) is not stored: each
// program that opens a queue passes it. The studio therefore finds a queue's dead letters where
// they can be: tasks of the queue itself in state `dead` (a queue without a dead-letter queue),
// and tasks of other stored queues whose `deadLetter.queue` names it — or only those of the
// dead-letter queue the request names (`?dlq=`).
import { listQueues, NotFoundError, PriorityQueue, TransactionError, ValidationError, type TaskView } from '@sochdb/sdk';
import type { StudioContext } from './context.js';

/** A dead letter and the queue holding it. */
export interface DeadLetter {
  /** The queue the task is in now: the dead-letter queue, or the source queue for a `dead` task. */
  readonly heldIn: string;
  readonly task: TaskView;
}

/** The workerId the studio claims with, seen in the attempt history of tasks it touched. */
export const STUDIO_WORKER = 'sochdb-studio';

/**
 * `dlq` when the database stores a queue of that name; NotFoundError otherwise. Checked before
 * opening it: opening a queue of a new name would store its (empty) index, making it appear.
 */
async function storedQueue(ctx: StudioContext, dlq: string): Promise<string> {
  if (!(await listQueues(ctx.db.storage)).includes(dlq)) throw new NotFoundError(`no queue '${dlq}' in this database`);
  return dlq;
}

/** The dead letters of queue `name` (at most `limit`), held in `dlq` when given. */
export async function deadLetters(ctx: StudioContext, name: string, dlq: string | undefined, limit: number): Promise<DeadLetter[]> {
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
async function letterQueues(ctx: StudioContext, name: string, dlq: string | undefined): Promise<string[]> {
  if (dlq !== undefined) return [await storedQueue(ctx, dlq)];
  const found = new Set<string>();
  for (const letter of await deadLetters(ctx, name, undefined, Number.MAX_SAFE_INTEGER)) if (letter.heldIn !== name) found.add(letter.heldIn);
  return [...found];
}

/**
 * Moves dead letter `taskId` back into queue `name`, at its priority when it was dead-lettered,
 * with its payload and metadata (and its id, when the queue holds no task of that id).
 *
 * The queue API can only claim the next task, so only the dead-letter queue's next task can be
 * retried: one behind others is refused (TransactionError, 409) rather than claiming and giving
 * back the tasks before it, which would spend their delivery attempts and write the studio into
 * their history. A task of the source queue in state `dead` (no dead-letter queue) cannot be
 * claimed at all: TransactionError (409) says so. (A queue operation that takes one task by id
 * would lift both limits; @sochdb/queue has none yet.)
 */
export async function retryDeadLetter(
  ctx: StudioContext,
  name: string,
  taskId: string,
  dlq: string | undefined,
): Promise<{ readonly taskId: string; readonly from: string }> {
  const source = ctx.queue(name);
  const candidates = await letterQueues(ctx, name, dlq);
  let holder: string | undefined;
  let letter: TaskView | null = null;
  for (const q of candidates) {
    letter = await ctx.queue(q).getTask(taskId);
    if (letter?.deadLetter?.queue === name) {
      holder = q;
      break;
    }
  }
  if (holder === undefined || letter === null || letter.deadLetter === undefined) {
    const own = await source.getTask(taskId);
    if (own?.state === 'dead') {
      throw new TransactionError(`task '${taskId}' is dead in queue '${name}' itself (it has no dead-letter queue), and a dead task cannot be taken back`, {
        remediation: 'Give the queue a deadLetterQueue, or re-enqueue the payload yourself.',
      });
    }
    throw new NotFoundError(`no dead letter '${taskId}' of queue '${name}'`);
  }
  if (letter.state !== 'pending') {
    throw new TransactionError(`dead letter '${taskId}' is ${letter.state} in queue '${holder}', not waiting`, {
      remediation: 'Try again once it is pending.',
    });
  }
  // Its own queue object, allowing as many deliveries as the queue can count: giving back a task
  // claimed in a race must never dead-letter it (the config is per object, not stored).
  const dead = PriorityQueue.fromDatabase(ctx.db, holder, { maxAttempts: 1_000_000 });
  const notNext = () =>
    new TransactionError(`dead letter '${taskId}' is not the next task of queue '${holder}'`, {
      remediation: 'Retry the dead letters in the order they are listed (the first one first), or purge them.',
    });
  if ((await dead.peek())?.taskId !== taskId) throw notNext();
  const target = await dead.dequeue({ workerId: STUDIO_WORKER });
  if (target === null) throw notNext();
  if (target.taskId !== taskId) {
    // Another consumer took the letter between the peek and the claim: give back what came instead.
    await dead.nack(target);
    throw notNext();
  }
  const origin = letter.deadLetter;
  const keepId = (await source.getTask(origin.taskId)) === null;
  let newId = '';
  try {
    // One transaction: the task is in exactly one of the two queues whatever happens.
    await ctx.db.storage.transaction(async (txn) => {
      newId = await source.enqueue(
        { priority: origin.priority, payload: target.payload, metadata: target.metadata, ...(keepId ? { taskId: origin.taskId } : {}) },
        { txn },
      );
      await dead.ack(target, { txn });
    });
  } catch (error) {
    await dead.nack(target);
    throw error;
  }
  return { taskId: newId, from: holder };
}

/**
 * Purges the dead letters of `name`: every task of its dead-letter queue(s). A dead-letter queue
 * that also holds letters of other queues is refused (purge takes a whole queue): ValidationError.
 */
export async function purgeDeadLetters(
  ctx: StudioContext,
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
