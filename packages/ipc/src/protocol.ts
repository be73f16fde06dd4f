import { ProtocolError } from '@sochdb/core';

/**
 * SochDB IPC wire protocol, version 1. Every message is one frame:
 *
 *   request:  u32 length | u32 requestId | u8 opcode | payload
 *   response: u32 length | u32 requestId | u8 status | payload
 *
 * `length` counts the bytes after itself (so ≥ 5). Integers are big-endian. Responses carry the
 * request's id, so a client may pipeline many requests on one connection. The server starts
 * requests in the order they arrive; consecutive plain writes (PUT, DELETE, BATCH) run without
 * waiting for each other — they take their LSNs in arrival order and share group commits, so
 * their replies can arrive out of order — and every other request waits until all earlier writes
 * of its connection are applied (a read always sees the connection's own writes). Byte strings
 * inside payloads are `u32 length | bytes`.
 */
export const PROTOCOL_VERSION = 1;
export const HEADER_BYTES = 9;
export const DEFAULT_MAX_FRAME_BYTES = 16 * 1024 * 1024;

/**
 * The request opcodes (the u8 after the request id). Payload layouts are given as
 * `request → OK reply`; `bytes` is `u32 length | bytes`, LSNs are u64. Any request may instead
 * get an ERROR reply (see {@link Status}); an unknown opcode is a ProtocolError.
 */
export const Op = {
  /** Empty → empty: a liveness check and round-trip probe. */
  PING: 0x01,
  /** bytes key → the value as the whole payload, or NOT_FOUND when the key is missing. */
  GET: 0x02,
  /** bytes key | bytes value → u64 LSN of the commit. */
  PUT: 0x03,
  /** bytes key → u64 LSN of the commit (a commit even when the key was missing). */
  DELETE: 0x04,
  /**
   * u8 flags (1 gt, 2 gte, 4 lt, 8 lte, 16 reverse) | u32 page size | the flagged bounds in that
   * order → u8 more | u32 n | n × (bytes key | bytes value). Pages hold at most 1,000 entries; the
   * client resumes after the last key while `more` is 1. Each page is a separate read.
   */
  SCAN: 0x05,
  /** u32 n | n × (u8 type: 1 put, 2 del | bytes key | [bytes value]) → u64 LSN: one atomic commit. */
  BATCH: 0x06,
  /** Optional payload: u32 attempt (a retry of work that lost conflicts commits first). */
  BEGIN: 0x10,
  /** u32 txn → u64 LSN; a failed commit (TransactionConflictError) still ends the transaction. */
  COMMIT: 0x11,
  /** u32 txn → empty; aborting a transaction that is no longer open is not an error. */
  ABORT: 0x12,
  /** u32 txn | bytes key → the value or NOT_FOUND, as GET but at the snapshot plus own writes. */
  TXN_GET: 0x13,
  /** u32 txn | bytes key | bytes value → empty: buffered until COMMIT. */
  TXN_PUT: 0x14,
  /** u32 txn | bytes key → empty: buffered until COMMIT. */
  TXN_DELETE: 0x15,
  /** u32 txn | the SCAN payload → a SCAN page, read at the transaction's snapshot. */
  TXN_SCAN: 0x16,
  /** The transaction relies on a key it read (core's Transaction.dependOn). */
  TXN_DEPEND: 0x17,
  /** u32 txn | the BATCH payload: several writes buffered by the transaction in one request. */
  TXN_BATCH: 0x18,
  /** u32 txn | u32 n | bytes key… → u32 n | per key: u8 found | [bytes value]. */
  TXN_GET_MANY: 0x19,
  /**
   * JSON `{ sql, params?, txn? }` → the JSON of IpcHandlers.sql's result (bigints as strings). A
   * server without that handler answers with a ProtocolError.
   */
  SQL: 0x20,
  /** JSON request → the JSON of IpcHandlers.query's result; a ProtocolError without that handler. */
  QUERY: 0x21,
  /**
   * A named service of the owner (core's OwnerServices): bytes name | bytes request → the reply
   * bytes. Refused by a keyspace-confined server: a service sees the whole storage.
   */
  CALL: 0x22,
  /** Empty → u64 LSN, once every earlier commit is durable on disk (Storage.checkpoint). */
  CHECKPOINT: 0x30,
  /**
   * Empty → JSON object: IpcHandlers.stats's result (or the storage's StorageStats, bigints as
   * strings) merged with the server's {@link ServerMetrics}.
   */
  STATS: 0x31,
  /** Empty → u64 LSN of the last commit the server's storage applied. */
  LSN: 0x32,
  /**
   * The commit feed (Storage.changesAfter): u64 afterLsn | u32 limit | u8 bounds (1: gte, 2: lt) |
   * [bytes gte] | [bytes lt] → u64 lsn | u8 more | u32 commits | per commit: u64 lsn | u32 keys |
   * bytes key…
   */
  CHANGES: 0x33,
  /**
   * Waits for a commit (Storage.watch): u8 flags (1: afterLsn given) | [u64 afterLsn] | u32
   * timeoutMs | u8 bounds (1: gte, 2: lt) | [bytes gte] | [bytes lt] → u64 lsn | u8 changed.
   * Replies with changed 1 as soon as a commit after `afterLsn` (without it: after the server's
   * LSN when it starts the request) wrote a key in the range, or with 0 when `timeoutMs` (capped
   * by the server) passes, a CANCEL names it or the server closes. `lsn` is the server's LSN
   * then: wait again after it and no commit is missed. It does not hold up the connection's later
   * requests; like them, it starts after the connection's earlier writes.
   */
  WAIT: 0x34,
  /** u32 requestId of this connection's WAIT → empty: that WAIT replies at once (changed 0). */
  CANCEL: 0x35,
} as const;
/** One of the {@link Op} opcode values. */
export type Op = (typeof Op)[keyof typeof Op];
export const OP_NAMES: Readonly<Record<number, string>> = Object.fromEntries(Object.entries(Op).map(([k, v]) => [v, k]));

