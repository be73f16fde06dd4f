// gRPC getKv round trips/s through SochDBClient → sochdb-grpc-server (LevelDB behind it), at 1
// and 64 calls in flight, beside a bare grpc-js echo service in the same run: same channel
// settings, same messages (KvGetRequest → KvGetResponse), answered from memory. The ratio is what
// SochDB's layers (auth check, error mapping, typed client, the database read) cost on top of
// gRPC itself. Client and servers share this process, as in the echo. `BENCH_QUICK=1` shrinks it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SochDBClient } from '@sochdb/sdk';
import { startServer } from '../apps/grpc-server/src/index.js';
import { startEcho } from '../apps/grpc-server/test/echo.js';
import { formatRate, opsPerSecond, percent, printTable, size } from './lib/table.js';

// Many short alternating rounds, best of each: on a shared machine a quiet window then falls
// inside some round of both sides, rather than favouring whichever ran during it.
const ROUNDS = size(10, 3);
const VALUE = Buffer.alloc(100, 7);

export default async function run(): Promise<void> {
  const calls = size(5_000, 1_000);
  const dir = mkdtempSync(join(tmpdir(), 'sochdb-bench-grpc-'));
  const echo = await startEcho(VALUE);
  const bareGet = echo.get;

  const server = await startServer({ host: '127.0.0.1', port: 0, db: join(dir, 'db'), logLevel: 'silent', apiKey: 'bench-key' });
  const client = new SochDBClient(server.address, { apiKey: 'bench-key' });
  await client.putKv('bench', 'bench:key', VALUE);
  const ourGet = async () => {
    const value = await client.getKv('bench', 'bench:key');
    if (value?.length !== VALUE.length) throw new Error('getKv returned the wrong value');
  };

  try {
    const rows: string[][] = [];
    for (const inFlight of [1, 64]) {
      await measure(inFlight, 1000, bareGet); // warm-up
      await measure(inFlight, 1000, ourGet);
      let bareRate = 0;
      let ourRate = 0;
      for (let i = 0; i < ROUNDS; i++) {
        bareRate = Math.max(bareRate, await measure(inFlight, calls, bareGet));
        ourRate = Math.max(ourRate, await measure(inFlight, calls, ourGet));
      }
      rows.push([String(inFlight), formatRate(bareRate), formatRate(ourRate), percent(ourRate, bareRate)]);
    }
    printTable(['in flight', 'bare grpc-js echo (req/s)', 'SochDBClient.getKv (req/s)', 'getKv vs echo'], rows);
  } finally {
    client.close();
    await server.close();
    await echo.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `calls` calls, `inFlight` at a time (each of `inFlight` loops waits for its previous call). */
function measure(inFlight: number, calls: number, call: () => Promise<void>): Promise<number> {
  return opsPerSecond(calls, async () => {
    let left = calls;
    await Promise.all(
      Array.from({ length: inFlight }, async () => {
        while (left-- > 0) await call();
      }),
    );
  });
}
