// Reaching a real sochdb-grpc-server (in this process, on 127.0.0.1, a free port, a temp LevelDB
// folder): a good address and key connect; a bad address, a port nobody serves and a wrong key
// each fail at once with their typed error.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { AuthenticationError } from '@sochdb/sdk';
// @sochdb/grpc-server has no package entry point (it is a CLI): its source, as its own tests use it.
import { startServer, type RunningServer } from '../../grpc-server/src/index.js';
import { connectGrpc, GrpcAddressError, GrpcUnreachableError, parseGrpcAddress } from '../src/grpc-connect.js';

const API_KEY = 'studio-test-key-0123456789';
let dir: string;
let server: RunningServer;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sochdb-studio-grpc-'));
  server = await startServer({ db: join(dir, 'db'), host: '127.0.0.1', port: 0, apiKey: API_KEY, logLevel: 'silent' });
});

afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

it('parses host:port and [v6]:port, and refuses anything else naming the field', () => {
  expect(parseGrpcAddress('127.0.0.1:50051')).toEqual({ host: '127.0.0.1', port: 50051, target: '127.0.0.1:50051' });
  expect(parseGrpcAddress('[::1]:7')).toEqual({ host: '::1', port: 7, target: '[::1]:7' });
  expect(parseGrpcAddress('db.internal:443').host).toBe('db.internal');
  for (const bad of ['nonsense', '127.0.0.1', ':50051', 'host:0', 'host:70000', 'a b:1', 'http://x:1', '']) {
    const error: unknown = (() => {
      try {
        return parseGrpcAddress(bad);
      } catch (e) {
        return e;
      }
    })();
    expect(error, bad).toBeInstanceOf(GrpcAddressError);
    expect((error as GrpcAddressError).code).toBe(6000);
    expect((error as GrpcAddressError).field).toBe('grpc');
  }
});

it('connects to the running server with its key and answers calls', async () => {
  const client = await connectGrpc(`127.0.0.1:${server.port}`, { apiKey: API_KEY });
  try {
    await client.createNamespace('probe');
    expect((await client.listNamespaces()).map((n) => n.name)).toContain('probe');
  } finally {
    client.close();
  }
});

it('a wrong key is the server’s AuthenticationError (1002), not a hang', async () => {
  const error: unknown = await connectGrpc(`127.0.0.1:${server.port}`, { apiKey: 'not-the-key-at-all-000' }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(AuthenticationError);
  expect((error as AuthenticationError).code).toBe(1002);
});

it('a port nobody serves fails within the connect deadline with GrpcUnreachableError (1001)', async () => {
  // A port that was free a moment ago: bound, read, released.
  const probe = createServer();
  const port = await new Promise<number>((resolve) => probe.listen(0, '127.0.0.1', () => resolve((probe.address() as { port: number }).port)));
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  const started = Date.now();
  const error: unknown = await connectGrpc(`127.0.0.1:${port}`, { connectTimeoutMs: 1500 }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(GrpcUnreachableError);
  expect((error as GrpcUnreachableError).code).toBe(1001);
  expect((error as GrpcUnreachableError).message).toContain(`127.0.0.1:${port}`);
  expect(Date.now() - started).toBeLessThan(2500);
});