/**
 * The reply statuses (the u8 after the request id in a response). A reply with request id 0 and
 * ERROR is a connection-level refusal (too many clients, a broken frame stream): the server
 * closes the connection after it.
 */
export const Status = {
  /** Success; the payload is the opcode's reply (empty for some). */
  OK: 0x00,
  /** A read found no key: distinct from an empty value. */
  NOT_FOUND: 0x01,
  /** Payload is JSON `{ code, name, message, remediation? }` of a SochDBError. */
  ERROR: 0x02,
} as const;
/** One of the {@link Status} reply values. */
export type Status = (typeof Status)[keyof typeof Status];

export function encodeFrame(requestId: number, tag: number, payload: Uint8Array = EMPTY): Buffer {
  const frame = Buffer.allocUnsafe(HEADER_BYTES + payload.byteLength);
  frame.writeUInt32BE(5 + payload.byteLength, 0);
  frame.writeUInt32BE(requestId >>> 0, 4);
  frame[8] = tag;
  frame.set(payload, HEADER_BYTES);
  return frame;
}

export interface Frame {
  readonly requestId: number;
  readonly tag: number;
  readonly payload: Buffer;
}

/**
 * Accumulates stream chunks and yields whole frames. A frame larger than `maxFrameBytes` or with
 * an impossible length is a ProtocolError: the peer is broken or hostile, and the connection
 * must be closed (the stream cannot be resynchronized).
 */
export class FrameReader {
  #chunks: Buffer[] = [];
  #buffered = 0;

  constructor(private readonly maxFrameBytes = DEFAULT_MAX_FRAME_BYTES) {}

  /** Whether part of a frame is buffered, waiting for the rest (after `push`, never a whole one). */
  get partial(): boolean {
    return this.#buffered > 0;
  }

