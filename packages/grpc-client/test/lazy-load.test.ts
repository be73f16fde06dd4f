// Importing this package must not load gRPC: an embedded user of @sochdb/sdk (which re-exports
// it) never pays for @grpc/grpc-js or @grpc/proto-loader. They load when a client is created.
import { join } from 'node:path';
import { spawnTs, waitForExit } from '@sochdb/core/testing';
import { expect, it } from 'vitest';

const fixture = join(import.meta.dirname, 'fixtures', 'loaded-grpc.ts');

it('importing @sochdb/grpc-client loads neither grpc-js nor proto-loader; creating a client loads both', async () => {
  const { code, stdout, stderr } = await waitForExit(spawnTs(fixture, [join(import.meta.dirname, '..', 'src', 'index.ts')]));
  expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
  expect(JSON.parse(stdout)).toEqual({ afterImport: [], afterClient: ['grpc-js', 'proto-loader'] });
});
