// The read-only guard (403, nothing written), write mode (KV, SQL, dead-letter retry and purge),
// and the loopback rule.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database, ValidationError } from '@sochdb/sdk';
import { startStudio } from '../src/index.js';
import { harness, type Harness } from './helpers.js';

interface ErrorJson {
  readonly error: { readonly code: number; readonly name: string; readonly message: string; readonly field?: string };
}
interface QueueCounts {
  readonly name: string;
  readonly pending: number;
  readonly deadLettered: number;
  readonly completed: number;
}

async function counts(h: Harness): Promise<Record<string, QueueCounts>> {
  const { queues } = (await (await h.api('/api/queues')).json()) as { queues: QueueCounts[] };
  return Object.fromEntries(queues.map((q) => [q.name, q]));
}

describe('read-only (the default)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await harness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('answers every mutating endpoint with 403 and writes nothing', async () => {
    const lsn = (await h.db.stats()).lsn;
    const refused = [
      await h.send('PUT', '/api/kv', { key: 'new', text: 'x' }),
      await h.api('/api/kv?key=greeting', { method: 'DELETE' }),
      await h.api('/api/queues/emails/dead/mail-0/retry', { method: 'POST' }),
      await h.api('/api/queues/emails/dead', { method: 'DELETE' }),
      await h.send('POST', '/api/sql', { sql: "INSERT INTO users (name) VALUES ('Mallory')" }),
      await h.send('POST', '/api/sql', { sql: 'CREATE TABLE t (x INTEGER)' }),
      await h.send('POST', '/api/sql', { sql: 'DELETE FROM users' }),
    ];
    for (const response of refused) {
      expect(response.status).toBe(403);
      const { error } = (await response.json()) as ErrorJson;
      expect(error.code).toBe(2001);
      expect(error.message).toMatch(/read-only/);
    }
    // Refused before validation: a bad body is still a 403, not a 400.
    expect((await h.send('PUT', '/api/kv', {})).status).toBe(403);
    expect(await h.db.get('new')).toBeNull();
    expect((await h.db.get('greeting'))?.toString()).toBe('hello world');
    expect((await h.db.execute('SELECT COUNT(*) AS n FROM users')).rows[0]?.['n']).toBe(5);
    expect((await h.db.stats()).lsn).toBe(lsn);
    expect((await counts(h))['emails-dead']?.pending).toBe(1);
  });
});

