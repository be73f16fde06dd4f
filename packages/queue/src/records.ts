import { decodeKey, encodeKey, type KeyTuple } from '@sochdb/core';
import { CorruptTaskError } from './errors.js';
import type { AttemptRecord, DeadLetterOrigin, TaskMetadata, TaskState } from './types.js';

/**
 * Storage layout of one queue, all under the tuple prefix ['q', name]:
 * - ['q', name, 's', taskId] → the task's state (priority, enqueue sequence, attempts, lease), JSON.
 *   Small, rewritten on every transition; scanning these rebuilds the in-memory order at open.
 * - ['q', name, 'b', taskId] → the task's body (payload, metadata), written once at enqueue.
 * - ['q', name, 'n', counter] and ['q', name, 'd', counter, session, n] → durable counters (see counters.ts).
 * - ['q', name, 'r', priority, seq, taskId] → '' for every pending task, and
 *   ['q', name, 't', visibleAt, taskId] → '' for every delayed or claimed one: the order index
 *   that shared mode dequeues from (see order-index.ts); ['q', name, 'i'] marks it as built.
 */
export const queueKeys = {
  state: (queue: string, taskId: string): Buffer => encodeKey(['q', queue, 's', taskId]),
  statePrefix: (queue: string): KeyTuple => ['q', queue, 's'],
  body: (queue: string, taskId: string): Buffer => encodeKey(['q', queue, 'b', taskId]),
  bodyPrefix: (queue: string): KeyTuple => ['q', queue, 'b'],
  counterBase: (queue: string, counter: string): Buffer => encodeKey(['q', queue, 'n', counter]),
  counterDelta: (queue: string, counter: string, session: string, n: number): Buffer => encodeKey(['q', queue, 'd', counter, session, n]),
  counterDeltaPrefix: (queue: string, counter: string): KeyTuple => ['q', queue, 'd', counter],
  ready: (queue: string, priority: number, seq: number, taskId: string): Buffer => encodeKey(['q', queue, 'r', priority, seq, taskId]),
  readyPrefix: (queue: string): KeyTuple => ['q', queue, 'r'],
  timer: (queue: string, visibleAt: number, taskId: string): Buffer => encodeKey(['q', queue, 't', visibleAt, taskId]),
  timerPrefix: (queue: string): KeyTuple => ['q', queue, 't'],
  orderIndexMark: (queue: string): Buffer => encodeKey(['q', queue, 'i']),
};

/** The task id: the last element of a ['q', name, kind, taskId] key. */
export function decodeKeyTail(key: Uint8Array): string {
  const parts = decodeKey(key);
  return String(parts[parts.length - 1]);
}

/** The mutable part of a task; the in-memory index holds one per task. */
export interface TaskRecord {
  readonly id: string;
  readonly priority: number;
  /** Enqueue order, unique within the queue: FIFO among equal priorities. */
  readonly seq: number;
  readonly attempts: number;
  readonly state: TaskState;
  /** Due time of a delayed task; lease end of a claimed one. */
  readonly visibleAt: number;
  /** Token of the latest delivery, while its worker may still ack it. */
  readonly token: string | undefined;
  readonly workerId: string | undefined;
  readonly history: readonly AttemptRecord[];
  readonly enqueuedAt: number;
}

interface StoredState {
  readonly p: number;
  readonly q: number;
  readonly a: number;
  readonly st: TaskState;
  readonly v: number;
  readonly t: string | null;
  readonly w: string | null;
  readonly h: readonly AttemptRecord[];
  readonly e: number;
}

export function encodeState(r: TaskRecord): string {
  const stored: StoredState = {
    p: r.priority,
    q: r.seq,
    a: r.attempts,
    st: r.state,
    v: r.visibleAt,
    t: r.token ?? null,
    w: r.workerId ?? null,
    h: r.history,
    e: r.enqueuedAt,
  };
  return JSON.stringify(stored);
}

export function decodeState(id: string, bytes: Uint8Array): TaskRecord {
  let s: StoredState;
  try {
    s = JSON.parse(Buffer.from(bytes).toString('utf8')) as StoredState;
  } catch (cause) {
    throw new CorruptTaskError(`the stored state of task '${id}' is not valid JSON`, { cause });
  }
  if (typeof s !== 'object' || s === null || typeof s.p !== 'number' || typeof s.q !== 'number' || typeof s.st !== 'string') {
    throw new CorruptTaskError(`the stored state of task '${id}' is not a queue task state`);
  }
  return {
    id,
    priority: s.p,
    seq: s.q,
    attempts: s.a,
    state: s.st,
    visibleAt: s.v,
    token: s.t ?? undefined,
    workerId: s.w ?? undefined,
    history: s.h ?? [],
    enqueuedAt: s.e,
  };
}

export interface TaskBody {
  readonly payload: Buffer;
  readonly metadata: TaskMetadata;
  readonly deadLetter?: DeadLetterOrigin;
}

/** The body is a two-element tuple [header JSON, payload bytes], framed by core's tuple codec. */
export function encodeBody(body: TaskBody): Buffer {
  const header = body.deadLetter === undefined ? { m: body.metadata } : { m: body.metadata, o: body.deadLetter };
  return encodeKey([JSON.stringify(header), body.payload]);
}

export function decodeBody(id: string, bytes: Uint8Array | undefined): TaskBody {
  if (bytes === undefined) throw new CorruptTaskError(`task '${id}' has a state but no body in storage`);
  try {
    const [header, payload] = decodeKey(bytes);
    if (typeof header !== 'string' || !(payload instanceof Uint8Array)) throw new Error('unexpected tuple shape');
    const parsed = JSON.parse(header) as { m: TaskMetadata; o?: DeadLetterOrigin };
    const buffer = Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
    return parsed.o === undefined ? { payload: buffer, metadata: parsed.m } : { payload: buffer, metadata: parsed.m, deadLetter: parsed.o };
  } catch (cause) {
    throw new CorruptTaskError(`the stored body of task '${id}' cannot be decoded`, { cause });
  }
}
