import { readFileSync } from 'node:fs';
import { afterEach, expect, it } from 'vitest';
import { register as globalRegistry } from 'prom-client';
import { ConnectionError, DatabaseError, QueryError, ValidationError } from '@sochdb/core';
import { createServerMetrics, errorCode, isLoopback, serveMetrics, type DatabaseCounters, type MetricsServer } from '../src/index.js';

const stats: DatabaseCounters = {
  activeTransactions: 2,
  transactionsCommitted: 41,
  transactionsAborted: 3,
  conflicts: 1,
  syncs: 17,
  writeBatches: 20,
  lsn: 123n,
  keysCount: 99,
  keysCountLsn: 120n,
  bytesWritten: 4096,
  bytesRead: 512,
};

/** The value of the sample `name{labels}` in a Prometheus text exposition (undefined when absent). */
function sample(text: string, name: string, labels = ''): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels ? `{${labels}}` : ''} `));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

let http: MetricsServer | undefined;
afterEach(async () => {
  await http?.close();
  http = undefined;
});

it('renders request counts, latencies and errors by code after observations, on its own registry', async () => {
  let reads = 0;
  const metrics = createServerMetrics({
    server: 'ipc',
    dbStats: () => {
      reads++;
      return stats;
    },
    processMetrics: false,
  });
  metrics.observe({ method: 'GET', seconds: 0.002 });
  metrics.observe({ method: 'GET', seconds: 0.004 });
  metrics.observe({ method: 'SQL', seconds: 0.01, error: new QueryError('no such table: t') });
  metrics.observe({ method: 'PUT', seconds: 0.001, error: new Error('disk on fire') });
  const text = await metrics.registry.metrics();
  expect(sample(text, 'sochdb_requests_total', 'server="ipc",method="GET",outcome="ok"')).toBe(2);
  expect(sample(text, 'sochdb_requests_total', 'server="ipc",method="SQL",outcome="error"')).toBe(1);
  expect(sample(text, 'sochdb_request_duration_seconds_count', 'server="ipc",method="GET"')).toBe(2);
  expect(sample(text, 'sochdb_request_duration_seconds_sum', 'server="ipc",method="GET"')).toBeCloseTo(0.006);
  expect(sample(text, 'sochdb_request_duration_seconds_bucket', 'le="0.005",server="ipc",method="GET"')).toBe(2);
  expect(sample(text, 'sochdb_errors_total', 'server="ipc",code="5001"')).toBe(1);
  expect(sample(text, 'sochdb_errors_total', 'server="ipc",code="9003"')).toBe(1);
  // Read from the database at scrape time, once per scrape.
  expect(reads).toBe(1);
  expect(sample(text, 'sochdb_transactions_open')).toBe(2);
  expect(sample(text, 'sochdb_transactions_committed_total')).toBe(41);
  expect(sample(text, 'sochdb_transactions_aborted_total')).toBe(3);
  expect(sample(text, 'sochdb_transaction_conflicts_total')).toBe(1);
  expect(sample(text, 'sochdb_syncs_total')).toBe(17);
  expect(sample(text, 'sochdb_write_batches_total')).toBe(20);
  expect(sample(text, 'sochdb_lsn')).toBe(123);
  expect(sample(text, 'sochdb_keys')).toBe(99);
  expect(sample(text, 'sochdb_keys_count_lsn')).toBe(120);
  expect(text).toContain('# TYPE sochdb_transactions_committed_total counter');
  expect(text).not.toContain('sochdb_queue_tasks'); // no queue callback given
  // The counters follow the database on the next scrape, never the global registry.
  const later = await createServerMetrics({ server: 'x', dbStats: () => ({ ...stats, transactionsCommitted: 50 }), processMetrics: false }).registry.metrics();
  expect(sample(later, 'sochdb_transactions_committed_total')).toBe(50);
  expect(await globalRegistry.metrics()).not.toContain('sochdb_');
});

it('reports queue depths and collection sizes when given, and process metrics by default', async () => {
  const metrics = createServerMetrics({
    server: 'grpc',
    dbStats: async () => stats,
    queues: async () => [{ queue: 'emails', pending: 5, delayed: 1, claimed: 2 }],
    collections: () => [{ namespace: 'tenant', collection: 'docs', documents: 42 }],
  });
  const text = await metrics.registry.metrics();
  expect(sample(text, 'sochdb_queue_tasks', 'queue="emails",state="pending"')).toBe(5);
  expect(sample(text, 'sochdb_queue_tasks', 'queue="emails",state="claimed"')).toBe(2);
  expect(sample(text, 'sochdb_collection_documents', 'namespace="tenant",collection="docs"')).toBe(42);
  expect(text).toContain('process_cpu_user_seconds_total');
});

it('errorCode is the SochDBError code, 9003 for anything else', () => {
  expect(errorCode(new ValidationError('bad'))).toBe('6000');
  expect(errorCode(new DatabaseError('x'))).toBe('9003');
  expect(errorCode(new TypeError('x'))).toBe('9003');
  expect(errorCode('a string')).toBe('9003');
});

it('serveMetrics answers GET /metrics with the registry, 404 elsewhere, on 127.0.0.1 by default', async () => {
  const metrics = createServerMetrics({ server: 'ipc', dbStats: () => stats, processMetrics: false });
  metrics.observe({ method: 'PING', seconds: 0.0001 });
  http = await serveMetrics({ registry: metrics.registry, port: 0 });
  expect(http.host).toBe('127.0.0.1');
  expect(http.url).toBe(`http://127.0.0.1:${http.port}/metrics`);
  const ok = await fetch(http.url);
  expect(ok.status).toBe(200);
  expect(ok.headers.get('content-type')).toBe(metrics.registry.contentType);
  expect(sample(await ok.text(), 'sochdb_requests_total', 'server="ipc",method="PING",outcome="ok"')).toBe(1);
  expect((await fetch(`http://127.0.0.1:${http.port}/`)).status).toBe(404);
  expect((await fetch(`${http.url}?x=1`)).status).toBe(200);
  expect((await fetch(http.url, { method: 'POST' })).status).toBe(404);
  // Only 127.0.0.1 listens on the port (when /proc says).
  const hexPort = http.port.toString(16).toUpperCase().padStart(4, '0');
  let tcp = '';
  try {
    tcp = readFileSync('/proc/net/tcp', 'utf8') + readFileSync('/proc/net/tcp6', 'utf8');
  } catch {
    // not Linux
  }
  const local = tcp
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter((f) => f[1]?.endsWith(`:${hexPort}`) && f[3] === '0A')
    .map((f) => f[1]!.split(':')[0]);
  if (tcp) expect(local).toEqual(['0100007F']);
  await http.close();
  await expect(fetch(http.url)).rejects.toThrow();
});

