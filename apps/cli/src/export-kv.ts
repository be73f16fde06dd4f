// `sochdb export <db> --kv PREFIX`: key/value pairs as JSON Lines, one per key, in key order:
//   {"key":"users/alice","value":"{\"age\":30}"}
// Keys and values that are UTF-8 text are written as JSON strings; bytes that are not are written
// as base64 with a marker field saying so — `"keyEncoding":"base64"` / `"valueEncoding":"base64"`
// — so every pair round-trips exactly through `sochdb import --kv`.
import type { KvStore } from '@sochdb/sdk';
import { toJson } from './json.js';
import type { LineSink } from './output.js';
import { bytesToJson } from './values.js';

/** One line of a KV export (and of a KV import). */
export interface KvLine {
  readonly key: string;
  readonly value: string;
  readonly keyEncoding?: 'base64';
  readonly valueEncoding?: 'base64';
}

/** Writes every pair whose key starts with `prefix`; resolves with the count. */
export async function exportKv(kv: KvStore, prefix: string, sink: LineSink, onRow: (rows: number) => void): Promise<number> {
  let rows = 0;
  // One snapshot, read a batch at a time; each batch is written (and drained) before the next.
  for await (const batch of kv.scanPrefix(prefix).batches()) {
    let out = '';
    for (const [key, value] of batch) out += `${toJson(kvLine(key, value))}\n`;
    await sink.write(out);
    rows += batch.length;
    onRow(rows);
  }
  return rows;
}

function kvLine(key: Buffer, value: Buffer): KvLine {
  const k = bytesToJson(key);
  const v = bytesToJson(value);
  return { key: k.text, value: v.text, ...(k.base64 ? { keyEncoding: 'base64' } : {}), ...(v.base64 ? { valueEncoding: 'base64' } : {}) };
}
