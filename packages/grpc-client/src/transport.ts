import type { CallOptions, ChannelCredentials, ChannelOptions, Client, Metadata, ServiceError } from '@grpc/grpc-js';
import type { MethodDefinition } from '@grpc/proto-loader';
import { ConnectionError, SochDBError, ValidationError } from '@sochdb/core';
import { fromServiceError } from './errors.js';
import { grpc } from './lazy-grpc.js';
import { loadProtos } from './proto.js';
import type { RequestChecker } from './check-request.js';

/**
 * TLS settings of a client: PEM text or bytes.
 *
 * @example
 * ```ts
 * // Mutual TLS with a private CA whose server certificate names 'sochdb', not the address's host.
 * const client = new SochDBClient('10.0.0.5:50051', {
 *   tls: { ca: readFileSync('ca.pem'), cert: readFileSync('client.pem'), key: readFileSync('client-key.pem'), serverName: 'sochdb' },
 * });
 * ```
 */
export interface ClientTlsOptions {
  /** CA certificate(s) to trust (default: the system's roots). */
  readonly ca?: string | Uint8Array;
  /** Client certificate and key, for servers that require mutual TLS. */
  readonly cert?: string | Uint8Array;
  /** The private key of `cert`; give both or neither. */
  readonly key?: string | Uint8Array;
  /** Expect this name in the server's certificate instead of the address's host. */
  readonly serverName?: string;
}

/** Options of `new SochDBClient(address, options)`; invalid values throw a ValidationError from the constructor. */
export interface SochDBClientOptions {
  /** Sent as `authorization: Bearer <apiKey>` on every call (the server's --api-key). */
  readonly apiKey?: string;
  /** `true`: TLS with the system's root certificates; an object: TLS with these; default plaintext. */
  readonly tls?: boolean | ClientTlsOptions;
  /** Deadline of each call in ms (default: none). */
  readonly timeoutMs?: number;
  /** Largest message sent or received, in bytes (default 64 MiB, like the server). */
  readonly maxMessageBytes?: number;
  /** Extra grpc-js channel options, e.g. `{ 'grpc.keepalive_time_ms': … }`. */
  readonly channelOptions?: ChannelOptions;
}

/** How one call may differ from the client's defaults (a waiting dequeue). */
export interface UnaryCallOptions {
  /**
   * The server may hold the call this long before it answers (a long poll): the deadline is this
   * plus `timeoutMs` (or {@link WAIT_MARGIN_MS} when the client has none).
   */
  readonly waitMs?: number;
  /** Cancels the call when it aborts; the call then rejects (CANCELLED), so the caller checks the signal. */
  readonly signal?: AbortSignal;
}

/**
 * The deadline of a waiting call, past its wait, when the client has no `timeoutMs`: a server
 * that stopped answering (hung, or gone without closing the connection) cannot hold it forever.
 */
export const WAIT_MARGIN_MS = 10_000;

/** Batches of vectors are large: 64 MiB instead of gRPC's 4 MiB default (on the server too). */
export const DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

const pem = (value: string | Uint8Array | undefined) => (value === undefined ? null : Buffer.from(value));

/**
 * One grpc-js channel and the two call shapes SochDB uses (unary and server-streaming), with the
 * API key attached and failures turned into SochDBErrors. Every service shares the channel.
 * Creating the first transport is what loads @grpc/grpc-js (see lazy-grpc.ts).
 */
export class GrpcTransport {
  readonly #client: Client;
  readonly #metadata: Metadata;
  readonly #timeoutMs: number | undefined;
  readonly #checker: RequestChecker = loadProtos().checker;
  #closed = false;

