import { ProtocolError, toBytes } from '@sochdb/core';
import type { AttemptRecord, DeadLetterOrigin, EnqueueInput, QueueStats, Task, TaskState, TaskView } from '@sochdb/queue';
import type { AttemptRecord as WireAttempt, AttemptRecord__Output } from './generated/sochdb/v1/AttemptRecord.js';
import type { DeadLetterOrigin as WireDeadLetter, DeadLetterOrigin__Output } from './generated/sochdb/v1/DeadLetterOrigin.js';
import type { QueueStats as WireStats, QueueStats__Output } from './generated/sochdb/v1/QueueStats.js';
import type { Task as WireTask, Task__Output } from './generated/sochdb/v1/Task.js';
import type { TaskInput, TaskInput__Output } from './generated/sochdb/v1/TaskInput.js';
import { parseJsonObject, toJsonText, wireInteger } from './wire-json.js';

// Queue tasks on the wire, both ways. PriorityQueue validated the input before the client sends
// it, and the server's embedded queue validates again what arrives.

/**
 * The longest one Dequeue call waits on the server (`wait_ms` is capped to it): a longer
 * `dequeue({ waitMs })` is several calls. It bounds how long a call holds a stream and how stale
 * a lost connection can get before the client notices.
 */
export const MAX_DEQUEUE_WAIT_MS = 60_000;

/**
 * A task to enqueue. `priority` and `delayMs` must be safe integers (`delayMs` ≥ 0; absent is 0),
 * else a ValidationError naming `field`; a missing taskId is sent as `''` (the server assigns one).
 */
export function taskInputToWire(task: EnqueueInput, field: string): TaskInput {
  return {
    priority: wireInteger(task.priority, `${field}.priority`),
    payload: toBytes(task.payload, `${field}.payload`),
    metadataJson: toJsonText(task.metadata, `${field}.metadata`),
    delayMs: task.delayMs === undefined ? 0 : wireInteger(task.delayMs, `${field}.delayMs`, { min: 0 }),
    taskId: task.taskId ?? '',
  };
}

/** The server side of {@link taskInputToWire}; malformed metadata JSON is a ValidationError naming `field`. */
export function taskInputFromWire(task: TaskInput__Output, field: string): EnqueueInput {
  const metadata = parseJsonObject(task.metadataJson, `${field}.metadata`);
  return {
    priority: task.priority,
    payload: task.payload,
    delayMs: task.delayMs,
    ...(metadata === undefined ? {} : { metadata }),
    ...(task.taskId === '' ? {} : { taskId: task.taskId }),
  };
}

const attemptToWire = (a: AttemptRecord): WireAttempt => ({ ...a });
function attemptFromWire(a: AttemptRecord__Output): AttemptRecord {
  return {
    workerId: a.workerId,
    claimedAt: a.claimedAt,
    outcome: a.outcome as AttemptRecord['outcome'],
    ...(a.endedAt === undefined ? {} : { endedAt: a.endedAt }),
  };
}

const deadLetterToWire = (d: DeadLetterOrigin): WireDeadLetter => ({ ...d, history: d.history.map(attemptToWire) });
function deadLetterFromWire(d: DeadLetterOrigin__Output): DeadLetterOrigin {
  return {
    queue: d.queue,
    taskId: d.taskId,
    priority: d.priority,
    attempts: d.attempts,
    history: d.history.map(attemptFromWire),
    deadLetteredAt: d.deadLetteredAt,
  };
}

/** A TaskView or a claimed Task (which adds workerId, claimToken and leaseExpiresAt). */
export function taskToWire(task: TaskView | Task): WireTask {
  return {
    taskId: task.taskId,
    priority: task.priority,
    payload: task.payload,
    metadataJson: toJsonText(task.metadata, 'metadata'),
    state: task.state,
    attempts: task.attempts,
    history: task.history.map(attemptToWire),
    enqueuedAt: task.enqueuedAt,
    visibleAt: task.visibleAt,
    deadLetter: task.deadLetter === undefined ? null : deadLetterToWire(task.deadLetter),
    ...('claimToken' in task ? { workerId: task.workerId, claimToken: task.claimToken, leaseExpiresAt: task.leaseExpiresAt } : {}),
  };
}

/** A task as a queue reports it (GetTask, TopK); claim fields, if any, are dropped. */
export function taskViewFromWire(task: Task__Output): TaskView {
  return {
    taskId: task.taskId,
    priority: task.priority,
    payload: task.payload,
    metadata: parseJsonObject(task.metadataJson, 'metadata') ?? {},
    state: task.state as TaskState,
    attempts: task.attempts,
    history: task.history.map(attemptFromWire),
    enqueuedAt: task.enqueuedAt,
    visibleAt: task.visibleAt,
    ...(task.deadLetter === null ? {} : { deadLetter: deadLetterFromWire(task.deadLetter) }),
  };
}

/** A dequeued task with its claim token and lease; anything not in state `claimed` with a token is a ProtocolError. */
export function claimedTaskFromWire(task: Task__Output): Task {
  if (task.state !== 'claimed' || task.claimToken === '') throw new ProtocolError(`the server sent a dequeued task in state '${task.state}'`);
  return { ...taskViewFromWire(task), state: 'claimed', workerId: task.workerId, claimToken: task.claimToken, leaseExpiresAt: task.leaseExpiresAt };
}

/** A queue's counters for a Stats reply. */
export const statsToWire = (stats: QueueStats): WireStats => ({ ...stats });
/** A Stats reply as the queue's counters. */
export function statsFromWire(s: QueueStats__Output): QueueStats {
  return { pending: s.pending, delayed: s.delayed, claimed: s.claimed, completed: s.completed, deadLettered: s.deadLettered, total: s.total };
}
