// `sochdb studio <db>`: the studio (from @sochdb/studio) started by the main CLI as a real child
// process; the printed URL carries the token the API wants, and SIGTERM stops it cleanly.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { spawnTs } from '@sochdb/core/testing';
import { cli, withDb } from './helpers.js';

it('serves the database on loopback behind the printed token, read-only, until SIGTERM', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sochdb-cli-studio-'));
  const folder = join(dir, 'db');
  await withDb(folder, async (db) => {
    await db.put('greeting', 'hello');
  });
  const child = spawnTs(cli, ['studio', folder, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  try {
    const url = await new Promise<URL>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no URL printed; stderr: ${stderr}`)), 25_000);
      child.stdout!.on('data', () => {
        const match = /http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+/.exec(stdout);
        if (match) {
          clearTimeout(timer);
          resolve(new URL(match[0]));
        }
      });
      void exited.then((code) => reject(new Error(`exited ${String(code)}: ${stderr}`)));
    });
    const auth = { authorization: `Bearer ${url.searchParams.get('token') ?? ''}` };
    const value = await fetch(`${url.origin}/api/kv/value?key=greeting`, { headers: auth });
    expect(value.status).toBe(200);
    expect(((await value.json()) as { value: { text: string } }).value.text).toBe('hello');
    expect((await fetch(`${url.origin}/api/kv/value?key=greeting`)).status).toBe(401);
    const put = await fetch(`${url.origin}/api/kv`, {
      method: 'PUT',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ key: 'x', text: 'y' }),
    });
    expect(put.status).toBe(403);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    await withDb(folder, async (db) => expect(await db.get('x')).toBeNull());
  } finally {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}, 40_000);