it('refuses a host beyond loopback unless allowRemote, and a taken port with a ConnectionError', async () => {
  const { registry } = createServerMetrics({ server: 'ipc', dbStats: () => stats, processMetrics: false });
  await expect(serveMetrics({ registry, port: 0, host: '0.0.0.0' })).rejects.toThrow(ValidationError);
  await expect(serveMetrics({ registry, port: 0, host: '' })).rejects.toThrow(ValidationError);
  await expect(serveMetrics({ registry, port: 70000 })).rejects.toThrow(ValidationError);
  http = await serveMetrics({ registry, port: 0, host: 'localhost' });
  await expect(serveMetrics({ registry, port: http.port, host: '127.0.0.1' })).rejects.toThrow(ConnectionError);
  for (const host of ['127.0.0.1', '127.1.2.3', '::1', '[::1]', 'localhost', '::ffff:127.0.0.1']) expect(isLoopback(host), host).toBe(true);
  for (const host of ['0.0.0.0', '10.0.0.1', '::', '127.evil.example', 'example.com']) expect(isLoopback(host), host).toBe(false);
});

it('a failing database read is a 500, not a crash', async () => {
  const { registry } = createServerMetrics({
    server: 'ipc',
    dbStats: () => {
      throw new DatabaseError('storage is closed');
    },
    processMetrics: false,
  });
  http = await serveMetrics({ registry, port: 0 });
  const response = await fetch(http.url);
  expect(response.status).toBe(500);
  expect(await response.text()).toContain('storage is closed');
});
