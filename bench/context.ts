// The context builder (issue 23): tokens of one 6-section context in TOON, JSON and Markdown (by
// gpt-tokenizer, o200k_base), how many rows each format fits in a fixed budget, and the build's
// latency beside the same six reads written by hand (the raw calls, JSON.stringify, one token count).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { countTokens } from 'gpt-tokenizer/encoding/o200k_base';
import { Database, type ContextFormat, type Collection } from '@sochdb/sdk';
import { latency } from './lib/latency.js';
import { printTable, size } from './lib/table.js';

const DIMENSION = 64;
const NAMESPACE = 'support';

function vectorOf(seed: number): number[] {
  // A deterministic pseudo-random unit-ish vector per seed.
  let x = seed * 2654435761;
  return Array.from({ length: DIMENSION }, () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x / 2147483648 - 0.5;
  });
}

const WORDS = ['refund', 'invoice', 'shipping', 'delay', 'account', 'password', 'upgrade', 'plan', 'billing', 'discount', 'order', 'return'];

async function seed(db: Database, docs: number): Promise<Collection> {
  const ns = await db.createNamespace(NAMESPACE);
  await ns.put('customer/42', JSON.stringify({ name: 'Ada Lovelace', plan: 'pro', since: 2021, country: 'UK', seats: 12 }));
  for (let i = 0; i < 200; i++)
    await ns.put(
      `messages/42/${String(i).padStart(5, '0')}`,
      JSON.stringify({ from: i % 2 ? 'agent' : 'Ada', text: `message ${i} about the ${WORDS[i % WORDS.length]} of order ${1000 + i}` }),
    );
  await db.execute('CREATE TABLE orders (id INTEGER PRIMARY KEY, customer INTEGER, item TEXT, status TEXT, total REAL, created TEXT)');
  await db.transaction(async (txn) => {
    for (let i = 0; i < 2000; i++) {
      await txn.execute(
        `INSERT INTO orders VALUES (${i}, ${i % 50}, 'item ${i % 97}', '${['open', 'paid', 'shipped'][i % 3]}', ${(i % 300) + 0.99}, '2026-0${(i % 9) + 1}-1${i % 10}')`,
      );
    }
  });
  const faq = await ns.createCollection({ name: 'faq', dimension: DIMENSION });
  const ids = Array.from({ length: docs }, (_, i) => `faq-${i}`);
  await faq.insertBatch({
    ids,
    vectors: ids.map((_, i) => vectorOf(i)),
    metadatas: ids.map((_, i) => ({ topic: WORDS[i % WORDS.length]!, lang: 'en' })),
    contents: ids.map((_, i) => `How do I handle a ${WORDS[i % WORDS.length]} for a ${WORDS[(i * 7) % WORDS.length]}? Answer number ${i} explains the steps.`),
  });
  await db.graphAddNode({ namespace: NAMESPACE, nodeId: 'ada', nodeType: 'Person', properties: { role: 'customer' } });
  for (let i = 0; i < 10; i++) {
    await db.graphAddNode({ namespace: NAMESPACE, nodeId: `agent-${i}`, nodeType: 'Agent', properties: { team: i % 2 ? 'billing' : 'shipping' } });
    await db.graphAddEdge({ namespace: NAMESPACE, fromId: 'ada', edgeType: 'TALKED_TO', toId: `agent-${i}` });
  }
  return faq;
}

const build = (db: Database, budget: number, format: ContextFormat) =>
  db
    .context({ budget, format, namespace: NAMESPACE })
    .section('system', { text: 'You are a support agent for Acme. Answer from the context; cite order ids.' })
    .section('customer', { priority: 1, get: 'customer/42' })
    .section('faq', { priority: 2, search: { collection: 'faq', query: 'refund invoice', vector: vectorOf(7), k: 10 } })
    .section('orders', { priority: 3, sql: 'SELECT id, item, status, total, created FROM orders WHERE customer = ? ORDER BY id DESC', params: [42] })
    .section('messages', { priority: 4, prefix: 'messages/42/', last: 30, truncation: 'head_drop' })
    .section('agents', { priority: 5, graph: { node: 'ada' } })
    .build();

export default async function run(): Promise<void> {
  const folder = mkdtempSync(join(tmpdir(), 'sochdb-bench-context-'));
  const db = await Database.open(join(folder, 'db'));
  try {
    const faq = await seed(db, size(5_000, 500));

    // 1. The whole context (a budget nothing hits) in each format.
    const whole = new Map<ContextFormat, number>();
    for (const format of ['toon', 'json', 'markdown'] as const) whole.set(format, (await build(db, 1_000_000, format)).tokens);
    const json = whole.get('json')!;
    printTable(
      ['format', 'tokens of the 6-section context', 'vs compact JSON'],
      [...whole].map(([format, tokens]) => [format, String(tokens), format === 'json' ? '—' : `${Math.round((1 - tokens / json) * 100)}% fewer`]),
    );

    // 2. What fits in a fixed budget.
    console.log('');
    const budget = 1_000;
    const rows: string[][] = [];
    for (const format of ['toon', 'json', 'markdown'] as const) {
      const ctx = await build(db, budget, format);
      rows.push([format, String(ctx.tokens), ...ctx.sections.map((s) => `${s.rows}/${s.totalRows}`)]);
    }
    printTable(['format', `tokens (budget ${budget})`, 'system', 'customer', 'faq', 'orders', 'messages', 'agents'], rows);

    // 3. Build latency beside the six reads written by hand (JSON, one token count, no budget).
    console.log('');
    const n = size(200, 30);
    const ns = await db.namespace(NAMESPACE);
    const byHand = async () => {
      const [customer, hits, orders, agents] = await Promise.all([
        ns.get('customer/42').then((value) => JSON.parse(value!.toString()) as unknown),
        faq.search({ textQuery: 'refund invoice', vector: vectorOf(7), k: 10 }),
        db.execute('SELECT id, item, status, total, created FROM orders WHERE customer = ? ORDER BY id DESC', [42]),
        db.graphTraverse({ namespace: NAMESPACE, startNode: 'ada', maxDepth: 1 }),
      ]);
      const messages: unknown[] = [];
      for await (const [key, value] of ns.scanPrefix('messages/42/', { reverse: true, limit: 30 }))
        messages.push({ key: key.toString(), ...(JSON.parse(value.toString()) as object) });
      const text = JSON.stringify({ customer, hits, orders: orders.rows, messages: messages.reverse(), agents });
      return countTokens(text);
    };
    const ours = await latency(n, () => build(db, 4_000, 'toon'));
    const hand = await latency(n, byHand);
    printTable(
      ['6-section context', 'p50 ms', 'p99 ms'],
      [
        ['db.context(…).build(), budget 4,000, TOON', ours.p50.toFixed(2), ours.p99.toFixed(2)],
        ['the same reads by hand + JSON.stringify + one countTokens', hand.p50.toFixed(2), hand.p99.toFixed(2)],
      ],
    );
  } finally {
    await db.close();
    rmSync(folder, { recursive: true, force: true });
  }
}
