import { ProtocolError, prefixUpperBound, type Storage } from '@sochdb/core';
import { PayloadWriter, type PayloadReader } from './protocol.js';

/** What a WAIT or CANCEL handler uses of handlers.ts's RequestContext (declared here: no import cycle). */
export interface WaitContext {
  readonly r: PayloadReader;
  readonly storage: Storage;
  readonly keyspace: Uint8Array | undefined;
  readonly waits: ConnectionWaits;
  readonly requestId: number;
}

/**
 * A client's key range as the server's storage sees it: under a keyspace the client names keys
 * without it, and its range (open ends included) never reaches outside it.
 */
export function confineRange(
  keyspace: Uint8Array | undefined,
  gte: Buffer | undefined,
  lt: Buffer | undefined,
): { lower: Uint8Array | undefined; upper: Uint8Array | undefined } {
  if (keyspace === undefined) return { lower: gte, upper: lt };
  return {
    lower: Buffer.concat([keyspace, gte ?? Buffer.alloc(0)]),
    upper: lt ? Buffer.concat([keyspace, lt]) : prefixUpperBound(keyspace),
  };
}

/** The longest a WAIT request waits, whatever it asks for: a client waits longer by asking again. */
export const MAX_WAIT_MS = 60_000;

/**
 * The WAIT requests of one connection still waiting, by request id: a CANCEL naming one ends it,
 * and closing the connection (or the server) ends them all, each with "nothing changed".
 */
export class ConnectionWaits {
  readonly #waiting = new Map<number, AbortController>();
  #closed = false;

  /** Registers the WAIT `requestId`; its signal aborts on CANCEL or close. */
  start(requestId: number): { readonly signal: AbortSignal; readonly end: () => void } {
    const controller = new AbortController();
    if (this.#closed) controller.abort();
    this.#waiting.set(requestId, controller);
    return { signal: controller.signal, end: () => void (this.#waiting.get(requestId) === controller && this.#waiting.delete(requestId)) };
  }

  /** Ends the WAIT `requestId` if it still waits (a CANCEL after its reply is not an error). */
  cancel(requestId: number): void {
    this.#waiting.get(requestId)?.abort();
  }

  /** Ends every WAIT now and any started later. */
  closeAll(): void {
    this.#closed = true;
    for (const controller of this.#waiting.values()) controller.abort();
  }
}

/**
 * WAIT (see Op.WAIT). The base LSN is read synchronously as the request starts, before the
 * connection's later requests run: a client that sends WAIT and then begins a transaction knows
 * that every commit its transaction did not see is after the base.
 */
export function waitForCommit(c: WaitContext): Promise<Buffer> {
  const { r, storage } = c;
  const base = (r.u8() & 1) === 1 ? r.u64() : storage.lsn;
  const timeoutMs = Math.min(r.u32(), MAX_WAIT_MS);
  const bounds = r.u8();
  const gte = bounds & 1 ? r.bytes() : undefined;
  const lt = bounds & 2 ? r.bytes() : undefined;
  r.end();
  if (storage.watch === undefined) throw new ProtocolError("this server's storage cannot report commits as they happen", { remediation: 'Poll instead.' });
  const { lower, upper } = confineRange(c.keyspace, gte, lt);
  const { signal, end } = c.waits.start(c.requestId);
  return new Promise<Buffer>((resolve) => {
    let settled = false;
    const finish = (changed: boolean): void => {
      if (settled) return;
      settled = true;
      off();
      clearTimeout(timer);
      signal.removeEventListener('abort', cancelled);
      end();
      resolve(
        new PayloadWriter()
          .u64(storage.lsn)
          .u8(changed ? 1 : 0)
          .finish(),
      );
    };
    const cancelled = (): void => finish(false);
    const off = storage.watch!({ ...(lower && { gte: lower }), ...(upper && { lt: upper }) }, () => finish(true));
    const timer = setTimeout(cancelled, timeoutMs);
    signal.addEventListener('abort', cancelled);
    if (signal.aborted) finish(false);
    // Commits between the base and the watch's start are in the commit feed. A feed that no
    // longer reaches back that far (a gap) may hide one: say "changed", the client re-reads.
    else if (storage.lsn > base) {
      storage.changesAfter(base, { ...(lower && { gte: lower }), ...(upper && { lt: upper }), limit: 1 }).then(
        (batch) => batch.commits.length > 0 && finish(true),
        () => finish(true),
      );
    }
  });
}

/** CANCEL (see Op.CANCEL). */
export function cancelWait(c: WaitContext): undefined {
  const id = c.r.u32();
  c.r.end();
  c.waits.cancel(id);
  return undefined;
}
