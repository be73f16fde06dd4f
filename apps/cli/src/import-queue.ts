// `sochdb import <db> --queue NAME`: tasks from JSON Lines in the format `sochdb export --queue`
// writes, enqueued as new tasks with their id, priority, payload and metadata. What a task went
// through is not carried over: each arrives pending with no attempts (a claimed or dead one too;
// filter the file first to leave those out), a delayed one keeps what is left of its delay. An id
// that the queue holds already is a DuplicateTaskError naming the line.
import { ValidationError } from '@sochdb/core';
import type { Database, TaskMetadata } from '@sochdb/sdk';
import type { ImportTarget } from './import-run.js';
import { decodeBase64 } from './values.js';

export function queueTarget(db: Database, name: string): ImportTarget<unknown> {
  const queue = db.queue(name);
  return {
    async write({ value }, txn) {
      const task = parseTaskLine(value);
      await queue.enqueue(task, { txn: txn.core });
    },
  };
}

function parseTaskLine(line: unknown): { taskId?: string; priority: number; payload: Buffer; metadata?: TaskMetadata; delayMs?: number } {
  if (line === null || typeof line !== 'object' || Array.isArray(line)) {
    throw new ValidationError('expected a task {"taskId"?, "priority", "payload", "metadata"?}', {
      remediation: 'Write one object per line, as `sochdb export --queue` does.',
    });
  }
  const { taskId, priority, payload, payloadEncoding, metadata, state, visibleAt } = line as Record<string, unknown>;
  if (typeof payload !== 'string') throw new ValidationError('"payload" must be a string', { field: 'payload' });
  if (payloadEncoding !== undefined && payloadEncoding !== 'base64') {
    throw new ValidationError('"payloadEncoding" must be "base64" (or absent for UTF-8 text)', { field: 'payloadEncoding' });
  }
  if (taskId !== undefined && typeof taskId !== 'string') throw new ValidationError('"taskId" must be a string', { field: 'taskId' });
  if (metadata !== undefined && (metadata === null || typeof metadata !== 'object' || Array.isArray(metadata))) {
    throw new ValidationError('"metadata" must be an object', { field: 'metadata' });
  }
  // The queue checks priority (a safe integer) and metadata's values itself.
  const delayMs = state === 'delayed' && typeof visibleAt === 'number' ? Math.max(0, Math.round(visibleAt - Date.now())) : 0;
  return {
    ...(taskId === undefined ? {} : { taskId }),
    priority: priority as number,
    payload: payloadEncoding === 'base64' ? decodeBase64(payload, 'payload') : Buffer.from(payload, 'utf8'),
    ...(metadata === undefined ? {} : { metadata: metadata as TaskMetadata }),
    ...(delayMs > 0 ? { delayMs } : {}),
  };
}