describe('write mode', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await harness({ write: true });
  });
  afterAll(async () => {
    await h.close();
  });

  it('puts and deletes KV entries (text, JSON, hex)', async () => {
    const put = await h.send('PUT', '/api/kv', { key: 'settings/theme', json: { dark: true } });
    expect(put.status).toBe(200);
    expect((await h.db.get('settings/theme'))?.toString()).toBe('{"dark":true}');
    await h.send('PUT', '/api/kv', { key: 'hex:0102', hex: 'ff' });
    expect(await h.db.get(Buffer.from([1, 2]))).toEqual(Buffer.from([0xff]));
    await h.send('PUT', '/api/kv', { namespace: 'docs', key: 'k', text: 'v' });
    expect((await (await h.db.namespace('docs')).get('k'))?.toString()).toBe('v');
    const both = await h.send('PUT', '/api/kv', { key: 'x', text: 'a', hex: '00' });
    expect(both.status).toBe(400);
    expect(((await both.json()) as ErrorJson).error.field).toBe('body.text');
    const deleted = (await (await h.api('/api/kv?key=greeting', { method: 'DELETE' })).json()) as { deleted: boolean };
    expect(deleted.deleted).toBe(true);
    expect(await h.db.get('greeting')).toBeNull();
  });

  it('runs SQL writes', async () => {
    const body = (await (await h.send('POST', '/api/sql', { sql: "INSERT INTO users (name) VALUES ('Frank')" })).json()) as { rowsAffected: number };
    expect(body.rowsAffected).toBe(1);
    expect((await h.db.execute('SELECT COUNT(*) AS n FROM users')).rows[0]?.['n']).toBe(6);
  });

  it('retries a dead letter: it leaves the dead-letter queue and is pending in its queue again', async () => {
    const before = await counts(h);
    expect(before['emails']?.pending).toBe(2);
    expect(before['emails-dead']?.pending).toBe(1);
    const response = await h.api('/api/queues/emails/dead/mail-0/retry', { method: 'POST' });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { retried: { taskId: string; from: string } };
    expect(body.retried).toEqual({ taskId: 'mail-0', from: 'emails-dead' });
    const after = await counts(h);
    expect(after['emails']?.pending).toBe(3);
    expect(after['emails-dead']?.pending).toBe(0);
    const top = (await (await h.api('/api/queues/emails/top?k=1')).json()) as { tasks: { taskId: string; metadata: unknown; payload: { text: string } }[] };
    expect(top.tasks[0]).toMatchObject({ taskId: 'mail-0', metadata: { source: 'test' }, payload: { text: 'will fail' } });
    const dead = (await (await h.api('/api/queues/emails/dead')).json()) as { letters: unknown[] };
    expect(dead.letters).toEqual([]);
    expect((await h.api('/api/queues/emails/dead/mail-0/retry', { method: 'POST' })).status).toBe(404);
  });

  it('retries a dead letter behind another: the other is not touched', async () => {
    const jobs = h.db.queue('jobs', { maxAttempts: 1, deadLetterQueue: 'jobs-dead' });
    await jobs.enqueue({ priority: 0, payload: 'first', taskId: 'j1' });
    await jobs.enqueue({ priority: 1, payload: 'second', taskId: 'j2' });
    for (let i = 0; i < 2; i++) {
      const task = await jobs.dequeue({ workerId: 'test' });
      if (task === null) throw new Error('no task');
      await jobs.nack(task);
    }
    expect((await counts(h))['jobs-dead']?.pending).toBe(2);
    const response = await h.api('/api/queues/jobs/dead/j2/retry?dlq=jobs-dead', { method: 'POST' });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { retried: unknown }).retried).toEqual({ taskId: 'j2', from: 'jobs-dead' });
    const after = await counts(h);
    expect(after['jobs']?.pending).toBe(1);
    expect(after['jobs-dead']?.pending).toBe(1);
    expect(await h.db.queue('jobs').getTask('j2')).toMatchObject({ state: 'pending', priority: 1 });
    const dead = (await (await h.api('/api/queues/jobs/dead')).json()) as {
      letters: { task: { taskId: string; state: string; history: unknown[] } }[];
    };
    expect(dead.letters.map((l) => [l.task.taskId, l.task.state, l.task.history.length])).toEqual([['j1', 'pending', 0]]);
    expect((await h.api('/api/queues/jobs/dead?dlq=ghost')).status).toBe(404);
  });

  it('retries a task dead in a queue without a dead-letter queue (under a new id), and refuses to purge a shared dead-letter queue (400)', async () => {
    const plain = h.db.queue('plain', { maxAttempts: 1 });
    await plain.enqueue({ priority: 0, payload: 'x', taskId: 'p1' });
    const task = await plain.dequeue({ workerId: 'test' });
    if (task === null) throw new Error('no task');
    await plain.nack(task);
    const letters = (await (await h.api('/api/queues/plain/dead')).json()) as { letters: { heldIn: string; task: { state: string } }[] };
    expect(letters.letters).toEqual([expect.objectContaining({ heldIn: 'plain', task: expect.objectContaining({ state: 'dead' }) })]);
    const retry = await h.api('/api/queues/plain/dead/p1/retry', { method: 'POST' });
    expect(retry.status).toBe(200);
    const { retried } = (await retry.json()) as { retried: { taskId: string; from: string } };
    expect(retried.from).toBe('plain');
    expect(await h.db.queue('plain').getTask('p1')).toBeNull();
    expect(await h.db.queue('plain').getTask(retried.taskId)).toMatchObject({ state: 'pending', attempts: 0 });
    // jobs-dead holds j1 (a letter of jobs); a letter of another queue makes it shared.
    const other = h.db.queue('other', { maxAttempts: 1, deadLetterQueue: 'jobs-dead' });
    await other.enqueue({ priority: 0, payload: 'y', taskId: 'o1' });
    const claimed = await other.dequeue({ workerId: 'test' });
    if (claimed === null) throw new Error('no task');
    await other.nack(claimed);
    const purge = await h.api('/api/queues/jobs/dead', { method: 'DELETE' });
    expect(purge.status).toBe(400);
    expect(((await purge.json()) as ErrorJson).error.field).toBe('query.dlq');
    expect((await counts(h))['jobs-dead']?.pending).toBe(2);
  });

  it('purges dead letters', async () => {
    // Dead-letter another task first: claim it and let its one attempt fail.
    const emails = h.db.queue('emails', { maxAttempts: 1, deadLetterQueue: 'emails-dead' });
    const task = await emails.dequeue({ workerId: 'test' });
    if (task === null) throw new Error('no task');
    await emails.nack(task);
    expect((await counts(h))['emails-dead']?.pending).toBe(1);
    const purged = (await (await h.api('/api/queues/emails/dead', { method: 'DELETE' })).json()) as { purged: number; queues: string[] };
    expect(purged).toEqual({ purged: 1, queues: ['emails-dead'] });
    expect((await counts(h))['emails-dead']?.pending).toBe(0);
  });
});

describe('listening', () => {
  it('refuses 0.0.0.0 without allowRemote, with a ValidationError naming host', async () => {
    const db = await Database.open(':memory:');
    try {
      const refused = await startStudio({ db, host: '0.0.0.0' }).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(ValidationError);
      expect((refused as ValidationError).field).toBe('host');
      const remote = await startStudio({ db, host: '0.0.0.0', allowRemote: true });
      expect(remote.url).toMatch(/^http:\/\/0\.0\.0\.0:\d+$/);
      await remote.close();
      const local = await startStudio({ db, host: 'localhost' });
      await local.close();
    } finally {
      await db.close();
    }
  });
});
