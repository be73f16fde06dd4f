// What `sochdb-studio <db>` and `sochdb studio <db>` do: open the database folder, start the
// studio on it, print the URL with its token, and stop cleanly (server, then database) on
// SIGINT or SIGTERM. One function for both commands.
import { readFileSync } from 'node:fs';
import { ValidationError } from '@sochdb/sdk';
import { connectGrpc } from './grpc-connect.js';
import { grpcSource } from './grpc-source.js';
import { databaseSource } from './database-source.js';
import { openDatabase } from './open-database.js';
import type { StudioSource } from './source.js';
import { startStudio } from './studio.js';

/** The flags of both studio commands. */
export interface StudioCommandOptions {
  /** Port (0: a free one). */
  readonly port?: number;
  /** Host to listen on (default 127.0.0.1). */
  readonly host?: string;
  /** Allow changes. */
  readonly write?: boolean;
  /** Allow a host beyond loopback. */
  readonly allowRemote?: boolean;
  /**
   * Open with `Database.openConcurrent` (share the folder with other processes). Not needed beside
   * a running `sochdb-server`: a folder another process holds is opened through its socket anyway.
   */
  readonly concurrent?: boolean;
  /** `host:port` of a sochdb-grpc-server to show instead of a folder. */
  readonly grpc?: string;
  /** The gRPC server's API key (`--api-key`; default the SOCHDB_API_KEY environment variable). */
  readonly apiKey?: string;
  /** TLS to the gRPC server with the system's roots. */
  readonly tls?: boolean;
  /** A PEM file of the CA to trust for the gRPC server's certificate (implies TLS). */
  readonly tlsCa?: string;
  /** The gRPC server's queues to show (it cannot list them). */
  readonly queue?: readonly string[];
}

/** The PEM at `file`; ValidationError (field `tlsCa`) when it cannot be read. */
function readCa(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    throw new ValidationError(`--tls-ca ${file} cannot be read: ${(error as Error).message}`, { field: 'tlsCa', cause: error });
  }
}

/** The source `path` or `options.grpc` names (exactly one), what it is called, and how to release it. */
async function openSource(path: string | undefined, options: StudioCommandOptions): Promise<{ source: StudioSource; label: string; close(): Promise<void> }> {
  if ((path === undefined) === (options.grpc === undefined)) {
    throw new ValidationError(path === undefined ? 'give a database folder or --grpc host:port' : 'give a database folder or --grpc, not both', {
      field: path === undefined ? 'db' : 'grpc',
      remediation: 'sochdb-studio ./data/app, or sochdb-studio --grpc 127.0.0.1:50051',
    });
  }
  if (options.grpc !== undefined) {
    const apiKey = options.apiKey ?? process.env.SOCHDB_API_KEY;
    const tls = options.tlsCa !== undefined ? { ca: readCa(options.tlsCa) } : options.tls === true ? true : undefined;
    const client = await connectGrpc(options.grpc, { ...(apiKey === undefined ? {} : { apiKey }), ...(tls === undefined ? {} : { tls }) });
    const source = grpcSource(client, { queues: options.queue ?? [] });
    return { source, label: `the gRPC server ${client.address}`, close: () => source.close() };
  }
  const { db, via } = await openDatabase(path!, { concurrent: options.concurrent === true });
  return { source: databaseSource(db), label: `${db.path}${via === 'ipc' ? ' through its IPC server' : ''}`, close: () => db.close() };
}

/**
 * Opens `path` (or reaches `options.grpc`), starts the studio and prints its URL; resolves once it
 * listens (signals stop it).
 */
export async function runStudio(path: string | undefined, options: StudioCommandOptions): Promise<void> {
  const opened = await openSource(path, options);
  const running = await startStudio({
    source: opened.source,
    host: options.host ?? '127.0.0.1',
    port: options.port ?? 0,
    write: options.write === true,
    allowRemote: options.allowRemote === true,
  }).catch(async (error: unknown) => {
    await opened.close();
    throw error;
  });
  process.stdout.write(
    `SochDB Studio on ${opened.label}${options.write === true ? ' (write mode)' : ' (read-only)'}\n${running.url}/?token=${running.token}\n`,
  );
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    void (async () => {
      await running.close();
      await opened.close();
      process.stderr.write(`stopped (${signal})\n`);
      process.exit(0);
    })();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
