import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir } from '@sochdb/core/testing';
import { Metadata, status as Status } from '@grpc/grpc-js';
import { AuthenticationError, ConnectionError, SochDBClient, ValidationError } from '@sochdb/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { startServer } from '../src/index.js';
import { rawUnary, rejection, runCli, startTestServer, type TestServer } from './helpers.js';

describe('API key', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ apiKey: 's3cret-key' }, { apiKey: 's3cret-key' });
  });
  afterAll(() => t.stop());

  it('serves calls that carry the key', async () => {
    await t.client.putKv('ns', 'k', 'v');
    expect((await t.client.getKv('ns', 'k'))?.toString()).toBe('v');
    expect((await t.client.executeSql('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
  });

  it('refuses calls without the key or with a wrong one: UNAUTHENTICATED, AuthenticationError', async () => {
    for (const options of [{}, { apiKey: 'wrong' }, { apiKey: 's3cret-key-and-more' }]) {
      const client = new SochDBClient(t.server.address, options);
      const error = await rejection(client.getKv('ns', 'k'));
      client.close();
      expect(error).toBeInstanceOf(AuthenticationError);
      expect(error).toBeInstanceOf(ConnectionError);
      expect((error as AuthenticationError).code).toBe(1002);
      expect((error as AuthenticationError).remediation).toBeTruthy();
    }
    expect((await rawUnary(t.server, 'KvService/Get', { namespace: 'ns', key: Buffer.from('k') })).code).toBe(Status.UNAUTHENTICATED);
    const wrong = new Metadata();
    wrong.set('authorization', 'Bearer nope');
    expect((await rawUnary(t.server, 'QueueService/Stats', { queue: 'q' }, wrong)).code).toBe(Status.UNAUTHENTICATED);
    const right = new Metadata();
    right.set('authorization', 'Bearer s3cret-key');
    expect((await rawUnary(t.server, 'QueueService/Stats', { queue: 'q' }, right)).code).toBe(Status.OK);
  });

  it('refuses a streaming call without the key too', async () => {
    const client = new SochDBClient(t.server.address);
    expect(await rejection(client.scanKv('ns'))).toBeInstanceOf(AuthenticationError);
    client.close();
  });

  it('answers the health check without the key', async () => {
    const client = new SochDBClient(t.server.address);
    expect(await client.ping()).toBeGreaterThanOrEqual(0);
    client.close();
  });
});

describe('connection failures', () => {
  it('rejects with ConnectionError and a remediation when no server listens', async () => {
    const t = await startTestServer();
    const address = t.server.address;
    await t.stop();
    const client = new SochDBClient(address);
    const error = await rejection(client.getKv('', 'k'));
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as ConnectionError).code).toBe(1001);
    expect((error as ConnectionError).remediation).toContain('sochdb-grpc-server');
    client.close();
  });

  it('refuses to start on a port in use, or with an unreadable certificate, with typed errors', async () => {
    const t = await startTestServer();
    try {
      const busy = await rejection(startServer({ port: t.server.port, db: ':memory:', logLevel: 'silent' }));
      expect(busy).toBeInstanceOf(ConnectionError);
      expect((busy as ConnectionError).remediation).toContain('--port');
      const noCert = await rejection(
        startServer({ port: 0, db: ':memory:', logLevel: 'silent', tls: { cert: join(t.dir, 'missing.pem'), key: join(t.dir, 'missing.pem') } }),
      );
      expect(noCert).toMatchObject({ code: 6000, field: 'tls.cert' });
    } finally {
      await t.stop();
    }
  });

  it('rejects calls after close() with ConnectionError', async () => {
    const t = await startTestServer();
    t.client.close();
    expect(await rejection(t.client.getKv('', 'k'))).toBeInstanceOf(ConnectionError);
    await t.stop();
  });

  it('refuses a message over the size limit with ValidationError, and keeps serving', async () => {
    const t = await startTestServer({ maxMessageBytes: 4096 });
    const error = await rejection(t.client.putKv('', 'big', Buffer.alloc(8192)));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).field).toBe('request');
    expect((error as ValidationError).remediation).toContain('--max-message-bytes');
    await t.client.putKv('', 'small', 'ok');
    expect((await t.client.getKv('', 'small'))?.toString()).toBe('ok');
    await t.stop();
  });

  it('keeps serving other calls after a request it cannot decode', async () => {
    const t = await startTestServer();
    const garbage = Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f]);
    const { Client, credentials } = await import('@grpc/grpc-js');
    const raw = new Client(t.server.address, credentials.createInsecure());
    const code = await new Promise<number>((resolve) =>
      raw.makeUnaryRequest(
        '/sochdb.v1.KvService/Get',
        () => garbage,
        (b: Buffer) => b,
        {},
        (error) => resolve(error?.code ?? Status.OK),
      ),
    );
    raw.close();
    expect(code).not.toBe(Status.OK);
    await t.client.putKv('', 'still', 'alive');
    expect((await t.client.getKv('', 'still'))?.toString()).toBe('alive');
    await t.stop();
  });
});

describe('TLS', () => {
  it('serves over TLS to a client that trusts the certificate', async (ctx) => {
    let pems: { cert: string; key: string };
    try {
      pems = selfSignedCertificate();
    } catch {
      ctx.skip(); // no openssl on this machine
      return;
    }
    const t = await startTestServer({ tls: pems }, { tls: { ca: pems.cert, serverName: 'localhost' } });
    try {
      await t.client.putKv('', 'tls', 'yes');
      expect((await t.client.getKv('', 'tls'))?.toString()).toBe('yes');
      const plain = new SochDBClient(t.server.address);
      expect(await rejection(plain.getKv('', 'tls'))).toBeInstanceOf(ConnectionError);
      plain.close();
      const ca = join(t.dir, 'ca.pem');
      writeFileSync(ca, pems.cert);
      const status = await runCli(['status', '--host', 'localhost', '--port', String(t.server.port), '--tls-ca', ca]);
      expect(status.stdout).toMatch(/^serving at localhost:/);
      expect(status.code).toBe(0);
    } finally {
      await t.stop();
    }
  });
});

function selfSignedCertificate(): { cert: string; key: string } {
  const dir = makeTempDir('sochdb-tls-');
  try {
    const [key, cert] = [join(dir.path, 'key.pem'), join(dir.path, 'cert.pem')];
    const args = [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=DNS:localhost',
      '-keyout',
      key,
      '-out',
      cert,
    ];
    execFileSync('openssl', args, { stdio: 'ignore' });
    return { cert: readFileSync(cert, 'utf8'), key: readFileSync(key, 'utf8') };
  } finally {
    dir.cleanup();
  }
}
