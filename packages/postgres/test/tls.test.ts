// TLS to the server: a server that accepts only TLS connections, a client that checks its
// certificate against the CA it was given, and typed errors when either side is wrong.
import { ConnectionError, AuthenticationError } from '@sochdb/core';
import { generate } from 'selfsigned';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { PostgresStorage } from '../src/index.js';
import { startTestServer, type TestServer } from '../src/testing/index.js';

const altNames = [
  { type: 7 as const, ip: '127.0.0.1' },
  { type: 2 as const, value: 'localhost' },
];
const certificate = (commonName: string) =>
  generate([{ name: 'commonName', value: commonName }], { keySize: 2048, algorithm: 'sha256', extensions: [{ name: 'subjectAltName', altNames }] });

let server: TestServer;
let ca: string;
let otherCa: string;
beforeAll(async () => {
  const [mine, other] = await Promise.all([certificate('sochdb-test-server'), certificate('someone-else')]);
  ca = mine.cert;
  otherCa = other.cert;
  server = await startTestServer({ tls: { cert: mine.cert, key: mine.private, only: true } });
}, 60_000);
afterAll(() => server?.stop());

it('works over TLS with the server certificate checked, and the server sees an encrypted connection', async () => {
  const storage = await PostgresStorage.open(server.url, { schema: 'tls', poolSize: 2, ssl: { ca, rejectUnauthorized: true } });
  try {
    await storage.put('k', 'over tls');
    expect((await storage.get('k'))?.toString()).toBe('over tls');
    // Every client connection of the database is TLS (the server refuses others, and says so here).
    const admin = new pg.Client({ connectionString: server.url, ssl: { ca } });
    await admin.connect();
    try {
      const { rows } = await admin.query<{ ssl: boolean }>(
        "SELECT s.ssl FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid) WHERE a.datname = 'sochdb_test' AND a.backend_type = 'client backend'",
      );
      expect(rows.length).toBeGreaterThanOrEqual(2);
      expect(rows.every((r) => r.ssl)).toBe(true);
    } finally {
      await admin.end();
    }
  } finally {
    await storage.close();
  }
});

it('a certificate not signed by the given CA is a ConnectionError that says what to set', async () => {
  const opening = PostgresStorage.open(server.url, { schema: 'tls', ssl: { ca: otherCa, rejectUnauthorized: true }, connectTimeoutMs: 5_000 });
  await expect(opening).rejects.toBeInstanceOf(ConnectionError);
  await expect(opening).rejects.toMatchObject({ code: 1001, message: expect.stringMatching(/TLS/), remediation: expect.stringMatching(/ssl\.ca/) });
});

it('a connection without TLS to a TLS-only server is refused with a typed error', async () => {
  const opening = PostgresStorage.open(server.url, { schema: 'tls', connectTimeoutMs: 5_000 });
  await expect(opening).rejects.toBeInstanceOf(AuthenticationError);
  await expect(opening).rejects.toMatchObject({ code: 1002, message: expect.stringMatching(/no encryption|pg_hba/) });
});

it('TLS asked of a server without it is a ConnectionError, not a hang', async () => {
  const plain = await startTestServer();
  try {
    const opening = PostgresStorage.open(plain.url, { schema: 'tls', ssl: true, connectTimeoutMs: 5_000 });
    await expect(opening).rejects.toMatchObject({ name: 'ConnectionError', code: 1001, message: expect.stringMatching(/TLS/) });
  } finally {
    await plain.stop();
  }
}, 60_000);
