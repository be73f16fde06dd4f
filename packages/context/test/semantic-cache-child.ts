// Child process for semantic-cache-processes.test.ts: opens the folder in concurrent mode (the
// first process to open it owns it; this one reaches it through the owner's socket), opens the
// cache named by argv's JSON options, and runs the calls read from stdin, one JSON line each:
//   { "call": "put" | "get" | "getByKey" | "delete" | "size" | "stats" | "close", "args": [...] }
// answering { "result": … } or { "error": { "name", "message" } } on one line of stdout.
import { createInterface } from 'node:readline';
import { ConcurrentStorage } from '@sochdb/ipc';
import { SemanticCache, type SemanticCacheOptions } from '../src/semantic-cache/index.js';

const [path, options] = process.argv.slice(2) as [string, string];
const storage = await ConcurrentStorage.open(path, { syncMode: 'off', lockTimeoutMs: 15_000 });
const cache = new SemanticCache(storage, JSON.parse(options) as SemanticCacheOptions);
const out = (value: unknown) => process.stdout.write(`${JSON.stringify(value)}\n`);
out({ ready: true });
for await (const line of createInterface({ input: process.stdin })) {
  if (line.trim() === '') continue;
  const { call, args = [] } = JSON.parse(line) as { call: string; args?: unknown[] };
  try {
    const method = (cache as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>)[call]!;
    out({ result: (await method.apply(cache, args)) ?? null });
  } catch (error) {
    const e = error as Error;
    out({ error: { name: e.name, message: e.message } });
  }
}
await cache.close();
await storage.close();
