// sochdb-server's queue depths and collection sizes on /metrics: read from the stored records at
// scrape time (no queue or collection opened by the server), re-read only after writes or when a
// delay or lease runs out, and never failing a scrape.
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect, it } from 'vitest';
import { encodeKey } from '@sochdb/core';
import { IpcClient } from '@sochdb/ipc';
import { createLogger } from '@sochdb/observability';
import { Database } from '@sochdb/sdk';
import { makeTempDir } from '@sochdb/core/testing';
import { serve } from '../src/serve.js';

/** The value of the sample `name{labels}` in a Prometheus text exposition (undefined when absent). */
function sample(text: string, name: string, labels = ''): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels ? `{${labels}}` : ''} `));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

const tasks = (text: string, queue: string) => ({
  pending: sample(text, 'sochdb_queue_tasks', `queue="${queue}",state="pending"`),
  delayed: sample(text, 'sochdb_queue_tasks', `queue="${queue}",state="delayed"`),
  claimed: sample(text, 'sochdb_queue_tasks', `queue="${queue}",state="claimed"`),
});
const documents = (text: string, namespace: string, collection: string) =>
  sample(text, 'sochdb_collection_documents', `namespace="${namespace}",collection="${collection}"`);

it('reports the stored queues by state and the collections of every namespace, and follows writes and the clock', async () => {
  const dir = makeTempDir('sochdb-server-stored-metrics-');
  const path = join(dir.path, 'db');
  const logged: string[] = [];
  try {
    // Written by an application before the server takes the folder over.
    {
      await using db = await Database.open(path);
      const emails = db.queue('emails', { visibilityTimeoutMs: 60_000 });
      await emails.enqueueBatch([1, 2, 3].map((priority) => ({ priority, payload: `mail ${priority}` })));
      await emails.dequeue({ workerId: 'mailer' });
      await emails.enqueue({ priority: 0, payload: 'in a minute', delayMs: 60_000 });
      const docs = await (await db.createNamespace('tenant_a')).createCollection('docs', { dimension: 3 });
      await docs.upsert([1, 2, 3, 4].map((i) => ({ id: `d${i}`, vector: [i, 1, 0], content: `document ${i}` })));
      await (await db.createNamespace('tenant_b')).createCollection('empty', { dimension: 3 });
      await emails.close();
    }
    const logger = createLogger({ level: 'warn', destination: (line: string) => logged.push(line) });
    const server = await serve({ db: path, metricsPort: 0, logger });
    try {
      const scrape = async () => {
        const response = await fetch(server.metricsUrl!);
        expect(response.status).toBe(200);
        return response.text();
      };

      let text = await scrape();
      expect(tasks(text, 'emails')).toEqual({ pending: 2, delayed: 1, claimed: 1 });
      expect(documents(text, 'tenant_a', 'docs')).toBe(4);
      expect(documents(text, 'tenant_b', 'empty')).toBe(0);

      // Idle: later scrapes reuse what was read (the storage hands out no more bytes).
      const read = [await scrape(), await scrape(), await scrape()].map((t) => sample(t, 'sochdb_bytes_read_total'));
      expect(read[2]).toBe(read[1]);
      expect(read[1]).toBe(read[0]);

      // A client's unrelated KV write changes nothing.
      await using client = await IpcClient.connect(server.socketPath);
      await client.put('unrelated', 'x');
      text = await scrape();
      expect(tasks(text, 'emails')).toEqual({ pending: 2, delayed: 1, claimed: 1 });

      // The clock alone (no commit) ends a delay: the next scrape reads the queue again.
      const enqueuedAt = Date.now();
      await server.db.queue('reports').enqueue({ priority: 0, payload: 'daily', delayMs: 800 });
      text = await scrape();
      const lsn = sample(text, 'sochdb_lsn');
      expect(tasks(text, 'reports')).toEqual({ pending: 0, delayed: 1, claimed: 0 });
      await sleep(enqueuedAt + 850 - Date.now());
      text = await scrape();
      expect(sample(text, 'sochdb_lsn')).toBe(lsn);
      expect(tasks(text, 'reports')).toEqual({ pending: 1, delayed: 0, claimed: 0 });

      // Writes on the served storage show at the next scrape.
      const emails = server.db.queue('emails', { visibilityTimeoutMs: 60_000 });
      await emails.dequeue({ workerId: 'mailer' });
      await server.db.queue('audit').enqueue({ priority: 0, payload: 'login' });
      const docs = await (await server.db.namespace('tenant_a')).collection('docs');
      await docs.delete('d1');
      await docs.upsert({ id: 'd9', vector: [9, 1, 0] });
      await docs.upsert({ id: 'd8', vector: [8, 1, 0] });
      text = await scrape();
      expect(tasks(text, 'emails')).toEqual({ pending: 1, delayed: 1, claimed: 2 });
      expect(tasks(text, 'audit')).toEqual({ pending: 1, delayed: 0, claimed: 0 });
      expect(tasks(text, 'reports')).toEqual({ pending: 1, delayed: 0, claimed: 0 });
      expect(documents(text, 'tenant_a', 'docs')).toBe(5);
      expect(documents(text, 'tenant_b', 'empty')).toBe(0);
      await emails.close();

      // A record that cannot be read: the scrape still answers (without these gauges), logged once.
      await server.db.storage.put(encodeKey(['q', 'broken', 's', 't1']), 'not json');
      text = await scrape();
      expect(sample(text, 'sochdb_lsn')).toBeGreaterThan(0);
      expect(tasks(text, 'emails').pending).toBeUndefined();
      await server.db.storage.put(encodeKey(['q', 'broken', 's', 't2']), 'not json either');
      text = await scrape();
      expect(tasks(text, 'emails').pending).toBeUndefined();
      const warnings = logged.filter((l) => l.includes('cannot read queue depths'));
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toContain("task 't1'");
      // Once it is readable again, the gauges are back.
      await server.db.storage.del(encodeKey(['q', 'broken', 's', 't1']));
      await server.db.storage.del(encodeKey(['q', 'broken', 's', 't2']));
      text = await scrape();
      expect(tasks(text, 'emails')).toEqual({ pending: 1, delayed: 1, claimed: 2 });
    } finally {
      await server.stop();
    }
  } finally {
    dir.cleanup();
  }
});
