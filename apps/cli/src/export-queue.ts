// `sochdb export <db> --queue NAME`: every task of a queue, in any state, as JSON Lines in task-id
// order (PriorityQueue.tasks()):
//   {"taskId":"t1","priority":0,"state":"pending","attempts":0,"enqueuedAt":…,"visibleAt":…,"metadata":{},"payload":"…"}
// A payload that is not UTF-8 text is written as base64 with "payloadEncoding":"base64".
import { ValidationError } from '@sochdb/core';
import { listQueues, type Database, type TaskView } from '@sochdb/sdk';
import { toJson } from './json.js';
import type { LineSink } from './output.js';
import { bytesToJson } from './values.js';

/** Tasks written per sink write. */
const BATCH = 500;

/** Writes every task of queue `name`; resolves with the count. */
export async function exportQueue(db: Database, name: string, sink: LineSink, onRow: (rows: number) => void): Promise<number> {
  await requireQueue(db, name);
  let rows = 0;
  let out = '';
  for await (const task of db.queue(name).tasks()) {
    out += `${toJson(taskLine(task))}\n`;
    if (++rows % BATCH === 0) {
      await sink.write(out);
      out = '';
      onRow(rows);
    }
  }
  if (out !== '') await sink.write(out);
  onRow(rows);
  return rows;
}

/** A queue name that holds nothing is a typo more often than an empty queue: say so. */
export async function requireQueue(db: Database, name: string): Promise<void> {
  const names = await listQueues(db.storage);
  if (!names.includes(name)) {
    throw new ValidationError(`no queue named ${JSON.stringify(name)}`, {
      field: 'queue',
      remediation: names.length === 0 ? 'This database holds no queue.' : `Its queues: ${names.join(', ')}.`,
    });
  }
}

function taskLine(task: TaskView): Record<string, unknown> {
  const payload = bytesToJson(task.payload);
  return {
    taskId: task.taskId,
    priority: task.priority,
    state: task.state,
    attempts: task.attempts,
    enqueuedAt: task.enqueuedAt,
    visibleAt: task.visibleAt,
    metadata: task.metadata,
    payload: payload.text,
    ...(payload.base64 ? { payloadEncoding: 'base64' } : {}),
  };
}
