// The sochdb-studio bin as a child process: it prints the URL with the token, the API answers
// with that token, and SIGTERM stops it cleanly (the database folder can be opened again).
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { Database } from '@sochdb/sdk';
import { seededFolder } from './helpers.js';

const cli = fileURLToPath(new URL('../src/cli.ts', import.meta.url));

it('starts on a database folder, prints a URL with the token, and stops on SIGTERM', async () => {
  const dir = await seededFolder();
  const tsx = createRequire(import.meta.url).resolve('tsx');
  const child = spawn(process.execPath, ['--conditions=sochdb-source', '--import', tsx, cli, join(dir, 'db')], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no URL printed; stderr: ${stderr}`)), 20_000);
      child.stdout.on('data', () => {
        const match = /(http:\/\/127\.0\.0\.1:\d+)\/\?token=([\w-]+)/.exec(stdout);
        if (match) {
          clearTimeout(timer);
          resolve(match[0]);
        }
      });
      void exited.then((code) => reject(new Error(`exited ${String(code)}: ${stderr}`)));
    });
    const { origin, searchParams } = new URL(url);
    const token = searchParams.get('token') ?? '';
    expect(stdout).toContain('(read-only)');
    const overview = await fetch(`${origin}/api/overview`, { headers: { authorization: `Bearer ${token}` } });
    expect(overview.status).toBe(200);
    const body = (await overview.json()) as { namespaces: { name: string }[] };
    expect(body.namespaces.map((n) => n.name)).toEqual(['docs']);
    expect((await fetch(`${origin}/api/overview`)).status).toBe(401);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    // Closed cleanly: the folder's lock is free again.
    const db = await Database.open(join(dir, 'db'));
    await db.close();
  } finally {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}, 30_000);
