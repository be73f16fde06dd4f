// sochdb-server with --metrics-port: Prometheus metrics of real requests over the real socket,
// served on loopback only, and JSON log lines on stderr.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { expect, it } from 'vitest';
import { QueryError, ValidationError } from '@sochdb/core';
import { IpcClient } from '@sochdb/ipc';
import { Database } from '@sochdb/sdk';
import { makeTempDir, spawnTs, waitForExit } from '@sochdb/core/testing';
import { serve } from '../src/serve.js';

const cli = join(import.meta.dirname, '..', 'src', 'cli.ts');

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

it('counts requests, errors by code and commits on /metrics (127.0.0.1 only), and logs JSON lines', async () => {
  const dir = makeTempDir('sochdb-server-metrics-');
  const db = join(dir.path, 'db');
  const server = spawnTs(cli, ['--db', db, '--log-level', 'debug', '--metrics-port', '0']);
  const exited = waitForExit(server);
  try {
    let metricsUrl = '';
    for await (const line of createInterface({ input: server.stdout! })) {
      const match = /metrics on (\S+)/.exec(line);
      if (match) {
        metricsUrl = match[1]!;
        break;
      }
    }
    expect(metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    const port = Number(new URL(metricsUrl).port);

    await using client = await IpcClient.connect(join(db, 'sochdb.sock'));
    await client.put('a', '1');
    await client.put('b', '2');
    expect((await client.get('a'))?.toString()).toBe('1');
    const failure = await client.executeSql('SELEKT nothing').catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(QueryError);
    const txn = await client.beginTransaction();
    await txn.put('c', '3');
    await txn.commit();

    const response = await fetch(metricsUrl);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const text = await response.text();
    expect(sample(text, 'sochdb_requests_total', 'server="ipc",method="PUT",outcome="ok"')).toBe(2);
    expect(sample(text, 'sochdb_requests_total', 'server="ipc",method="GET",outcome="ok"')).toBe(1);
    expect(sample(text, 'sochdb_requests_total', 'server="ipc",method="SQL",outcome="error"')).toBe(1);
    expect(sample(text, 'sochdb_errors_total', `server="ipc",code="${(failure as QueryError).code}"`)).toBe(1);
    expect(sample(text, 'sochdb_request_duration_seconds_count', 'server="ipc",method="PUT"')).toBe(2);
    expect(sample(text, 'sochdb_lsn')).toBeGreaterThan(0);
    expect(sample(text, 'sochdb_transactions_committed_total')).toBeGreaterThan(0);
    expect(sample(text, 'sochdb_transactions_open')).toBe(0);
    expect(text).toContain('process_resident_memory_bytes');
    expect((await fetch(metricsUrl.replace('/metrics', '/other'))).status).toBe(404);
    // Bound to loopback only (when /proc says where it listens).
    const bound = listeners(port);
    if (bound.length > 0) expect(bound).toEqual(['0100007F']);

    await client.close();
    server.kill('SIGTERM');
    const { code, stderr } = await exited;
    expect(code).toBe(0);
    // Every stderr line is a JSON object with a level and a message; the old messages are kept.
    const lines = stderr
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { level: string; msg: string; name: string });
    expect(lines.every((l) => typeof l.level === 'string' && typeof l.msg === 'string' && l.name === 'sochdb-server')).toBe(true);
    expect(lines).toContainEqual(expect.objectContaining({ level: 'info', msg: expect.stringMatching(/^listening on .*sochdb\.sock$/) }));
    expect(lines).toContainEqual(expect.objectContaining({ level: 'debug', msg: expect.stringMatching(/^SQL failed: /) }));
    expect(lines).toContainEqual(expect.objectContaining({ level: 'info', msg: 'received SIGTERM, stopping' }));
  } finally {
    server.kill('SIGKILL');
    dir.cleanup();
  }
});

it('refuses a metrics host beyond loopback unless metricsAllowRemote says so, leaving nothing behind', async () => {
  const dir = makeTempDir('sochdb-server-metrics-host-');
  const db = join(dir.path, 'db');
  try {
    const refused = await serve({ db, metricsPort: 0, metricsHost: '0.0.0.0', logLevel: 'silent' }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ValidationError);
    expect((refused as ValidationError).message).toContain('refusing to serve metrics on 0.0.0.0');
    expect((refused as ValidationError).remediation).toContain('--metrics-allow-remote');
    expect(existsSync(join(db, 'sochdb.sock'))).toBe(false);
    expect(existsSync(join(db, 'sochdb-server.pid'))).toBe(false);
    await using reopened = await Database.open(db); // nothing holds the folder
    expect(reopened.path).toBeTruthy();
  } finally {
    dir.cleanup();
  }
});
