// Three processes on one folder (concurrent mode) do random SQL DDL and DML, collection inserts and
// deletes, KV writes, and graph and temporal-edge writes; every few steps each process's view must equal a freshly opened one's.
// Midway the owner is killed with SIGKILL and a new process joins: the others keep working and
// stay consistent (every cache follows every commit, whoever made it). The same run on PostgreSQL:
// three processes, each with its own SochDB on one PostgreSQL database, as on three machines.
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { Database } from '@sochdb/sdk';
import { makeTempDir } from '@sochdb/core/testing';
import { startTestServer, type TestServer } from '@sochdb/postgres/testing';
import { repl, type Answer } from './repl.js';

type Repl = ReturnType<typeof repl>;

/** mulberry32: the same run every time. */
function random(seed: number): (n: number) => number {
  let a = seed >>> 0;
  return (n) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
}

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

let server: TestServer | undefined;
beforeAll(async () => {
  server = await startTestServer();
}, 60_000);
afterAll(() => server?.stop());

it('random DDL, DML, collection, KV, graph and temporal writes from three processes, with the owner killed midway', async () => {
  const dir = makeTempDir('sochdb-conc-random-');
  await randomRun(
    join(dir.path, 'db'),
    (path) => Database.openConcurrent(path, { syncMode: 'off', lockTimeoutMs: 15_000 }),
    () => dir.cleanup(),
  );
}, 180_000);

it('the same on PostgreSQL: three processes as three machines, one killed midway', async () => {
  await randomRun(
    `${server!.url}?schema=random_run`,
    (url) => Database.open(url),
    async () => undefined,
  );
}, 180_000);

