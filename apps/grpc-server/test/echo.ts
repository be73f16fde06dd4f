import { Client, credentials, Metadata, Server, ServerCredentials, type sendUnaryData, type ServerUnaryCall } from '@grpc/grpc-js';
import { loadProtos } from '@sochdb/sdk';

/**
 * A bare grpc-js service that answers KvService.Get from memory, and a bare client of it: the
 * baseline bench/grpc.ts compares SochDBClient.getKv with (same messages, same channel setup).
 * Lives here because @grpc/grpc-js is this app's dependency, not the repo root's.
 */
export async function startEcho(value: Buffer): Promise<{ readonly get: () => Promise<void>; close(): Promise<void> }> {
  const { sochdb } = loadProtos();
  const method = sochdb.KvService.service.Get;
  const server = new Server();
  server.addService(sochdb.KvService.service, {
    Get: (_call: ServerUnaryCall<unknown, unknown>, callback: sendUnaryData<unknown>) => callback(null, { found: true, value }),
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
  );
  const client = new Client(`127.0.0.1:${port}`, credentials.createInsecure());
  const request = { namespace: 'bench', key: Buffer.from('bench:key') };
  return {
    get: () =>
      new Promise<void>((resolve, reject) =>
        client.makeUnaryRequest(method.path, method.requestSerialize, method.responseDeserialize, request, new Metadata(), (error) =>
          error ? reject(error) : resolve(),
        ),
      ),
    async close() {
      client.close();
      await new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
    },
  };
}
