import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { Metadata, status as Status } from '@grpc/grpc-js';
import { makeTempDir } from '@sochdb/core/testing';
import { SochDBClient, ValidationError } from '@sochdb/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerAuth, isLoopback } from '../src/auth.js';
import { createLogger, startServer, type ServerOptions } from '../src/index.js';
import { logLines, rawUnary } from './helpers.js';

const dir = makeTempDir('sochdb-grpc-access-');
afterAll(() => dir.cleanup());

/** startServer's rejection; a server that started anyway is closed so the test fails cleanly. */
async function refusal(options: ServerOptions): Promise<unknown> {
  try {
    const server = await startServer({ port: 0, logLevel: 'silent', ...options });
    await server.close();
  } catch (error) {
    return error;
  }
  throw new Error(`startServer(${JSON.stringify({ ...options, db: undefined })}) started instead of refusing`);
}

/** A logger that keeps its lines, at debug level so nothing is filtered out. */
function captured() {
  const lines: string[] = [];
  return { lines, logger: createLogger('debug', (line) => lines.push(line)) };
}

let n = 0;
const freshDb = () => join(dir.path, `db${n++}`);

describe('startServer: an API key that is not really one', () => {
  it('refuses an empty or whitespace-only apiKey with ValidationError, before creating the database', async () => {
    for (const apiKey of ['', ' ', '\t\n  ']) {
      const db = freshDb();
      const error = await refusal({ db, apiKey });
      expect(error).toBeInstanceOf(ValidationError);
      expect(error).toMatchObject({ code: 6000, field: 'apiKey', message: expect.stringContaining('apiKey is empty or only whitespace') });
      expect((error as ValidationError).remediation).toContain('leave apiKey undefined');
      expect(existsSync(db)).toBe(false);
    }
  });

  it('refuses an apiKey that is not a string (null from JavaScript is not "no key")', async () => {
    for (const apiKey of [null, 42, { key: 'k' }] as unknown as string[]) {
      expect(await refusal({ db: ':memory:', apiKey })).toMatchObject({ code: 6000, field: 'apiKey' });
    }
  });

  it('bearerAuth itself refuses an empty key (a bare "Bearer " header must never pass), not only startServer', () => {
    for (const key of ['', '   ']) expect(() => bearerAuth(key), JSON.stringify(key)).toThrow(ValidationError);
  });

  it('refuses a key no client could send: surrounding whitespace (a stray newline) or characters outside printable ASCII', async () => {
    for (const apiKey of ['s3cret\n', 's3cret ', ' s3cret', 'clé', 'a\u0000b']) {
      const error = await refusal({ db: ':memory:', apiKey });
      expect(error, JSON.stringify(apiKey)).toMatchObject({ code: 6000, field: 'apiKey' });
      expect((error as Error).message).not.toContain('s3cret'); // errors end up in logs; never print the key
    }
  });
});