  push(chunk: Buffer): Frame[] {
    this.#chunks.push(chunk);
    this.#buffered += chunk.byteLength;
    const frames: Frame[] = [];
    for (;;) {
      if (this.#buffered < 4) break;
      const head = this.#peek(4);
      const length = head.readUInt32BE(0);
      if (length < 5) throw new ProtocolError(`invalid frame length ${length} (minimum is 5)`);
      if (length + 4 > this.maxFrameBytes) {
        throw new ProtocolError(`frame of ${length + 4} bytes exceeds the limit of ${this.maxFrameBytes} bytes`, {
          remediation: 'Send smaller requests, or raise the server and client frame limit.',
        });
      }
      if (this.#buffered < length + 4) break;
      const frame = this.#take(length + 4);
      frames.push({ requestId: frame.readUInt32BE(4), tag: frame[8]!, payload: frame.subarray(HEADER_BYTES) });
    }
    return frames;
  }

  #peek(n: number): Buffer {
    if (this.#chunks[0]!.byteLength >= n) return this.#chunks[0]!;
    this.#chunks = [Buffer.concat(this.#chunks)];
    return this.#chunks[0]!;
  }

  #take(n: number): Buffer {
    const all = this.#chunks.length === 1 ? this.#chunks[0]! : Buffer.concat(this.#chunks);
    const frame = all.subarray(0, n);
    const rest = all.subarray(n);
    this.#chunks = rest.byteLength > 0 ? [rest] : [];
    this.#buffered = rest.byteLength;
    return frame;
  }
}

const EMPTY = Buffer.alloc(0);

/** Writes payload fields: byte strings with u32 lengths, u32/u64 integers, JSON. */
export class PayloadWriter {
  readonly #parts: Buffer[] = [];

  bytes(value: Uint8Array): this {
    const len = Buffer.allocUnsafe(4);
    len.writeUInt32BE(value.byteLength);
    this.#parts.push(len, Buffer.from(value.buffer, value.byteOffset, value.byteLength));
    return this;
  }

  u32(value: number): this {
    const b = Buffer.allocUnsafe(4);
    b.writeUInt32BE(value >>> 0);
    this.#parts.push(b);
    return this;
  }

  u64(value: bigint): this {
    const b = Buffer.allocUnsafe(8);
    b.writeBigUInt64BE(value);
    this.#parts.push(b);
    return this;
  }

  u8(value: number): this {
    this.#parts.push(Buffer.from([value]));
    return this;
  }

  json(value: unknown): this {
    return this.bytes(
      Buffer.from(
        JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)),
        'utf8',
      ),
    );
  }

  finish(): Buffer {
    return this.#parts.length === 1 ? this.#parts[0]! : Buffer.concat(this.#parts);
  }
}

/** Reads payload fields; any overrun is a ProtocolError, never an out-of-bounds read. */
export class PayloadReader {
  #pos = 0;
  constructor(private readonly payload: Buffer) {}

  bytes(): Buffer {
    const len = this.u32();
    return this.#slice(len);
  }

  u32(): number {
    return this.#slice(4).readUInt32BE(0);
  }

  u64(): bigint {
    return this.#slice(8).readBigUInt64BE(0);
  }

  u8(): number {
    return this.#slice(1)[0]!;
  }

  json<T>(): T {
    const raw = this.bytes().toString('utf8');
    try {
      return JSON.parse(raw) as T;
    } catch (error) {
      throw new ProtocolError('malformed JSON in payload', { cause: error });
    }
  }

  get remaining(): number {
    return this.payload.byteLength - this.#pos;
  }

  end(): void {
    if (this.remaining !== 0) throw new ProtocolError(`${this.remaining} unexpected trailing bytes in payload`);
  }

  #slice(n: number): Buffer {
    if (this.#pos + n > this.payload.byteLength) throw new ProtocolError('payload is truncated');
    const out = this.payload.subarray(this.#pos, this.#pos + n);
    this.#pos += n;
    return out;
  }
}
