// The other process of bench/concurrent.ts: opens the folder first (so it is the owner) and, per
// line on stdin, inserts one document into ns/docs and answers "ok" once it is committed.
import { createInterface } from 'node:readline';
import { Database } from '@sochdb/sdk';
import { benchVector } from './vectors.js';

const [path, dimArg] = process.argv.slice(2) as [string, string];
const dim = Number(dimArg);
const db = await Database.openConcurrent(path, { syncMode: 'off' });
const docs = await (await db.namespace('ns')).collection('docs');
process.stdout.write('ready\n');
for await (const line of createInterface({ input: process.stdin })) {
  const i = Number(line);
  const vector = benchVector(i, dim);
  await docs.insert({ id: `remote-${i}`, vector, metadata: { remote: true }, content: `remote document ${i}` });
  process.stdout.write('ok\n');
}
await db.close();