describe('startServer: who may listen without a key', () => {
  let ipv6 = false;
  beforeAll(async () => {
    // Some containers have no IPv6 loopback; the `::1` cases need one.
    ipv6 = await new Promise<boolean>((resolve) => {
      const probe = createServer().once('error', () => resolve(false));
      probe.listen(0, '::1', () => probe.close(() => resolve(true)));
    });
  });

  it('treats 127.0.0.0/8, ::1 and localhost as loopback, and nothing else', () => {
    for (const host of ['127.0.0.1', '127.0.0.2', '127.255.255.254', 'localhost', 'LOCALHOST', '::1', '[::1]', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1']) {
      expect(isLoopback(host), host).toBe(true);
    }
    for (const host of ['0.0.0.0', '::', '[::]', '10.0.0.1', '128.0.0.1', '::2', 'example.com', '127.evil.example', '127.1', 'localhost.evil.example', '']) {
      expect(isLoopback(host), host).toBe(false);
    }
  });

  it('refuses a host beyond loopback without a key (or with insecure: false), naming the ways out', async () => {
    for (const host of ['0.0.0.0', '::', '192.0.2.1', 'example.com', '127.evil.example']) {
      for (const insecure of [undefined, false]) {
        const db = freshDb();
        const error = await refusal({ db, host, ...(insecure === undefined ? {} : { insecure }) });
        expect(error, host).toBeInstanceOf(ValidationError);
        expect((error as ValidationError).message).toContain(`refusing to listen on ${host} without an API key`);
        expect((error as ValidationError).remediation).toContain('insecure: true');
        expect(existsSync(db)).toBe(false);
      }
    }
  });

  it('refuses an empty host, and an insecure option that is not a boolean', async () => {
    for (const host of ['', '  ']) expect(await refusal({ db: ':memory:', host, apiKey: 'k' })).toMatchObject({ code: 6000, field: 'host' });
    const insecure = 'yes' as unknown as boolean;
    expect(await refusal({ db: ':memory:', host: '0.0.0.0', insecure })).toMatchObject({ code: 6000, field: 'insecure' });
  });

  it('serves without a key on loopback (127.0.0.1, localhost, ::1), with no warning', async (ctx) => {
    const hosts = ['127.0.0.1', 'localhost', ...(ipv6 ? ['::1', '[::1]'] : [])];
    for (const host of hosts) {
      const { lines, logger } = captured();
      const server = await startServer({ host, port: 0, db: ':memory:', logger });
      const client = new SochDBClient(server.address);
      try {
        expect(await client.getKv('', 'k'), host).toBeNull();
      } finally {
        client.close();
        await server.close();
      }
      expect(
        logLines(lines).filter((line) => line.level === 'warn'),
        host,
      ).toEqual([]);
    }
    if (!ipv6) ctx.skip(); // the IPv4 forms passed; report that ::1 was not tried
  });

  it('with insecure: true, serves beyond loopback without a key and logs a warning', async () => {
    const { lines, logger } = captured();
    const server = await startServer({ host: '0.0.0.0', port: 0, db: ':memory:', insecure: true, logger });
    const client = new SochDBClient(`127.0.0.1:${server.port}`);
    try {
      expect(await client.getKv('', 'k')).toBeNull();
    } finally {
      client.close();
      await server.close();
    }
    expect(logLines(lines).filter((line) => line.level === 'warn')).toEqual([
      expect.objectContaining({
        msg: `serving 0.0.0.0:${server.port} without an API key (insecure): anyone who can reach this port can read and write the database`,
      }),
    ]);
  });

  it('with a key, serves beyond loopback: the right key is served, a wrong or missing one gets UNAUTHENTICATED', async () => {
    const { lines, logger } = captured();
    const server = await startServer({ host: '0.0.0.0', port: 0, db: ':memory:', apiKey: 'right-key', logger });
    const local = { ...server, address: `127.0.0.1:${server.port}` };
    const bearer = (key: string) => {
      const metadata = new Metadata();
      metadata.set('authorization', `Bearer ${key}`);
      return metadata;
    };
    try {
      const request = { namespace: '', key: Buffer.from('k') };
      expect((await rawUnary(local, 'KvService/Get', request, bearer('right-key'))).code).toBe(Status.OK);
      expect((await rawUnary(local, 'KvService/Get', request, bearer('wrong-key'))).code).toBe(Status.UNAUTHENTICATED);
      expect((await rawUnary(local, 'KvService/Get', request)).code).toBe(Status.UNAUTHENTICATED);
    } finally {
      await server.close();
    }
    expect(logLines(lines).filter((line) => line.level === 'warn')).toEqual([]);
  });
});

describe('the client refuses keys it could not send', () => {
  it('non-ASCII or edge-whitespace keys are a ValidationError, not a raw grpc-js Error', () => {
    for (const apiKey of ['clé', ' key', 'key\n', '   ']) {
      expect(() => new SochDBClient('127.0.0.1:1', { apiKey }), JSON.stringify(apiKey)).toThrow(ValidationError);
    }
  });
});
