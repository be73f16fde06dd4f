// A queue task as the API shows it: the payload as a ValueView (text/JSON/hex) instead of bytes.
import type { TaskView } from '@sochdb/sdk';
import { viewValue } from './bytes-view.js';

/** `task` for JSON: everything TaskView has, the payload shown as text, JSON and hex. */
export function taskJson(task: TaskView) {
  return {
    taskId: task.taskId,
    priority: task.priority,
    state: task.state,
    attempts: task.attempts,
    enqueuedAt: task.enqueuedAt,
    visibleAt: task.visibleAt,
    payload: viewValue(task.payload, 16 * 1024),
    metadata: task.metadata,
    history: task.history,
    ...(task.deadLetter === undefined ? {} : { deadLetter: task.deadLetter }),
  };
}