async function randomRun(path: string, open: (path: string) => Promise<Database>, removeData: () => void | Promise<void>): Promise<void> {
  const next = random(20261206);
  const procs: Repl[] = [repl(path)];
  await procs[0]!.send({ sql: 'CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER, w TEXT)' });
  procs.push(repl(path), repl(path));
  cleanup = async () => {
    for (const p of procs) await p.close();
    await removeData();
  };
  const setup = await open(path);
  await (await setup.createNamespace('ns')).createCollection({ name: 'docs', dimension: 4, metric: 'euclidean' });
  await setup.close();

  /** Sends a command; a write cut by the owner's death (1001) is neither assumed applied nor lost: it is just reported. */
  const send = async (p: Repl, cmd: object): Promise<Answer> => {
    const answer = await p.send(cmd);
    // Expected refusals (a missing node, no open temporal version) are answers too, compared like any.
    const expected = (code: number) => code === 1001 || code === 9004 || (code >= 8000 && code < 9000);
    if (answer.error && !expected(answer.error.code)) throw new Error(`${JSON.stringify(cmd)} failed: ${JSON.stringify(answer.error)}`);
    return answer;
  };
  let columns = 0;
  const step = async (p: Repl) => {
    const roll = next(100);
    const id = 1 + next(30);
    if (roll < 25) return send(p, { sql: `INSERT OR REPLACE INTO t (id, v, w) VALUES (${id}, ${next(6)}, 'w${next(4)}')` });
    if (roll < 35) return send(p, { sql: `UPDATE t SET v = ${next(6)} WHERE id % 3 = ${next(3)}` });
    if (roll < 42) return send(p, { sql: `DELETE FROM t WHERE id = ${id}` });
    if (roll < 52) {
      const ddl = [
        'CREATE INDEX IF NOT EXISTS t_v ON t (v)',
        'DROP INDEX IF EXISTS t_v',
        'CREATE INDEX IF NOT EXISTS t_vw ON t (v, w)',
        'DROP INDEX IF EXISTS t_vw',
      ];
      return send(p, { sql: ddl[next(ddl.length)]! });
    }
    if (roll < 55 && columns < 3) {
      columns++;
      return send(p, { sql: `ALTER TABLE t ADD COLUMN c${columns} INTEGER DEFAULT ${columns}` });
    }
    if (roll < 75) {
      const doc = { id: `d${next(20)}`, vector: [next(1000), next(1000), next(1000), next(1000)], metadata: { by: roll }, content: `word${next(4)} text` };
      return send(p, { collection: ['ns', 'docs'], call: 'insert', args: [doc] });
    }
    if (roll < 85) return send(p, { collection: ['ns', 'docs'], call: 'delete', args: [`d${next(20)}`] });
    if (roll < 88) return send(p, { kv: 'put', args: [`k/${next(15)}`, `v${roll}`] });
    if (roll < 90) return send(p, { kv: 'delete', args: [`k/${next(15)}`] });
    const a = `n${next(6)}`;
    const b = `n${next(6)}`;
    if (roll < 93) {
      await send(p, { db: 'graphAddNode', args: [{ namespace: 'ns', nodeId: a, nodeType: 'person', properties: { roll } }] });
      await send(p, { db: 'graphAddNode', args: [{ namespace: 'ns', nodeId: b, nodeType: 'person' }] });
      return send(p, { db: 'graphAddEdge', args: [{ namespace: 'ns', fromId: a, edgeType: 'knows', toId: b, properties: { roll } }] });
    }
    if (roll < 95) return send(p, { db: 'graphDeleteNode', args: ['ns', a] });
    if (roll < 98)
      return send(p, {
        db: 'addTemporalEdge',
        args: [{ namespace: 'ns', fromId: a, edgeType: 'works_at', toId: `c${next(3)}`, validFrom: 1000 * next(10), properties: { roll } }],
      });
    return send(p, { db: 'endTemporalEdge', args: [{ namespace: 'ns', fromId: a, edgeType: 'works_at', toId: `c${next(3)}`, at: 20_000 }] });
  };

  const reads: object[] = [
    { sql: 'SELECT * FROM t ORDER BY id' },
    ...Array.from({ length: 6 }, (_, v) => ({ sql: `SELECT id FROM t WHERE v = ${v} ORDER BY id` })),
    { sql: "SELECT id FROM t WHERE v = 2 AND w = 'w1' ORDER BY id" },
    { collection: ['ns', 'docs'], call: 'count' },
    { collection: ['ns', 'docs'], call: 'vectorSearch', args: [[500, 500, 500, 500], 5, { efSearch: 100 }] },
    { collection: ['ns', 'docs'], call: 'keywordSearch', args: ['word1', 20] },
    { kv: 'dump', args: ['k/'] },
    ...['n0', 'n1', 'n2'].map((node) => ({ db: 'graphTraverse', args: [{ namespace: 'ns', startNode: node, maxDepth: 3 }] })),
    ...['n0', 'n3'].map((node) => ({ db: 'queryTemporalGraph', args: [{ namespace: 'ns', node, mode: 'point_in_time', timestamp: 5_500 }] })),
  ];
  const check = async () => {
    // A fresh process's view: a new client with empty caches, compared with the index-free answers.
    const fresh = await open(path);
    try {
      for (let v = 0; v < 6; v++) {
        const viaIndex = (await fresh.execute(`SELECT id FROM t WHERE v = ${v} ORDER BY id`)).rows;
        expect(viaIndex).toEqual((await fresh.execute(`SELECT id FROM t WHERE v + 0 = ${v} ORDER BY id`)).rows);
      }
    } finally {
      await fresh.close();
    }
    const reference = repl(path);
    try {
      const expected = [];
      for (const read of reads) expected.push(await send(reference, read));
      for (const p of procs) {
        for (const [i, read] of reads.entries()) expect(await send(p, read), JSON.stringify(read)).toEqual(expected[i]);
      }
    } finally {
      await reference.close();
    }
  };

  for (let i = 1; i <= 48; i++) {
    await step(procs[next(procs.length)]!);
    if (i % 8 === 0) await check();
    if (i === 24) {
      // The owner dies without closing; a new process joins.
      const owner = procs.shift()!;
      owner.child.kill('SIGKILL');
      await new Promise((resolve) => owner.child.once('exit', resolve));
      procs.push(repl(path));
    }
  }
  await check();
}
