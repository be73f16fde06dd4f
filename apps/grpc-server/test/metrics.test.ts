// sochdb-grpc-server with --metrics-port: Prometheus metrics of real calls, served on loopback
// only, and JSON log lines on stderr.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir, spawnTs, waitForExit } from '@sochdb/core/testing';
import { NamespaceNotFoundError, SochDBClient, ValidationError } from '@sochdb/sdk';
import { afterAll, expect, it } from 'vitest';
import { startServer } from '../src/index.js';
import { CLI, logLines, rejection } from './helpers.js';

const dir = makeTempDir('sochdb-grpc-metrics-');
afterAll(() => dir.cleanup());

/** The value of the sample `name{labels}` in a Prometheus text exposition (undefined when absent). */
function sample(text: string, name: string, labels = ''): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels ? `{${labels}}` : ''} `));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

/** Local addresses listening on `port` over TCP, from /proc (Linux): hex `0100007F` is 127.0.0.1. */
function listeners(port: number): string[] {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  return ['/proc/net/tcp', '/proc/net/tcp6'].flatMap((file) => {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      return [];
    }
    return text
      .split('\n')
      .slice(1)
      .map((l) => l.trim().split(/\s+/))
      .filter((f) => f[1]?.endsWith(`:${hexPort}`) && f[3] === '0A')
      .map((f) => f[1]!.split(':')[0]!);
  });
}

it('counts calls, errors by code, commits, queue depths and collection sizes on /metrics (127.0.0.1 only)', async () => {
  const child = spawnTs(CLI, ['--port', '0', '--db', join(dir.path, 'db'), '--log-level', 'debug', '--metrics-port', '0']);
  const exit = waitForExit(child);
  try {
    const { address, metricsUrl } = await new Promise<{ address: string; metricsUrl: string }>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const listening = /listening on (\S+)/.exec(out);
        const metrics = /metrics on (\S+)/.exec(out);
        if (listening && metrics) resolve({ address: listening[1]!, metricsUrl: metrics[1]! });
      });
      void exit.then((r) => reject(new Error(`server exited (${r.code}): ${r.stderr}`)));
    });
    expect(metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);

    const client = new SochDBClient(address);
    try {
      await client.putKv('', 'a', '1');
      await client.putKv('', 'b', '2');
      expect((await client.getKv('', 'a'))?.toString()).toBe('1');
      const failure = await rejection(client.createCollection('missing', { name: 'docs', dimension: 2 }));
      expect(failure).toBeInstanceOf(NamespaceNotFoundError);
      await client.createNamespace('tenant');
      await client.createCollection('tenant', { name: 'docs', dimension: 2 });
      await client.insert({ namespace: 'tenant', collection: 'docs', id: 'd1', vector: [1, 0] });
      await client.insert({ namespace: 'tenant', collection: 'docs', id: 'd2', vector: [0, 1] });
      await client.queue('jobs').enqueue({ priority: 1, payload: 'x' });
      await client.queue('jobs').enqueue({ priority: 2, payload: 'y' });
      await client.executeSql('CREATE TABLE t (id INTEGER PRIMARY KEY)');
      await client.executeSql('INSERT INTO t VALUES (1)');

      const response = await fetch(metricsUrl);
      expect(response.status).toBe(200);
      const text = await response.text();
      expect(sample(text, 'sochdb_requests_total', 'server="grpc",method="KvService/Put",outcome="ok"')).toBe(2);
      expect(sample(text, 'sochdb_requests_total', 'server="grpc",method="KvService/Get",outcome="ok"')).toBe(1);
      expect(sample(text, 'sochdb_requests_total', 'server="grpc",method="CollectionService/CreateCollection",outcome="error"')).toBe(1);
      expect(sample(text, 'sochdb_errors_total', `server="grpc",code="${(failure as NamespaceNotFoundError).code}"`)).toBe(1);
      expect(sample(text, 'sochdb_request_duration_seconds_count', 'server="grpc",method="KvService/Put"')).toBe(2);
      expect(sample(text, 'sochdb_lsn')).toBeGreaterThan(0);
      expect(sample(text, 'sochdb_transactions_committed_total')).toBeGreaterThan(0);
      expect(sample(text, 'sochdb_queue_tasks', 'queue="jobs",state="pending"')).toBe(2);
      expect(sample(text, 'sochdb_collection_documents', 'namespace="tenant",collection="docs"')).toBe(2);
      expect(text).toContain('process_resident_memory_bytes');
      const bound = listeners(Number(new URL(metricsUrl).port));
      if (bound.length > 0) expect(bound).toEqual(['0100007F']);
    } finally {
      client.close();
      child.kill('SIGTERM');
    }
    const { code, stderr } = await exit;
    expect(code).toBe(0);
    // stderr is JSON lines only, the old messages kept.
    const lines = logLines(stderr);
    expect(lines).toHaveLength(stderr.trim().split('\n').length);
    expect(lines).toContainEqual(expect.objectContaining({ level: 'info', msg: expect.stringMatching(/^metrics on http:\/\/127\.0\.0\.1:/) }));
    expect(lines).toContainEqual(expect.objectContaining({ level: 'debug', msg: expect.stringContaining('CreateCollection') }));
    expect(lines).toContainEqual(expect.objectContaining({ level: 'info', msg: 'received SIGTERM, finishing in-flight calls' }));
  } finally {
    child.kill('SIGKILL');
  }
});

it('refuses a metrics host beyond loopback unless allowRemote says so, before opening anything', async () => {
  const db = join(dir.path, 'refused');
  const refused = await rejection(startServer({ port: 0, db, logLevel: 'silent', metrics: { port: 0, host: '0.0.0.0' } }));
  expect(refused).toBeInstanceOf(ValidationError);
  expect(refused.message).toContain('refusing to serve metrics on 0.0.0.0');
  expect((refused as ValidationError).remediation).toContain('--metrics-allow-remote');
  // Nothing was opened: another server can open the folder.
  const server = await startServer({ port: 0, db, logLevel: 'silent' });
  await server.close();
});
