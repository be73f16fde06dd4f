// sochdb-server as a real process on a real socket: serve, status, refuse a held folder, stop.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { expect, it } from 'vitest';
import { TransactionError } from '@sochdb/core';
import { IpcClient } from '@sochdb/ipc';
import { Database } from '@sochdb/sdk';
import { makeTempDir, spawnTs, waitForExit } from '@sochdb/core/testing';

const cli = join(import.meta.dirname, '..', 'src', 'cli.ts');

it('serves the database over its socket, reports status, refuses a second server, and stops gracefully', async () => {
  const dir = makeTempDir('sochdb-server-');
  const db = join(dir.path, 'db');
  const server = spawnTs(cli, [
    '--db',
    db,
    '--log-level',
    'warn',
    '--max-txns-per-connection',
    '2',
    '--txn-idle-timeout-ms',
    '800',
    '--frame-timeout-ms',
    '5000',
  ]);
  const exited = waitForExit(server);
  try {
    for await (const line of createInterface({ input: server.stdout! })) if (line.includes('listening on')) break;
    const socket = join(db, 'sochdb.sock');

    await using client = await IpcClient.connect(socket);
    await client.put('users/alice', '{"name":"Alice","age":30}');
    await client.put('users/bob', '{"name":"Bob","age":25}');
    expect((await client.get('users/alice'))?.toString()).toContain('Alice');
    expect(await client.get('users/carol')).toBeNull();
    expect(await client.query({ prefix: 'users/', select: ['name'], format: 'toon' })).toBe('result[2]{name}:Alice;Bob');
    await client.executeSql('CREATE TABLE t (id INTEGER PRIMARY KEY, v BLOB)');
    await client.executeSql('INSERT INTO t VALUES (?, ?)', [1, 'x']);
    expect(await client.executeSql('SELECT id, v FROM t')).toMatchObject({ rows: [{ id: 1, v: 'x' }], columns: ['id', 'v'] });
    const stale = await client.beginTransaction(); // never used: aborted after 800 ms
    const txn = await client.beginTransaction();
    await expect(client.beginTransaction()).rejects.toThrow(/too many open transactions on this connection \(limit 2\)/);
    await txn.put('in-txn', '1');
    await txn.execute("INSERT INTO t VALUES (2, 'y')");
    await txn.commit();

    const status = await waitForExit(spawnTs(cli, ['status', '--db', db]));
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(new RegExp(`running\\npid: ${server.pid}\\nsocket: ${socket}\\ndb: ${db}`));

    const second = await waitForExit(spawnTs(cli, ['--db', db]));
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(/is held by another process \(sochdb-server pid \d+\)/);
    // Starting two processes took well over 800 ms.
    const expired = await stale.get('x').catch((e: unknown) => e);
    expect(expired).toBeInstanceOf(TransactionError);
    expect((expired as Error).message).toMatch(/no request for 800 ms/);

    await client.close();
    const stop = await waitForExit(spawnTs(cli, ['stop', '--db', db]));
    expect(stop.stdout).toMatch(/stopped \(pid \d+\)/);
    expect((await exited).code).toBe(0);
    expect(existsSync(socket)).toBe(false);
    expect(existsSync(join(db, 'sochdb-server.pid'))).toBe(false);
    const notRunning = await waitForExit(spawnTs(cli, ['status', '--db', db]));
    expect(notRunning.code).toBe(1);

    // What the server wrote is the database's own KV and SQL.
    await using reopened = await Database.open(db);
    expect((await reopened.get('users/bob'))?.toString()).toContain('Bob');
    expect((await reopened.get('in-txn'))?.toString()).toBe('1');
    expect((await reopened.execute('SELECT COUNT(*) AS n FROM t')).rows).toEqual([{ n: 2 }]);
  } finally {
    server.kill('SIGKILL');
    dir.cleanup();
  }
});

it('stop returns once the server has exited, even while it is an unreaped zombie', async () => {
  const dir = makeTempDir('sochdb-server-zombie-');
  const db = join(dir.path, 'db');
  const tsx = createRequire(import.meta.url).resolve('tsx');
  const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  // The server is a child of a process that never reaps children (`exec sleep`): once it exits
  // it stays a zombie, which still answers `kill -0`.
  const parent = spawn(
    'sh',
    ['-c', `${[process.execPath, '--conditions=sochdb-source', '--import', tsx, cli, '--db', db, '--log-level', 'warn'].map(quote).join(' ')} & exec sleep 60`],
    { stdio: 'ignore' },
  );
  try {
    const deadline = Date.now() + 20_000;
    while (!existsSync(join(db, 'sochdb-server.pid')) || !existsSync(join(db, 'sochdb.sock'))) {
      if (Date.now() > deadline) throw new Error('server did not start');
      await new Promise((r) => setTimeout(r, 50));
    }
    const started = Date.now();
    const stop = await waitForExit(spawnTs(cli, ['stop', '--db', db, '--wait-ms', '8000']));
    expect(stop.stdout, stop.stderr).toMatch(/stopped \(pid \d+\)/);
    expect(Date.now() - started).toBeLessThan(8000);
  } finally {
    parent.kill('SIGKILL');
    dir.cleanup();
  }
}, 40_000);
