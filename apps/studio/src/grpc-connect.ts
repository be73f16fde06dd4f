// Reaching a running sochdb-grpc-server: the address checked before anything is sent, then one
// authenticated call under a short deadline, so a typo, a server that is not there or a wrong
// API key fails at start with a typed error instead of a studio whose every page hangs or fails.
import { ConnectionError, ValidationError } from '@sochdb/sdk';
import { SochDBClient, type SochDBClientOptions } from '@sochdb/grpc-client';

/** `--grpc` is not `host:port` (code 6000, field `grpc`). */
export class GrpcAddressError extends ValidationError {}

/** The gRPC server did not answer within the connect deadline, or refused the connection (code 1001). */
export class GrpcUnreachableError extends ConnectionError {}

/** A checked `host:port`. */
export interface GrpcAddress {
  readonly host: string;
  readonly port: number;
  /** As grpc-js takes it: `host:port`, `[v6]:port`. */
  readonly target: string;
}

/** How long the first call may take by default: a live server on the network answers well within it. */
export const GRPC_CONNECT_MS = 3000;

const HOST = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

/** Parses `host:port` (or `[v6]:port`); GrpcAddressError naming what is wrong. */
export function parseGrpcAddress(text: string): GrpcAddress {
  const fail = (why: string) =>
    new GrpcAddressError(`--grpc '${text}' is not a gRPC address: ${why}`, { field: 'grpc', remediation: 'Pass host:port, e.g. --grpc 127.0.0.1:50051.' });
  const match = /^(?:\[([0-9A-Fa-f:.]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(text.trim());
  if (match === null) throw fail('expected host:port');
  const host = match[1] ?? match[2] ?? '';
  const port = Number(match[3]);
  if (port < 1 || port > 65535) throw fail(`port ${match[3]} is not 1–65535`);
  if (match[1] === undefined && !HOST.test(host)) throw fail(`'${host}' is not a host name or IPv4 address`);
  return { host, port, target: match[1] === undefined ? `${host}:${port}` : `[${host}]:${port}` };
}

/** What `connectGrpc` takes besides the address. */
export interface GrpcConnectOptions {
  /** The server's --api-key. */
  readonly apiKey?: string;
  /** TLS: `true` with the system's roots, or the client's TLS options. */
  readonly tls?: SochDBClientOptions['tls'];
  /** Deadline of the first call, in ms (default GRPC_CONNECT_MS). */
  readonly connectTimeoutMs?: number;
  /** Deadline of every later call, in ms (default 30 s): a server that stops answering cannot hang a page. */
  readonly timeoutMs?: number;
}

/**
 * A client of the gRPC server at `address`, checked with one authenticated call (listing the
 * namespaces). GrpcAddressError for a bad address, GrpcUnreachableError when nothing answers in
 * time, the server's AuthenticationError (1002) for a wrong or missing API key.
 */
export async function connectGrpc(address: string, options: GrpcConnectOptions = {}): Promise<SochDBClient> {
  const { target } = parseGrpcAddress(address);
  const connectMs = options.connectTimeoutMs ?? GRPC_CONNECT_MS;
  const client = new SochDBClient(target, {
    timeoutMs: options.timeoutMs ?? 30_000,
    ...(options.apiKey === undefined ? {} : { apiKey: options.apiKey }),
    ...(options.tls === undefined ? {} : { tls: options.tls }),
  });
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new GrpcUnreachableError(`the gRPC server at ${target} did not answer within ${connectMs} ms`)), connectMs);
  });
  try {
    await Promise.race([client.listNamespaces(), late]);
    return client;
  } catch (error) {
    client.close();
    if (error instanceof GrpcUnreachableError || !(error instanceof ConnectionError) || error.code === 1002) throw error;
    // The client's message already names the address and the cause.
    throw new GrpcUnreachableError(error.message, {
      cause: error,
      remediation: 'Check that sochdb-grpc-server runs there (and --tls matches how it serves).',
    });
  } finally {
    clearTimeout(timer);
  }
}
