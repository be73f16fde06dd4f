import { decodeKey, encodeKey, ProtocolError, type OwnerServices, type Storage } from '@sochdb/core';
import { SharedQueueEngine, type QueueWork, type WorkResult } from './shared-engine.js';
import type { EngineSettings } from './storage-engine.js';
import type { Task } from './types.js';

/** The name the queue service is provided under (core's OwnerServices). */
export const QUEUE_SERVICE = 'sochdb.queue.v1';

/** The engine settings a call carries (the clock is always the owner's `Date.now`). */
export type ServiceSettings = Pick<EngineSettings, 'visibilityTimeoutMs' | 'maxAttempts' | 'deadLetterQueue'>;

/** One call: a process's batch of dequeues and acks for one queue. */
export interface QueueCall {
  readonly queue: string;
  readonly settings: ServiceSettings;
  readonly work: readonly QueueWork[];
}

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
    // Into the owner's one engine: this call's work shares transactions with every other process's.
    return encodeResults(await Promise.all(call.work.map((work) => shared.submit(work))));
  });
}

export function encodeCall(call: QueueCall): Buffer {
  return Buffer.from(JSON.stringify(call), 'utf8');
}

function decodeCall(request: Buffer): QueueCall {
  const call = JSON.parse(request.toString('utf8')) as Partial<QueueCall> | null;
  if (call === null || typeof call !== 'object' || typeof call.queue !== 'string' || typeof call.settings !== 'object' || !Array.isArray(call.work)) {
    throw new ProtocolError('malformed queue service call');
  }
  return call as QueueCall;
}

/**
 * Payload bytes one reply carries at most (IPC frames are 16 MiB by default); the caller reads
 * the bodies of the other tasks itself — they cannot change while it holds their claims.
 */
const INLINE_PAYLOAD_BYTES = 4 * 1024 * 1024;

/** A task as the reply carries it: its payload, or none when the caller must read the body. */
export type ServedTask = Omit<Task, 'payload'> & { readonly payload: Buffer | undefined };

/** Results as one tuple: their JSON, tasks without payloads, then each inline payload as bytes (no base64). */
function encodeResults(results: readonly WorkResult[]): Buffer {
  const payloads: Buffer[] = [];
  let budget = INLINE_PAYLOAD_BYTES;
  const views = results.map((task) => {
    if (task === null || typeof task === 'boolean') return task;
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

export function decodeResults(reply: Buffer): (ServedTask | null | boolean)[] {
  const [json, ...payloads] = decodeKey(reply);
  if (typeof json !== 'string') throw new ProtocolError('malformed queue service reply');
  let next = 0;
  return (JSON.parse(json) as ((Omit<Task, 'payload'> & { inline: boolean }) | null | boolean)[]).map((entry) => {
    if (entry === null || typeof entry === 'boolean') return entry;
    const { inline, ...view } = entry;
    if (!inline) return { ...view, payload: undefined };
    const payload = payloads[next++];
    if (!(payload instanceof Uint8Array)) throw new ProtocolError('malformed queue service reply');
    return { ...view, payload: Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength) };
  });
}
