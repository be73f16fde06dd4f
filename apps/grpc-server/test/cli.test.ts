import { join } from 'node:path';
import { makeTempDir } from '@sochdb/core/testing';
import { AuthenticationError, PriorityQueue, SochDBClient } from '@sochdb/sdk';
import { afterAll, describe, expect, it } from 'vitest';
import { rejection, runCli, startCli } from './helpers.js';

const dir = makeTempDir('sochdb-grpc-cli-');
afterAll(() => dir.cleanup());

describe('sochdb-grpc-server (real process)', () => {
  it('keeps every kind of data across a restart, and stops cleanly on SIGTERM', async () => {
    const db = join(dir.path, 'persist');
    const first = await startCli(['--port', '0', '--db', db, '--log-level', 'info']);
    expect(first.address).toMatch(/^127\.0\.0\.1:\d+$/);
    const client = new SochDBClient(first.address);
    await client.putKv('', 'root-key', 'root-value');
    await client.putKv('tenant', 'k', 'v');
    await client.createNamespace('tenant');
    await client.createCollection('tenant', { name: 'docs', dimension: 2 });
    await client.insert({ namespace: 'tenant', collection: 'docs', id: 'd1', vector: [1, 0], metadata: { a: 1 } });
    await client.addGraphNode({ namespace: 'g', nodeId: 'n1', nodeType: 'T', properties: { x: 1 } });
    await client.executeSql('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)');
    await client.executeSql("INSERT INTO t (v) VALUES ('kept')");
    await PriorityQueue.fromClient(client, 'jobs').enqueue({ priority: 1, payload: 'job' });
    client.close();

    first.child.kill('SIGTERM');
    const stopped = await first.exit;
    expect(stopped.code).toBe(0);
    expect(stopped.stderr).toContain('SIGTERM');

    const second = await startCli(['--port', '0', '--db', db, '--log-level', 'error']);
    const again = new SochDBClient(second.address);
    try {
      expect((await again.getKv('', 'root-key'))?.toString()).toBe('root-value');
      expect((await again.getKv('tenant', 'k'))?.toString()).toBe('v');
      expect((await again.listNamespaces()).map((n) => n.name)).toEqual(['tenant']);
      expect((await again.vectorSearch({ namespace: 'tenant', collection: 'docs', query: [1, 0], k: 1 })).map((r) => [r.id, r.metadata])).toEqual([
        ['d1', { a: 1 }],
      ]);
      expect(await again.getGraphNode('g', 'n1')).toEqual({ id: 'n1', type: 'T', properties: { x: 1 } });
      expect((await again.executeSql('SELECT v FROM t')).rows).toEqual([{ v: 'kept' }]);
      const task = await again.queue('jobs').dequeue({ workerId: 'w' });
      expect(task?.payload.toString()).toBe('job');
    } finally {
      again.close();
      second.child.kill('SIGINT');
      expect((await second.exit).code).toBe(0);
    }
  });

  it('keeps acknowledged writes when the process is killed (SIGKILL)', async () => {
    const db = join(dir.path, 'killed');
    const first = await startCli(['--port', '0', '--db', db, '--log-level', 'error']);
    const client = new SochDBClient(first.address);
    for (let i = 0; i < 20; i++) await client.putKv('crash', `k${i}`, `v${i}`);
    client.close();
    first.child.kill('SIGKILL');
    expect((await first.exit).signal).toBe('SIGKILL');

    const second = await startCli(['--port', '0', '--db', db, '--log-level', 'error']);
    const again = new SochDBClient(second.address);
    try {
      expect((await again.scanKv('crash')).map(([, v]) => v.toString()).sort()).toEqual(Array.from({ length: 20 }, (_, i) => `v${i}`).sort());
    } finally {
      again.close();
      second.child.kill('SIGTERM');
      await second.exit;
    }
  });

  it('status says serving (exit 0) for a live server and not serving (exit 1) otherwise', async () => {
    const server = await startCli(['--port', '0', '--db', join(dir.path, 'status'), '--log-level', 'error']);
    const live = await runCli(['status', '--port', String(server.port), '--host', '127.0.0.1']);
    expect(live.code).toBe(0);
    expect(live.stdout).toMatch(/^serving at 127\.0\.0\.1:\d+/);
    server.child.kill('SIGTERM');
    await server.exit;
    const dead = await runCli(['status', '--port', String(server.port), '--timeout-ms', '1000']);
    expect(dead.code).toBe(1);
    expect(dead.stdout).toContain('not serving');
  });

  it('takes the API key from SOCHDB_API_KEY', async () => {
    const server = await startCli(['--port', '0', '--db', ':memory:', '--log-level', 'error'], { SOCHDB_API_KEY: 'from-env' });
    const without = new SochDBClient(server.address);
    const withKey = new SochDBClient(server.address, { apiKey: 'from-env' });
    try {
      expect(await rejection(without.getKv('', 'k'))).toBeInstanceOf(AuthenticationError);
      expect(await withKey.getKv('', 'k')).toBeNull();
      // The health check stays open, so `status` works without the key.
      expect((await runCli(['status', '--port', String(server.port)])).code).toBe(0);
    } finally {
      without.close();
      withKey.close();
      server.child.kill('SIGTERM');
      await server.exit;
    }
  });

  it('refuses a database another server holds, and bad flags, with a clear message', async () => {
    const db = join(dir.path, 'locked');
    const holder = await startCli(['--port', '0', '--db', db, '--log-level', 'error']);
    try {
      const second = await runCli(['--port', '0', '--db', db]);
      expect(second.code).toBe(1);
      expect(second.stderr).toContain('held by another process');
    } finally {
      holder.child.kill('SIGTERM');
      await holder.exit;
    }
    const badPort = await runCli(['--port', 'abc']);
    expect(badPort.code).not.toBe(0);
    expect(badPort.stderr).toContain('--port');
    const halfTls = await runCli(['--port', '0', '--db', ':memory:', '--tls-cert', 'cert.pem']);
    expect(halfTls.code).toBe(1);
    expect(halfTls.stderr).toContain('--tls-key');
  });
});
