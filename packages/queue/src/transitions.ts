import type { TaskBody, TaskRecord } from './records.js';
import type { AttemptOutcome, AttemptRecord, ClaimRef, TaskView } from './types.js';

// Task state transitions shared by both engines, so they agree on every rule.

/**
 * Whether this caller may still ack/nack/extend the task: the latest delivery has not been
 * superseded (re-claimed, nacked, dead-lettered). Without a token any live delivery qualifies.
 */
export function holdsClaim(record: TaskRecord, claim: ClaimRef): boolean {
  return record.token !== undefined && (claim.claimToken === undefined || claim.claimToken === record.token);
}

export function endLastAttempt(history: readonly AttemptRecord[], outcome: AttemptOutcome, at: number): AttemptRecord[] {
  const last = history[history.length - 1];
  if (last === undefined || last.outcome !== 'claimed') return [...history];
  return [...history.slice(0, -1), { ...last, outcome, endedAt: at }];
}

export function reopenLastAttempt(history: readonly AttemptRecord[]): AttemptRecord[] {
  const last = history[history.length - 1];
  if (last === undefined || last.outcome === 'claimed') return [...history];
  return [...history.slice(0, -1), { workerId: last.workerId, claimedAt: last.claimedAt, outcome: 'claimed' }];
}

export function toView(record: TaskRecord, body: TaskBody): TaskView {
  const view: TaskView = {
    taskId: record.id,
    priority: record.priority,
    payload: body.payload,
    metadata: body.metadata,
    state: record.state,
    attempts: record.attempts,
    history: record.history,
    enqueuedAt: record.enqueuedAt,
    visibleAt: record.visibleAt,
  };
  return body.deadLetter === undefined ? view : { ...view, deadLetter: body.deadLetter };
}

/**
 * The task as it stands at `now`: a delayed task whose time has come is pending, and so is a
 * claimed task whose lease ran out (its delivery recorded as expired). `exhausted` marks an
 * expired lease on the last allowed delivery: the task must be dead-lettered.
 */
export function asOf(record: TaskRecord, now: number, maxAttempts: number): { readonly record: TaskRecord; readonly exhausted: boolean } {
  if (record.visibleAt > now) return { record, exhausted: false };
  if (record.state === 'delayed') return { record: { ...record, state: 'pending' }, exhausted: false };
  if (record.state === 'claimed') {
    const expired: TaskRecord = { ...record, state: 'pending', history: endLastAttempt(record.history, 'expired', record.visibleAt) };
    return { record: expired, exhausted: record.attempts >= maxAttempts };
  }
  return { record, exhausted: false };
}

/** The record of a new delivery to `workerId`. */
export function claimed(prev: TaskRecord, workerId: string, now: number, leaseMs: number, token: string): TaskRecord {
  return {
    ...prev,
    state: 'claimed',
    attempts: prev.attempts + 1,
    visibleAt: now + leaseMs,
    token,
    workerId,
    history: [...prev.history, { workerId, claimedAt: now, outcome: 'claimed' }],
  };
}

/** The record after a nack that still has attempts left. */
export function retried(prev: TaskRecord, now: number, delayMs: number, priority: number | undefined): TaskRecord {
  return {
    ...prev,
    priority: priority ?? prev.priority,
    history: endLastAttempt(prev.history, 'nacked', now),
    state: delayMs > 0 ? 'delayed' : 'pending',
    visibleAt: now + delayMs,
    token: undefined,
    workerId: undefined,
  };
}
