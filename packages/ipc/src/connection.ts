import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { ConnectionError } from '@sochdb/core';
import { toWireError } from './errors-wire.js';
import { encodeFrame, FrameReader, HEADER_BYTES, Op, OP_NAMES, Status, type Frame } from './protocol.js';
import type { LogLevel } from './log.js';
import { RequestTransactions, TransactionTable, type TransactionLimits } from './transactions.js';
import { ConnectionWaits } from './waits.js';

/** What a connection needs from the server that accepted it (IpcServer implements it). */
export interface ConnectionHost {
  /** Executes one request; resolves with the reply frame. */
  handle(frame: Frame, txns: RequestTransactions, waits: ConnectionWaits): Promise<Buffer>;
  log(level: LogLevel, message: string): void;
  /** Counts a request and its bytes in the server's metrics. */
  record(ok: boolean, bytesIn: number, bytesOut: number): void;
  /** Reports one answered request (its opcode, seconds from arrival to reply, and what it failed with). */
  observe(op: number, seconds: number, error: unknown): void;
}

const PIPELINED_WRITES: ReadonlySet<number> = new Set([Op.PUT, Op.DELETE, Op.BATCH]);
/** Requests whose payload starts with the u32 id of the transaction they use. */
const NAMES_TRANSACTION: ReadonlySet<number> = new Set([
  Op.COMMIT,
  Op.ABORT,
  Op.TXN_GET,
  Op.TXN_PUT,
  Op.TXN_DELETE,
  Op.TXN_SCAN,
  Op.TXN_DEPEND,
  Op.TXN_BATCH,
  Op.TXN_GET_MANY,
]);

export interface ConnectionLimits {
  readonly maxFrameBytes: number;
  /** Close the connection after this long with no frame in progress and no request running; 0 = never. */
  readonly idleTimeoutMs: number;
  /** Close the connection when a frame is not whole this long after its first byte; 0 = never. */
  readonly frameTimeoutMs: number;
  readonly transactions: TransactionLimits;
}

