import { decodeKey, encodeKey, ProtocolError, type OwnerServices, type Storage } from '@sochdb/core';
import { SharedQueueEngine } from './shared-engine.js';
import type { EngineSettings } from './storage-engine.js';
import type { ClaimRef, Task } from './types.js';

/** The name the queue service is provided under (core's OwnerServices). */
export const QUEUE_SERVICE = 'sochdb.queue.v1';

/** The engine settings a call carries (the clock is always the owner's `Date.now`). */
export type ServiceSettings = Pick<EngineSettings, 'visibilityTimeoutMs' | 'maxAttempts' | 'deadLetterQueue'>;

export interface DequeueCall {
  readonly queue: string;
  readonly settings: ServiceSettings;
  readonly op: 'dequeue';
  readonly requests: readonly { readonly workerId: string; readonly leaseMs: number }[];
}
export interface AckCall {
  readonly queue: string;
  readonly settings: ServiceSettings;
  readonly op: 'ack';
  readonly claims: readonly ClaimRef[];
}
export type QueueCall = DequeueCall | AckCall;

/**
 * Runs shared-mode queue claims in the owner process of a concurrent-mode database: one call per
 * batch of a process's dequeues (or acks) instead of a transaction of several round trips, and
 * every process's claims go through the owner's one engine per queue, so they never conflict with
 * each other and keep the exact priority order. Every process provides it (the SDK does, at
 * `openConcurrent`), so whichever process owns the folder serves it.
 */
export function provideQueueService(storage: Storage & OwnerServices): void {
  const engines = new Map<string, SharedQueueEngine>();
  storage.provide(QUEUE_SERVICE, async (request) => {
    const call = decodeCall(request);
    const key = JSON.stringify([call.queue, call.settings.visibilityTimeoutMs, call.settings.maxAttempts, call.settings.deadLetterQueue ?? null]);
    let engine = engines.get(key);
    if (engine === undefined) engines.set(key, (engine = new SharedQueueEngine(storage, call.queue, { ...call.settings, clock: Date.now })));
    const shared = engine;
    if (call.op === 'ack') return encodeJson(await Promise.all(call.claims.map((claim) => shared.ack(claim, {}))));
    return encodeTasks(await Promise.all(call.requests.map((r) => shared.dequeue({ workerId: r.workerId, visibilityTimeoutMs: r.leaseMs }))));
  });
}

export function encodeCall(call: QueueCall): Buffer {
  return Buffer.from(JSON.stringify(call), 'utf8');
}

function decodeCall(request: Buffer): QueueCall {
  const call = JSON.parse(request.toString('utf8')) as Partial<QueueCall> | null;
  if (call === null || typeof call !== 'object' || typeof call.queue !== 'string' || typeof call.settings !== 'object' || (call.op !== 'dequeue' && call.op !== 'ack')) {
    throw new ProtocolError('malformed queue service call');
  }
  return call as QueueCall;
}

function encodeJson(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value), 'utf8');
}

export function decodeAcks(reply: Buffer): boolean[] {
  return JSON.parse(reply.toString('utf8')) as boolean[];
}

/**
 * Payload bytes one reply carries at most (IPC frames are 16 MiB by default); the caller reads
 * the bodies of the other tasks itself — they cannot change while it holds their claims.
 */
const INLINE_PAYLOAD_BYTES = 4 * 1024 * 1024;

/** A task as the reply carries it: its payload, or none when the caller must read the body. */
export type ServedTask = Omit<Task, 'payload'> & { readonly payload: Buffer | undefined };

/** Tasks as one tuple: their JSON without payloads, then each inline payload as bytes (no base64). */
function encodeTasks(tasks: readonly (Task | null)[]): Buffer {
  const payloads: Buffer[] = [];
  let budget = INLINE_PAYLOAD_BYTES;
  const views = tasks.map((task) => {
    if (task === null) return null;
    const { payload, ...rest } = task;
    const inline = payload.byteLength <= budget;
    if (inline) {
      budget -= payload.byteLength;
      payloads.push(payload);
    }
    return { ...rest, inline };
  });
  return encodeKey([JSON.stringify(views), ...payloads]);
}

export function decodeTasks(reply: Buffer): (ServedTask | null)[] {
  const [json, ...payloads] = decodeKey(reply);
  if (typeof json !== 'string') throw new ProtocolError('malformed queue service reply');
  let next = 0;
  return (JSON.parse(json) as ((Omit<Task, 'payload'> & { inline: boolean }) | null)[]).map((entry) => {
    if (entry === null) return null;
    const { inline, ...view } = entry;
    if (!inline) return { ...view, payload: undefined };
    const payload = payloads[next++];
    if (!(payload instanceof Uint8Array)) throw new ProtocolError('malformed queue service reply');
    return { ...view, payload: Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength) };
  });
}
