// kv_get and kv_scan (always), kv_put and kv_delete (with writes), on the namespace's KV.
import { z } from 'zod';
import { count, encoding, id } from '../schemas.js';
import { guarded, ok } from '../tool-result.js';
import { bytesText, toonTable } from '../values.js';
import { READ_ONLY, WRITES, type ToolContext } from './context.js';

const key = id('key (UTF-8 text)');

/** Registers the KV tools (the writes only when writes are allowed). */
export function registerKvTools({ server, scope, options }: ToolContext): void {
  const where = `namespace '${options.namespace}'`;
  server.registerTool(
    'kv_get',
    {
      title: 'KV get',
      description: `Read one key's value from the key-value store of ${where}. Binary values come back as base64:<data>.`,
      inputSchema: { key },
      annotations: READ_ONLY,
    },
    guarded(async ({ key }) => {
      const value = await (await scope.reader()).get(key);
      if (value === null) return ok(`no value for key ${JSON.stringify(key)}`, { key, found: false, value: null });
      const text = bytesText(value);
      return ok(text, { key, found: true, value: text });
    }),
  );
  server.registerTool(
    'kv_scan',
    {
      title: 'KV scan',
      description: `List keys (in byte order) that start with a prefix, with their values, from the key-value store of ${where}. Returned as TOON kv[n]{key,value}.`,
      inputSchema: {
        prefix: z.string().max(1024).default('').describe("key prefix ('' for every key)"),
        limit: count('most entries returned', 100, 1000),
      },
      annotations: READ_ONLY,
    },
    guarded(async ({ prefix, limit }) => {
      const ns = await scope.reader();
      const entries: { key: string; value: string }[] = [];
      // One more than asked: tells the model whether there is more to page through.
      for await (const [k, v] of ns.scanPrefix(prefix, { limit: limit + 1 })) entries.push({ key: bytesText(k), value: bytesText(v) });
      const more = entries.length > limit;
      const shown = more ? entries.slice(0, limit) : entries;
      const next = more ? `\n(more keys follow; scan again with a longer prefix or a larger limit)` : '';
      return ok(toonTable('kv', shown, ['key', 'value']) + next, { entries: shown, more });
    }),
  );
  if (!options.allowWrites) return;
  server.registerTool(
    'kv_put',
    {
      title: 'KV put',
      description: `Store a value under a key in the key-value store of ${where}, replacing any previous value.`,
      inputSchema: {
        key,
        value: z
          .string()
          .max(16 * 1024 * 1024)
          .describe('the value'),
        encoding,
      },
      annotations: WRITES,
    },
    guarded(async ({ key, value, encoding }) => {
      await (await scope.writer()).put(key, encoding === 'base64' ? Buffer.from(value, 'base64') : value);
      return ok(`stored ${JSON.stringify(key)}`, { key, stored: true });
    }),
  );
  server.registerTool(
    'kv_delete',
    {
      title: 'KV delete',
      description: `Delete one key from the key-value store of ${where} (a missing key is not an error).`,
      inputSchema: { key },
      annotations: { ...WRITES, destructiveHint: true, idempotentHint: true },
    },
    guarded(async ({ key }) => {
      await (await scope.writer()).delete(key);
      return ok(`deleted ${JSON.stringify(key)}`, { key, deleted: true });
    }),
  );
}
