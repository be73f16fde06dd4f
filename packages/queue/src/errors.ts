import { SochDBError, ValidationError, type QueueErrorCode, type ValidationErrorOptions } from '@sochdb/core';

// Queue errors use the 7xxx range; codes never change once published.

/** The base of queue-specific failures that are not argument errors. */
export class QueueError extends SochDBError {
  override readonly code: QueueErrorCode = 7000;
}

/** `extendVisibility` on a claim this caller no longer holds (acked, nacked, or re-claimed by another worker). */
export class ClaimLostError extends QueueError {
  override readonly code = 7001 as const;
  /** The task whose claim was lost. */
  readonly taskId: string;
  constructor(taskId: string) {
    super(`task '${taskId}' is not claimed under this claim any more`, {
      remediation: 'Stop working on it: its lease expired and it was re-delivered, or it was already acked or nacked.',
    });
    this.taskId = taskId;
  }
}

/** `enqueue` with a `taskId` that names a task still in the queue. */
export class DuplicateTaskError extends ValidationError {
  /** 7002; the class is a ValidationError (6000 family) by inheritance, so argument-error handling catches it too. */
  override readonly code = 7002 as const;
  /** The id that is already taken. */
  readonly taskId: string;
  constructor(taskId: string, options: ValidationErrorOptions = {}) {
    super(`a task with id '${taskId}' is already in the queue`, {
      field: 'taskId',
      remediation: 'Use a new taskId, or omit it to get a random one.',
      ...options,
    });
    this.taskId = taskId;
  }
}

/**
 * `remove(taskId)` found the task claimed by a worker: removing it would pull it from under that
 * worker. Pass `{ includeClaimed: true }` to remove it anyway (the worker's ack then finds nothing).
 */
export class TaskClaimedError extends QueueError {
  override readonly code = 7004 as const;
  /** The claimed task's id. */
  readonly taskId: string;
  constructor(taskId: string, workerId: string | undefined) {
    super(`task '${taskId}' is claimed${workerId === undefined ? '' : ` by worker '${workerId}'`}: it is not removed while a worker holds it`, {
      remediation: 'Wait for the worker to ack or nack it, or pass { includeClaimed: true } to remove it anyway.',
    });
    this.taskId = taskId;
  }
}

/** A task's record in storage could not be read (written by an incompatible version, or damaged). */
export class CorruptTaskError extends QueueError {
  override readonly code = 7003 as const;
}
