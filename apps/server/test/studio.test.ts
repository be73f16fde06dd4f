// sochdb-server with --studio-port: SochDB Studio on the Database the server holds, so what
// socket clients write shows in the studio and, with --studio-write, the reverse. (A studio
// started on its own refuses a folder this server holds: the socket serves only root KV.)
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { expect, it } from 'vitest';
import { IpcClient } from '@sochdb/ipc';
import { makeTempDir, spawnTs, waitForExit } from '@sochdb/core/testing';

const cli = join(import.meta.dirname, '..', 'src', 'cli.ts');

/** Reads the server's stdout until its `studio on <url>` line. */
async function studioUrlOf(server: ChildProcess): Promise<URL> {
  for await (const line of createInterface({ input: server.stdout! })) {
    const match = /studio on (\S+)/.exec(line);
    if (match) return new URL(match[1]!);
  }
  throw new Error('the server exited without printing its studio address');
}

it('serves the studio on loopback behind its token, on the database socket clients write to, and stops it with the server', async () => {
  const dir = makeTempDir('sochdb-server-studio-');
  const db = join(dir.path, 'db');
  const server = spawnTs(cli, ['--db', db, '--studio-port', '0', '--studio-write', '--log-level', 'warn']);
  const exited = waitForExit(server);
  try {
    const url = await studioUrlOf(server);
    expect(url.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const token = url.searchParams.get('token')!;
    expect(token.length).toBeGreaterThanOrEqual(32);
    const api = (path: string, init: RequestInit = {}, auth = true) =>
      fetch(new URL(path, url.origin), {
        ...init,
        headers: { 'content-type': 'application/json', ...(auth ? { authorization: `Bearer ${token}` } : {}) },
      });
    const sql = async (statement: string) => {
      const response = await api('/api/sql', { method: 'POST', body: JSON.stringify({ sql: statement }) });
      expect(response.status).toBe(200);
      return (await response.json()) as { rows: unknown[][] };
    };

    await using socket = await IpcClient.connect(join(db, 'sochdb.sock'));
    await socket.executeSql('CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)');
    await socket.executeSql("INSERT INTO notes (body) VALUES ('from the socket')");

    expect((await api('/api/overview', {}, false)).status).toBe(401);
    const overview = (await (await api('/api/overview')).json()) as { path: string; write: boolean };
    expect(overview).toMatchObject({ path: db, write: true });
    expect((await sql('SELECT body FROM notes')).rows).toEqual([['from the socket']]);
    await sql("INSERT INTO notes (body) VALUES ('from the studio')");
    expect(await socket.executeSql('SELECT body FROM notes ORDER BY id')).toMatchObject({ rows: [{ body: 'from the socket' }, { body: 'from the studio' }] });
    await socket.close();

    server.kill('SIGTERM');
    expect((await exited).code).toBe(0);
    await expect(fetch(new URL('/api/overview', url.origin))).rejects.toThrow();
  } finally {
    server.kill('SIGKILL');
    dir.cleanup();
  }
});
