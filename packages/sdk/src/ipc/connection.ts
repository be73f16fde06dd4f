import type { Socket } from 'node:net';
import type { Transaction } from '@sochdb/core';
import { toWireError } from './errors-wire.js';
import { encodeFrame, FrameReader, HEADER_BYTES, Op, OP_NAMES, Status, type Frame } from './protocol.js';
import type { IpcServer } from './server.js';

const PIPELINED_WRITES: ReadonlySet<number> = new Set([Op.PUT, Op.DELETE, Op.BATCH]);

/** One client connection: reads frames, answers them in order, owns its transactions. */
export class Connection {
  readonly #reader: FrameReader;
  readonly #txns = new Map<number, Transaction>();
  #chain: Promise<void> = Promise.resolve();
  readonly #writes = new Set<Promise<void>>();
  #closing = false;
  #corked = false;

  constructor(
    private readonly socket: Socket,
    private readonly server: IpcServer,
    maxFrameBytes: number,
  ) {
    this.#reader = new FrameReader(maxFrameBytes);
    socket.on('data', (chunk: Buffer) => this.#onData(chunk));
    socket.on('error', (error) => server.log('debug', `connection error: ${error.message}`));
    socket.once('close', () => void this.#abortAll());
  }

  #onData(chunk: Buffer): void {
    let frames: Frame[];
    try {
      frames = this.#reader.push(chunk);
    } catch (error) {
      // The byte stream cannot be resynchronized: say why, then hang up on this client only.
      this.server.log('warn', `closing connection: ${(error as Error).message}`);
      this.socket.end(encodeFrame(0, Status.ERROR, Buffer.from(JSON.stringify(toWireError(error)))));
      this.socket.destroySoon();
      return;
    }
    for (const frame of frames) {
      if (PIPELINED_WRITES.has(frame.tag)) {
        // Plain writes are started in order (each takes its LSN as it starts) without waiting for
        // the one before to be durable, so a pipelining client's writes share group commits.
        this.#chain = this.#chain.then(() => {
          const write = this.#run(frame);
          this.#writes.add(write);
          void write.finally(() => this.#writes.delete(write));
        });
      } else {
        // Everything else sees every earlier write of this connection applied first.
        this.#chain = this.#chain.then(async () => {
          await Promise.all(this.#writes);
          await this.#run(frame);
        });
      }
    }
  }

  async #run(frame: Frame): Promise<void> {
    let reply: Buffer;
    let ok = true;
    try {
      reply = await this.server.handle(frame, this.#txns);
    } catch (error) {
      ok = false;
      this.server.log('debug', `${OP_NAMES[frame.tag] ?? frame.tag} failed: ${(error as Error).message}`);
      reply = encodeFrame(frame.requestId, Status.ERROR, Buffer.from(JSON.stringify(toWireError(error))));
    }
    this.server.record(ok, HEADER_BYTES + frame.payload.byteLength, reply.byteLength);
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

  async drainAndClose(): Promise<void> {
    if (this.#closing) return;
    this.#closing = true;
    await this.#chain;
    await Promise.all(this.#writes);
    await this.#abortAll();
    await new Promise<void>((resolve) => {
      if (this.socket.destroyed) return resolve();
      this.socket.once('close', () => resolve());
      this.socket.end();
    });
  }

  async #abortAll(): Promise<void> {
    const txns = [...this.#txns.values()];
    this.#txns.clear();
    await Promise.all(txns.map((t) => t.abort().catch(() => undefined)));
  }
}
