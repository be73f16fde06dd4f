// IPC round trips through sochdb-server's IpcServer beside a bare node:net echo server that speaks
// the same framing, measured in the same run with the same client.
import { createServer } from 'node:net';
import { ClassicLevel } from 'classic-level';
import { join } from 'node:path';
import { encodeFrameForBench, FrameReaderForBench, IpcClient, IpcOp, IpcServer, IpcStatus, LevelStorage, PayloadWriterForBench } from './lib/ipc-internals.js';
import { makeTempDir } from '@sochdb/core/testing';
import { formatRate, opsPerSecond, percent, printTable, size } from './lib/table.js';

const OPS = size(20_000, 2_000);

export default async function run(): Promise<void> {
  const dir = makeTempDir('sochdb-bench-ipc-');
  const storage = await LevelStorage.open(join(dir.path, 'db'), { syncMode: 'normal' });
  const sochSocket = join(dir.path, 'soch.sock');
  const server = new IpcServer(storage, { socketPath: sochSocket, idleTimeoutMs: 0 });
  await server.listen();
  const fastStorage = await LevelStorage.open(join(dir.path, 'fast'), { syncMode: 'off' });
  const fastSocket = join(dir.path, 'fast.sock');
  const fastServer = new IpcServer(fastStorage, { socketPath: fastSocket, idleTimeoutMs: 0 });
  await fastServer.listen();

  // The baseline: parse each frame and answer it at once with an empty OK frame.
  const echoSocket = join(dir.path, 'echo.sock');
  const echo = createServer((socket) => {
    const reader = new FrameReaderForBench();
    socket.on('data', (chunk: Buffer) => {
      for (const frame of reader.push(chunk)) socket.write(encodeFrameForBench(frame.requestId, IpcStatus.OK, frame.payload));
    });
  });
  await new Promise<void>((resolve) => echo.listen(echoSocket, resolve));

  // The floor for a write: the same echo, but each frame is first written with a raw
  // classic-level put (no LSN, no key count, no transactions) and answered once it lands. No
  // server on LevelDB can answer a put faster than this one.
  const raw = new ClassicLevel<Buffer, Buffer>(join(dir.path, 'raw'), { keyEncoding: 'buffer', valueEncoding: 'buffer' });
  await raw.open();
  const rawSocket = join(dir.path, 'raw.sock');
  const rawEcho = createServer((socket) => {
    const reader = new FrameReaderForBench();
    socket.on('data', (chunk: Buffer) => {
      for (const frame of reader.push(chunk)) {
        void raw
          .put(frame.payload.subarray(0, 16), frame.payload, { sync: rawSync })
          .then(() => socket.write(encodeFrameForBench(frame.requestId, IpcStatus.OK)));
      }
    });
  });
  let rawSync = false;
  await new Promise<void>((resolve) => rawEcho.listen(rawSocket, resolve));

  const soch = await IpcClient.connect(sochSocket);
  const bare = await IpcClient.connect(echoSocket);
  const floor = await IpcClient.connect(rawSocket);
  const fast = await IpcClient.connect(fastSocket);
  const key = (i: number) => `key:${String(i % 1000).padStart(6, '0')}`;
  const value = Buffer.alloc(100, 1);
  for (let i = 0; i < 1000; i++) await soch.put(key(i), value);
  const getPayload = (i: number) => new PayloadWriterForBench().bytes(Buffer.from(key(i))).finish();

  const rows: string[][] = [];
  for (const inFlight of [1, 16]) {
    const drive = async (send: (i: number) => Promise<unknown>) => {
      let next = 0;
      return opsPerSecond(OPS, async () => {
        await Promise.all(
          Array.from({ length: inFlight }, async () => {
            while (next < OPS) await send(next++);
          }),
        );
      });
    };
    const echoRate = await drive((i) => bare.request(IpcOp.GET, getPayload(i)));
    const getRate = await drive((i) => soch.get(key(i)));
    const putRate = await drive((i) => soch.put(key(i), value));
    const fastPutRate = await drive((i) => fast.put(key(i), value));
    const putPayload = (i: number) =>
      new PayloadWriterForBench()
        .bytes(Buffer.from(key(i)))
        .bytes(value)
        .finish();
    rawSync = false;
    const floorOff = await drive((i) => floor.request(IpcOp.PUT, putPayload(i)));
    rawSync = true;
    const floorSync = await drive((i) => floor.request(IpcOp.PUT, putPayload(i)));
    rows.push([`get, ${inFlight} in flight`, formatRate(getRate), formatRate(echoRate), percent(getRate, echoRate), '', '']);
    rows.push([
      `put, syncMode 'off', ${inFlight} in flight`,
      formatRate(fastPutRate),
      formatRate(echoRate),
      percent(fastPutRate, echoRate),
      formatRate(floorOff),
      percent(fastPutRate, floorOff),
    ]);
    rows.push([
      `put, syncMode 'normal' (fsync, group commit), ${inFlight} in flight`,
      formatRate(putRate),
      formatRate(echoRate),
      percent(putRate, echoRate),
      formatRate(floorSync),
      percent(putRate, floorSync),
    ]);
  }
  await soch.close();
  await bare.close();
  await floor.close();
  rawEcho.close();
  await raw.close();
  await fast.close();
  await server.close();
  await fastServer.close();
  await fastStorage.close();
  echo.close();
  await storage.close();
  dir.cleanup();
  printTable(['IPC round trips', 'sochdb-server ops/s', 'bare net echo, same framing', 'ours/echo', 'echo + raw classic-level put', 'ours/that'], rows);
}
