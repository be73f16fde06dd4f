// The studio beside another process holding the folder (real child processes, a real LevelDB
// folder): an application that opened it with `Database.openConcurrent` is reached through its
// socket — the API shows its data, and a write through the studio is seen by another client —
// and the studio's own command does so without --concurrent. A folder held by sochdb-server, or
// by a process that serves no socket, is refused with a typed error that says why.
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database } from '@sochdb/sdk';
import { FolderHeldError, openDatabase, startStudio } from '../src/index.js';
import { json, seededFolder } from './helpers.js';

const tsx = createRequire(import.meta.url).resolve('tsx');
const serverCli = fileURLToPath(new URL('../../server/src/cli.ts', import.meta.url));
const studioCli = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
const holder = fileURLToPath(new URL('./fixtures/hold-concurrent.ts', import.meta.url));

/** `file` (TypeScript) in a child Node process, run from source like the tests themselves. */
const spawnTs = (file: string, args: readonly string[]): ChildProcess =>
  spawn(process.execPath, ['--conditions=sochdb-source', '--import', tsx, file, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });

/** The first stdout line matching `pattern`; rejects when the child exits first or after 20 s. */
async function lineOf(child: ChildProcess, pattern: RegExp): Promise<string> {
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no line ${String(pattern)}; stderr: ${stderr}`)), 20_000)));
  const exited = new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`exited ${String(code)}: ${stderr}`))));
  const found = new Promise<string>((resolve) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      if (!pattern.test(line)) return;
      lines.removeAllListeners('line');
      resolve(line);
    });
  });
  try {
    return await Promise.race([found, timeout, exited]);
  } finally {
    clearTimeout(timer);
  }
}

/** Stops `child` with SIGTERM and waits for it to exit. */
async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/** A studio on `db` and a fetch with its token. */
async function studioOn(db: Database, write: boolean) {
  const studio = await startStudio({ db, write });
  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${studio.url}${path}`, { ...init, headers: { authorization: `Bearer ${studio.token}`, 'content-type': 'application/json' } });
  return { studio, api };
}

describe('beside an application that opened the folder with openConcurrent', () => {
  let dir: string;
  let folder: string;
  let owner: ChildProcess;

  beforeAll(async () => {
    dir = await seededFolder();
    folder = join(dir, 'db');
    owner = spawnTs(holder, [folder]);
    expect(await lineOf(owner, /^holding /)).toContain('(owner: true)');
  }, 30_000);

  afterAll(async () => {
    await stop(owner);
    rmSync(dir, { recursive: true, force: true });
  });

  it('opens the held folder through its socket and shows the owner’s data, read-only', async () => {
    const { db, via } = await openDatabase(folder);
    const { studio, api } = await studioOn(db, false);
    try {
      expect(via).toBe('ipc');
      const overview = await json(await api('/api/overview'));
      expect(overview.source).toBe('ipc');
      const namespaces = overview.namespaces as { name: string; collections: { name: string; count: number }[] }[];
      expect(namespaces.map((n) => [n.name, n.collections.map((c) => [c.name, c.count])])).toEqual([['docs', [['articles', 6]]]]);
      expect((overview.queues as { name: string }[]).map((q) => q.name).sort()).toEqual(['emails', 'emails-dead']);

      const sql = await json(await api('/api/sql', { method: 'POST', body: JSON.stringify({ sql: 'SELECT name FROM users ORDER BY id' }) }));
      expect(sql.rows).toEqual([['Alice'], ['Bob'], ['Carol'], ['Dave'], ['Eve']]);
      // Read-only holds over the socket too: the write is refused and leaves nothing behind.
      const refused = await api('/api/sql', { method: 'POST', body: JSON.stringify({ sql: "INSERT INTO users (name) VALUES ('Mallory')" }) });
      expect(refused.status).toBe(403);
      expect(await db.execute("SELECT name FROM users WHERE name = 'Mallory'")).toMatchObject({ rows: [] });

      const page = await json(await api('/api/kv?prefix=page/&limit=10'));
      expect((page.entries as { key: string }[]).map((e) => e.key)).toHaveLength(10);
      expect(page.next).toBe('page/009');
      const value = await json(await api('/api/kv/value?key=greeting'));
      expect(value.value).toMatchObject({ text: 'hello world' });
    } finally {
      await studio.close();
      await db.close();
    }
  }, 30_000);

  it('in write mode, a write through the studio is seen by another client of the owner', async () => {
    const { db } = await openDatabase(folder);
    const { studio, api } = await studioOn(db, true);
    const other = await Database.openConcurrent(folder, { lockTimeoutMs: 3000 });
    try {
      expect((await api('/api/kv', { method: 'PUT', body: JSON.stringify({ key: 'from-studio', text: 'written' }) })).status).toBe(200);
      expect((await other.get('from-studio'))?.toString()).toBe('written');
      const inserted = await json(await api('/api/sql', { method: 'POST', body: JSON.stringify({ sql: "INSERT INTO users (name) VALUES ('Frank')" }) }));
      expect(inserted.rowsAffected).toBe(1);
      expect((await other.execute('SELECT name FROM users WHERE name = ?', ['Frank'])).rows).toHaveLength(1);
    } finally {
      await other.close();
      await studio.close();
      await db.close();
    }
  }, 30_000);

  it('sochdb-studio on the held folder starts without --concurrent and says it goes through the socket', async () => {
    const child = spawnTs(studioCli, [folder]);
    try {
      const url = await lineOf(child, /^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+$/);
      const { origin, searchParams } = new URL(url);
      const overview = await fetch(`${origin}/api/overview`, { headers: { authorization: `Bearer ${searchParams.get('token') ?? ''}` } });
      expect((await json(overview)).source).toBe('ipc');
    } finally {
      await stop(child);
    }
  }, 30_000);
});

it('a folder held by sochdb-server is refused with FolderHeldError (10001) naming the server, by the API and the command', async () => {
  const dir = await seededFolder();
  const folder = join(dir, 'db');
  const server = spawnTs(serverCli, ['--db', folder, '--log-level', 'warn']);
  try {
    await lineOf(server, /listening on/);
    for (const concurrent of [false, true]) {
      const error: unknown = await openDatabase(folder, { concurrent }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(FolderHeldError);
      expect((error as FolderHeldError).code).toBe(10001);
      expect((error as FolderHeldError).message).toContain(`sochdb-server (pid ${String(server.pid)})`);
      expect((error as FolderHeldError).remediation).toContain('--studio-port');
    }
    const studio = spawnTs(studioCli, [folder]);
    let stderr = '';
    studio.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => studio.once('exit', resolve));
    expect(code).toBe(1);
    expect(stderr).toContain('FolderHeldError (10001)');
    expect(stderr).toContain('sochdb-server stop');
  } finally {
    await stop(server);
    rmSync(dir, { recursive: true, force: true });
  }
}, 30_000);

it('a folder held by a process that serves no socket is refused with FolderHeldError (10001)', async () => {
  const dir = await seededFolder();
  const holding = await Database.open(join(dir, 'db'));
  try {
    const error: unknown = await openDatabase(join(dir, 'db')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FolderHeldError);
    expect((error as FolderHeldError).code).toBe(10001);
    expect((error as FolderHeldError).message).toContain('serves no');
  } finally {
    await holding.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