/** One client connection: reads frames, answers them in order, owns its transactions. */
export class Connection {
  readonly #reader: FrameReader;
  readonly #txns: TransactionTable;
  #chain: Promise<void> = Promise.resolve();
  readonly #writes = new Set<Promise<void>>();
  readonly #waits = new ConnectionWaits();
  /** WAIT requests running: they do not hold up the chain, so closing waits for them apart. */
  readonly #waiting = new Set<Promise<void>>();
  #closing = false;
  #corked = false;
  #hungUp = false;
  /** Requests received and not yet answered. */
  #inFlight = 0;
  #lastActive = performance.now();
  /** When the first byte of the frame now being received arrived; undefined between frames. */
  #frameStartedAt: number | undefined;
  // The timers are re-armed only when they fire (activity just stamps a time), so the hot path
  // costs no timer operations.
  #idleTimer: NodeJS.Timeout | undefined;
  #frameTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly socket: Socket,
    private readonly server: ConnectionHost,
    private readonly limits: ConnectionLimits,
  ) {
    this.#reader = new FrameReader(limits.maxFrameBytes);
    this.#txns = new TransactionTable(limits.transactions, (level, message) => server.log(level, message));
    socket.on('data', (chunk: Buffer) => this.#onData(chunk));
    socket.on('error', (error) => server.log('debug', `connection error: ${error.message}`));
    socket.once('close', () => {
      clearTimeout(this.#idleTimer);
      clearTimeout(this.#frameTimer);
      this.#waits.closeAll();
      void this.#txns.close();
    });
    if (limits.idleTimeoutMs > 0) this.#idleTimer = setTimeout(() => this.#checkIdle(false), limits.idleTimeoutMs).unref();
  }

  #onData(chunk: Buffer): void {
    if (this.#hungUp) return;
    this.#lastActive = performance.now();
    let frames: Frame[];
    try {
      frames = this.#reader.push(chunk);
    } catch (error) {
      // The byte stream cannot be resynchronized: say why, then hang up on this client only.
      this.#hangUp(error, 'warn');
      return;
    }
    for (const frame of frames) this.#enqueue(frame);
    this.#watchFrame(frames.length > 0);
  }

  #enqueue(frame: Frame): void {
    const arrived = performance.now();
    this.#inFlight++;
    const txns = new RequestTransactions(this.#txns);
    // A transaction named by a request that is waiting its turn is in use, not idle.
    if (NAMES_TRANSACTION.has(frame.tag) && frame.payload.byteLength >= 4) txns.hold(frame.payload.readUInt32BE(0));
    if (PIPELINED_WRITES.has(frame.tag)) {
      // Plain writes are started in order (each takes its LSN as it starts) without waiting for
      // the one before to be durable, so a pipelining client's writes share group commits.
      this.#chain = this.#chain.then(() => {
        const write = this.#run(frame, txns, arrived);
        this.#writes.add(write);
        void write.finally(() => this.#writes.delete(write));
      });
    } else if (frame.tag === Op.WAIT) {
      // Started in its turn (so it reads its base LSN before later requests run), but the chain
      // goes on without it: a wait of seconds must not hold up the connection.
      this.#chain = this.#chain.then(async () => {
        await Promise.all(this.#writes);
        const wait = this.#run(frame, txns, arrived);
        this.#waiting.add(wait);
        void wait.finally(() => this.#waiting.delete(wait));
      });
    } else {
      // Everything else sees every earlier write of this connection applied first.
      this.#chain = this.#chain.then(async () => {
        await Promise.all(this.#writes);
        await this.#run(frame, txns, arrived);
      });
    }
  }

  /** Never rejects: a failure is an ERROR reply. */
  async #run(frame: Frame, txns: RequestTransactions, arrived: number): Promise<void> {
    let reply: Buffer;
    let ok = true;
    let failure: unknown;
    try {
      reply = await this.server.handle(frame, txns, this.#waits);
    } catch (error) {
      ok = false;
      failure = error;
      this.server.log('debug', `${OP_NAMES[frame.tag] ?? frame.tag} failed: ${(error as Error).message}`);
      reply = encodeFrame(frame.requestId, Status.ERROR, Buffer.from(JSON.stringify(toWireError(error))));
    }
    txns.release();
    this.#inFlight--;
    this.#lastActive = performance.now();
    this.server.record(ok, HEADER_BYTES + frame.payload.byteLength, reply.byteLength);
    // Seconds from the frame's arrival: time spent waiting behind this connection's earlier
    // requests counts, as the client sees it.
    this.server.observe(frame.tag, (performance.now() - arrived) / 1000, ok ? undefined : (failure ?? new Error('request failed')));
    this.#send(reply);
  }

  /**
   * Replies that become ready together (a group commit resolves all its writers at once) leave in
   * one `writev` instead of one syscall each: the socket is corked until the current burst of
   * callbacks has run.
   */
  #send(reply: Buffer): void {
    if (this.socket.destroyed) return;
    if (!this.#corked) {
      this.#corked = true;
      this.socket.cork();
      process.nextTick(() => {
        this.#corked = false;
        this.socket.uncork();
      });
    }
    this.socket.write(reply);
  }

  /**
   * A frame must arrive whole within `frameTimeoutMs` of its first byte: otherwise a client
   * dripping bytes (each of which used to reset the idle timer) holds a connection slot forever.
   */
  #watchFrame(completedSome: boolean): void {
    if (!this.#reader.partial) {
      this.#frameStartedAt = undefined;
      return;
    }
    // Bytes left after a completed frame start a new one; otherwise the same frame goes on.
    if (completedSome || this.#frameStartedAt === undefined) this.#frameStartedAt = performance.now();
    const limit = this.limits.frameTimeoutMs;
    if (limit > 0 && this.#frameTimer === undefined) this.#frameTimer = setTimeout(() => this.#checkFrame(false), limit).unref();
  }

  #checkFrame(deferred: boolean): void {
    this.#frameTimer = undefined;
    if (this.#frameStartedAt === undefined || this.#hungUp) return;
    const limit = this.limits.frameTimeoutMs;
    const elapsed = performance.now() - this.#frameStartedAt;
    if (elapsed < limit) {
      this.#frameTimer = setTimeout(() => this.#checkFrame(false), limit - elapsed).unref();
      return;
    }
    // Timers run before the poll phase: after a blocked event loop, the rest of the frame may be
    // waiting unread. One turn of the loop reads it before judging.
    if (!deferred) {
      setImmediate(() => this.#checkFrame(true));
      return;
    }
    this.#hangUp(
      new ConnectionError(`request frame not received whole within ${limit} ms of its first byte`, {
        remediation: 'Send each request frame at once, or raise the server option frameTimeoutMs (--frame-timeout-ms).',
      }),
      'info',
    );
  }

  #checkIdle(deferred: boolean): void {
    if (this.#hungUp || this.socket.destroyed) return;
    const limit = this.limits.idleTimeoutMs;
    // A frame in progress is the frame deadline's business; a running request is not idleness.
    const busy = this.#inFlight > 0 || this.#frameStartedAt !== undefined;
    const idleFor = performance.now() - this.#lastActive;
    if (busy || idleFor < limit) {
      this.#idleTimer = setTimeout(() => this.#checkIdle(false), busy ? limit : limit - idleFor).unref();
      return;
    }
    if (!deferred) {
      setImmediate(() => this.#checkIdle(true)); // as in #checkFrame: read what is waiting first
      return;
    }
    this.server.log('debug', 'closing idle connection');
    this.socket.destroy();
  }

  /** Sends a connection-level ERROR frame (request id 0) and closes: this client only. */
  #hangUp(error: unknown, level: LogLevel): void {
    if (this.#hungUp) return;
    this.#hungUp = true;
    this.server.log(level, `closing connection: ${(error as Error).message}`);
    this.socket.end(encodeFrame(0, Status.ERROR, Buffer.from(JSON.stringify(toWireError(error)))));
    this.socket.destroySoon();
    // A peer that reads nothing would keep the error frame, and so the socket, pending forever.
    setTimeout(() => this.socket.destroy(), 1000).unref();
  }

  async drainAndClose(): Promise<void> {
    if (this.#closing) return;
    this.#closing = true;
    this.#waits.closeAll();
    await this.#chain;
    await Promise.all(this.#waiting);
    await Promise.all(this.#writes);
    await this.#txns.close();
    await new Promise<void>((resolve) => {
      if (this.socket.destroyed) return resolve();
      this.socket.once('close', () => resolve());
      this.socket.end();
    });
  }
}
