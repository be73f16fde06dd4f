import { asTransaction, ValidationError } from '@sochdb/core';
import { MAX_DURATION_MS } from './config.js';
import type { CheckedEnqueue, ClaimRef, EnqueueInput, JsonValue, TaskMetadata, WithTransactionLike, WriteOptions } from './types.js';

// The one array guard every package shares (it keeps a readonly T[]'s elements typed).
export { isArray } from '@sochdb/core/internal';

export type { CheckedEnqueue } from './types.js';

// Arguments are checked before anything is written, so bad input fails with a ValidationError
// naming the field and never leaves a half-done operation behind.

const MAX_ID_LENGTH = 256;

function fail(field: string, message: string, remediation: string): never {
  throw new ValidationError(`${field} ${message}`, { field, remediation });
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return `${typeof value} ${String(value)}`;
  return typeof value;
}

export function requireQueueName(name: unknown, field = 'name'): string {
  if (typeof name !== 'string' || name.length === 0 || name.length > MAX_ID_LENGTH) {
    fail(field, `must be a non-empty string of at most ${MAX_ID_LENGTH} characters, got ${describe(name)}`, 'Name the queue, e.g. "tasks".');
  }
  return name;
}

export function requirePriority(value: unknown, field = 'priority'): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    fail(
      field,
      `must be a safe integer (between ${Number.MIN_SAFE_INTEGER} and ${Number.MAX_SAFE_INTEGER}), got ${describe(value)}`,
      'Use an integer; lower numbers run first.',
    );
  }
  return value;
}

export function requireDuration(value: unknown, field: string, { min = 0 } = {}): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > MAX_DURATION_MS) {
    fail(field, `must be an integer number of milliseconds from ${min} to ${MAX_DURATION_MS}, got ${describe(value)}`, `Pass ${field} in whole milliseconds.`);
  }
  return value;
}

export function requireTaskId(value: unknown, field = 'taskId'): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_ID_LENGTH) {
    fail(
      field,
      `must be a non-empty string of at most ${MAX_ID_LENGTH} characters, got ${describe(value)}`,
      'Pass the taskId that enqueue or dequeue returned.',
    );
  }
  return value;
}

export function requireWorkerId(value: unknown): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_ID_LENGTH) {
    fail('workerId', `must be a non-empty string, got ${describe(value)}`, "Name the worker, e.g. dequeue({ workerId: 'worker-1' }).");
  }
  return value;
}

export function requireSignal(value: unknown, field = 'signal'): AbortSignal | undefined {
  if (value === undefined) return undefined;
  if (
    typeof value !== 'object' ||
    value === null ||
    typeof (value as AbortSignal).aborted !== 'boolean' ||
    typeof (value as AbortSignal).addEventListener !== 'function'
  ) {
    fail(field, `must be an AbortSignal, got ${describe(value)}`, 'Pass controller.signal of an AbortController.');
  }
  return value as AbortSignal;
}

export function requireLimit(value: unknown, field = 'k'): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    fail(field, `must be a non-negative integer, got ${describe(value)}`, 'Pass how many tasks you want.');
  }
  return value;
}

export function requireWriteOptions(options: WithTransactionLike<WriteOptions> | undefined): WriteOptions {
  if (options === undefined) return {};
  if (typeof options !== 'object' || options === null) fail('options', `must be an object, got ${describe(options)}`, 'Pass an options object or nothing.');
  // Core checks the shape (duck-typed, so a transaction from another copy of @sochdb/core works)
  // and unwraps the SDK's DatabaseTransaction to its core transaction.
  const txn = asTransaction(options.txn);
  return { ...options, txn };
}

export function requirePayload(value: unknown, field = 'payload'): Buffer {
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  if (typeof value === 'string') return Buffer.from(value, 'utf8');
  return fail(
    field,
    `must be bytes (a Uint8Array or Buffer) or a string, got ${describe(value)}`,
    'Serialize the payload first, e.g. Buffer.from(JSON.stringify(data)).',
  );
}

function isJsonValue(value: unknown, depth: number): value is JsonValue {
  if (depth > 64) return false;
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every((v) => isJsonValue(v, depth + 1));
  if (typeof value === 'object') {
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) return false;
    return Object.values(value).every((v) => isJsonValue(v, depth + 1));
  }
  return false;
}

export function requireMetadata(value: unknown, field = 'metadata'): TaskMetadata {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value) || !isJsonValue(value, 0)) {
    fail(field, 'must be a plain object of JSON values (strings, finite numbers, booleans, null, arrays, objects)', 'Keep metadata JSON-serializable.');
  }
  return value as TaskMetadata;
}

/** A validated, normalized enqueue request. */

export function requireEnqueueInput(input: EnqueueInput, field = 'task'): CheckedEnqueue {
  if (typeof input !== 'object' || input === null) fail(field, `must be an object, got ${describe(input)}`, 'Pass { priority, payload }.');
  return {
    priority: requirePriority(input.priority, `${field}.priority`),
    payload: requirePayload(input.payload, `${field}.payload`),
    metadata: requireMetadata(input.metadata, `${field}.metadata`),
    delayMs: input.delayMs === undefined ? 0 : requireDuration(input.delayMs, `${field}.delayMs`),
    taskId: input.taskId === undefined ? undefined : requireTaskId(input.taskId, `${field}.taskId`),
  };
}

/** `ack(task)`, `ack(taskId)` or `ack(taskId, { claimToken })` all name one claim. */
export function toClaimRef(task: string | ClaimRef, claimToken: string | undefined): ClaimRef {
  if (typeof task === 'string') {
    requireTaskId(task);
    return claimToken === undefined ? { taskId: task } : { taskId: task, claimToken: requireClaimToken(claimToken) };
  }
  if (typeof task !== 'object' || task === null) {
    fail('task', `must be a taskId or a task from dequeue(), got ${describe(task)}`, 'Pass the task dequeue() returned.');
  }
  const token = claimToken ?? task.claimToken;
  return token === undefined ? { taskId: requireTaskId(task.taskId) } : { taskId: requireTaskId(task.taskId), claimToken: requireClaimToken(token) };
}

function requireClaimToken(value: unknown): string {
  if (typeof value !== 'string' || value.length === 0) fail('claimToken', 'must be the claimToken dequeue() returned', 'Pass task.claimToken.');
  return value;
}
