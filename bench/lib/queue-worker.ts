// A worker process of bench/queue.ts: opens the folder in concurrent mode, says "ready", and from
// the start time given on stdin runs `concurrency` dequeue+ack loops on queue 'depth' for
// `seconds`; then prints how many cycles it completed and stays up (an owner serves the others)
// until stdin closes.
import { createInterface } from 'node:readline';
import { Database } from '@sochdb/sdk';

const [path, concurrencyArg, secondsArg] = process.argv.slice(2) as [string, string, string];
const db = await Database.openConcurrent(path, { syncMode: 'off', lockTimeoutMs: 30_000 });
const queue = db.queue('depth', { visibilityTimeoutMs: 600_000 });
const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
process.stdout.write('ready\n');
const startAt = Number((await lines.next()).value);
while (Date.now() < startAt) await new Promise((resolve) => setTimeout(resolve, 1));
const endAt = startAt + Number(secondsArg) * 1000;
let cycles = 0;
await Promise.all(
  Array.from({ length: Number(concurrencyArg) }, async (_, w) => {
    while (Date.now() < endAt) {
      const task = await queue.dequeue({ workerId: `${process.pid}-${w}` });
      if (task === null || !(await queue.ack(task))) throw new Error('bench: the queue ran dry or lost a claim');
      cycles++;
    }
  }),
);
process.stdout.write(`${cycles}\n`);
await lines.next(); // stdin closed: every worker is done
await db.close();
