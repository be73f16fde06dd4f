// A context for an LLM from live data: instructions, a customer's profile from KV, their orders
// from SQL, and the last support messages, fitted to a token budget in compact TOON.
import { LevelStorage } from '@sochdb/core';
import { ContextBuilder } from '@sochdb/context';
import { KvStore } from '@sochdb/kv';
import { SqlEngine } from '@sochdb/sql';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const folder = mkdtempSync(join(tmpdir(), 'sochdb-context-'));
const storage = await LevelStorage.open(join(folder, 'db'));
const kv = KvStore.namespaced(storage, 'support');
const sql = new SqlEngine(storage);

await kv.putJson('customer/42', { name: 'Ada', plan: 'pro', since: 2021 });
for (const [i, text] of ['My invoice is wrong', 'It charged me twice', 'Any update?'].entries()) {
  await kv.putJson(`messages/42/${String(i).padStart(4, '0')}`, { from: 'Ada', text });
}
await sql.execute('CREATE TABLE orders (id INTEGER PRIMARY KEY, customer INTEGER, item TEXT, total REAL)');
await sql.execute("INSERT INTO orders VALUES (1, 42, 'keyboard', 49.5), (2, 42, 'monitor', 199), (3, 7, 'mouse', 19)");

const context = await new ContextBuilder({ storage, kv, sql }, { budget: 100, format: 'toon' })
  .section('instructions', { priority: 0, text: 'You are a billing assistant. Be brief.' })
  .section('customer', { priority: 1, get: 'customer/42' })
  .section('orders', { priority: 2, sql: 'SELECT id, item, total FROM orders WHERE customer = ?', params: [42] })
  .section('messages', { priority: 3, prefix: 'messages/42/', last: 10, truncation: 'head_drop' })
  .build();

console.log(context.text);
console.log(context.tokens <= 100, context.sections.map((s) => `${s.name}: ${s.rows}/${s.totalRows} rows, ${s.tokens} tokens`).join('; '));

await storage.close();
rmSync(folder, { recursive: true, force: true });
