import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { credentials, Client, Metadata, type ServiceError, type StatusObject } from '@grpc/grpc-js';
import { makeTempDir, spawnTs, waitForExit } from '@sochdb/core/testing';
import { loadProtos, SochDBClient, type SochDBClientOptions } from '@sochdb/sdk';
import { startServer, type RunningServer, type ServerOptions } from '../src/index.js';

export const CLI = join(import.meta.dirname, '../src/cli.ts');

/** A server on 127.0.0.1:<ephemeral> over a fresh LevelDB folder, and a client of it. */
export async function startTestServer(options: Partial<ServerOptions> = {}, clientOptions: SochDBClientOptions = {}) {
  const dir = makeTempDir('sochdb-grpc-');
  const server = await startServer({ host: '127.0.0.1', port: 0, db: join(dir.path, 'db'), logLevel: 'silent', ...options });
  const client = new SochDBClient(server.address, clientOptions);
  return {
    server,
    client,
    dir: dir.path,
    async stop() {
      client.close();
      await server.close();
      dir.cleanup();
    },
  };
}

export type TestServer = Awaited<ReturnType<typeof startTestServer>>;

/** Rejects with whatever `promise` rejects with, or fails when it resolves. */
export async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

/**
 * A unary call with a bare grpc-js client, to see the raw status code and metadata the server
 * sends (what a client in another language sees).
 */
export function rawUnary(
  server: RunningServer,
  path: string,
  request: object,
  metadata = new Metadata(),
): Promise<StatusObject & { readonly response?: unknown }> {
  const { sochdb } = loadProtos();
  const [serviceName, methodName] = path.split('/') as [keyof typeof sochdb, string];
  const method = (
    sochdb[serviceName] as unknown as {
      service: Record<string, { path: string; requestSerialize: (v: object) => Buffer; responseDeserialize: (b: Buffer) => unknown }>;
    }
  ).service[methodName]!;
  const client = new Client(server.address, credentials.createInsecure());
  return new Promise((resolve) => {
    client.makeUnaryRequest(
      method.path,
      method.requestSerialize,
      method.responseDeserialize,
      request,
      metadata,
      (error: ServiceError | null, response?: unknown) => {
        client.close();
        if (error) resolve({ code: error.code, details: error.details, metadata: error.metadata });
        else resolve({ code: 0, details: 'OK', metadata: new Metadata(), response });
      },
    );
  });
}

/** The CLI as a real child process; resolves once it printed its `listening on` line. */
export async function startCli(
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ child: ChildProcess; address: string; port: number; exit: ReturnType<typeof waitForExit> }> {
  const child = spawnTs(CLI, args, { env: { ...process.env, ...env } });
  const exit = waitForExit(child);
  const address = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const match = /listening on (\S+)/.exec(out);
      if (match) resolve(match[1]!);
    });
    void exit.then((r) => reject(new Error(`server exited (${r.code}) before listening: ${r.stderr}`)));
  });
  return { child, address, port: Number(address.split(':').pop()), exit };
}

/** Runs the CLI to completion (e.g. `status`). */
export function runCli(args: readonly string[], env: NodeJS.ProcessEnv = {}) {
  return waitForExit(spawnTs(CLI, args, { env: { ...process.env, ...env } }));
}

/**
 * Runs the CLI until it exits or prints its `listening on` line. A server that did start is
 * stopped at once (SIGTERM) and reported as `listening: true`, so a test that expects a refusal
 * fails quickly instead of hanging on a server that never exits.
 */
export async function cliOutcome(args: readonly string[], env: NodeJS.ProcessEnv = {}) {
  const child = spawnTs(CLI, args, { env: { ...process.env, ...env } });
  const exit = waitForExit(child);
  let out = '';
  let listening = false;
  child.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
    if (!listening && out.includes('listening on')) {
      listening = true;
      child.kill('SIGTERM');
    }
  });
  const result = await exit;
  return { ...result, listening };
}

/** A log line of the server (pino JSON on stderr). */
export interface LogLine {
  readonly level: string;
  readonly msg: string;
  readonly [field: string]: unknown;
}

/** The JSON log lines in `text` (stderr, or captured lines joined); anything else (a CLI refusal) is skipped. */
export function logLines(text: string | readonly string[]): LogLine[] {
  const all = typeof text === 'string' ? text.split('\n') : text.flatMap((t) => t.split('\n'));
  return all.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as LogLine);
}