  constructor(
    readonly address: string,
    options: SochDBClientOptions,
  ) {
    if (typeof address !== 'string' || address.length === 0) {
      throw new ValidationError('address must be a non-empty string such as "localhost:50051"', { field: 'address' });
    }
    if (options.timeoutMs !== undefined && !(Number.isFinite(options.timeoutMs) && options.timeoutMs > 0)) {
      throw new ValidationError('timeoutMs must be a positive number', { field: 'timeoutMs' });
    }
    if (options.apiKey !== undefined && (typeof options.apiKey !== 'string' || options.apiKey.trim().length === 0)) {
      throw new ValidationError('apiKey must be a non-empty string', { field: 'apiKey' });
    }
    // A header value carries printable ASCII only (grpc-js throws a plain Error on anything else),
    // and the server refuses keys with whitespace at either end for the same reason.
    if (options.apiKey !== undefined && !/^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/.test(options.apiKey)) {
      throw new ValidationError('apiKey must be printable ASCII with no whitespace at either end', {
        field: 'apiKey',
        remediation: 'Use the key exactly as the server was given it (a key read from a file often ends in a newline).',
      });
    }
    this.#timeoutMs = options.timeoutMs;
    const { Client, credentials, Metadata } = grpc();
    this.#metadata = new Metadata();
    if (options.apiKey !== undefined) this.#metadata.set('authorization', `Bearer ${options.apiKey}`);
    const tls = options.tls === true ? {} : options.tls || undefined;
    const maxMessageBytes = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
    if (!Number.isSafeInteger(maxMessageBytes) || maxMessageBytes < 1)
      throw new ValidationError('maxMessageBytes must be a positive integer', { field: 'maxMessageBytes' });
    const channelOptions: ChannelOptions = {
      'grpc.max_send_message_length': maxMessageBytes,
      'grpc.max_receive_message_length': maxMessageBytes,
      ...options.channelOptions,
      ...(tls?.serverName ? { 'grpc.ssl_target_name_override': tls.serverName } : {}),
    };
    const creds: ChannelCredentials = tls === undefined ? credentials.createInsecure() : credentials.createSsl(pem(tls.ca), pem(tls.key), pem(tls.cert));
    this.#client = new Client(address, creds, channelOptions);
  }

  unary<Req, ResIn, ReqOut, Res>(method: MethodDefinition<Req, ResIn, ReqOut, Res>, request: NoInfer<Req>, options: UnaryCallOptions = {}): Promise<Res> {
    return new Promise<Res>((resolve, reject) => {
      try {
        this.#live();
        this.#checker.check(method.requestType.type, request);
        const { signal } = options;
        const call = this.#client.makeUnaryRequest(
          method.path,
          method.requestSerialize,
          method.responseDeserialize,
          request,
          this.#metadata.clone(),
          this.#options(options.waitMs),
          (error, value) => {
            signal?.removeEventListener('abort', cancel);
            if (error) reject(this.#error(error));
            else resolve(value as Res);
          },
        );
        // Cancelling ends the call on the server too (its handler sees the call cancelled).
        const cancel = (): void => call.cancel();
        if (signal?.aborted === true) cancel();
        else signal?.addEventListener('abort', cancel, { once: true });
      } catch (error) {
        reject(this.#error(error));
      }
    });
  }

  serverStream<Req, ResIn, ReqOut, Res>(method: MethodDefinition<Req, ResIn, ReqOut, Res>, request: NoInfer<Req>): Promise<Res[]> {
    return new Promise<Res[]>((resolve, reject) => {
      try {
        this.#live();
        this.#checker.check(method.requestType.type, request);
        const out: Res[] = [];
        const stream = this.#client.makeServerStreamRequest(
          method.path,
          method.requestSerialize,
          method.responseDeserialize,
          request,
          this.#metadata.clone(),
          this.#options(),
        );
        stream.on('data', (message: Res) => out.push(message));
        stream.on('error', (error: ServiceError) => reject(this.#error(error)));
        stream.on('end', () => resolve(out));
      } catch (error) {
        reject(this.#error(error));
      }
    });
  }

  get closed(): boolean {
    return this.#closed;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#client.close();
  }

  #options(waitMs = 0): CallOptions {
    if (waitMs > 0) return { deadline: Date.now() + waitMs + (this.#timeoutMs ?? WAIT_MARGIN_MS) };
    return this.#timeoutMs === undefined ? {} : { deadline: Date.now() + this.#timeoutMs };
  }

  #live(): void {
    if (this.#closed) throw new ConnectionError('this SochDBClient is closed', { remediation: 'Create a new SochDBClient.' });
  }

  #error(error: unknown): SochDBError {
    if (error instanceof SochDBError) return error;
    if (isServiceError(error)) return fromServiceError(error, this.address);
    return new ConnectionError(`gRPC call to ${this.address} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

function isServiceError(error: unknown): error is ServiceError {
  return error instanceof Error && typeof (error as Partial<ServiceError>).code === 'number' && 'details' in error;
}
