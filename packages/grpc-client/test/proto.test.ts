// The .proto files ship with the package (`files`) and are found from src/ and from dist/ alike.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expect, it } from 'vitest';
import { GrpcStatus, loadProtos, PROTO_DIR } from '@sochdb/grpc-client';
import { status } from '@grpc/grpc-js';

const root = resolve(import.meta.dirname, '..');

it("PROTO_DIR is the package's proto folder, which the package publishes", () => {
  expect(resolve(PROTO_DIR)).toBe(join(root, 'proto'));
  for (const file of ['sochdb.proto', 'health.proto']) expect(existsSync(join(PROTO_DIR, file)), file).toBe(true);
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { files: string[] };
  expect(pkg.files).toContain('proto');
});

it('loadProtos() gives every sochdb.v1 service and the health service', () => {
  const { sochdb, health } = loadProtos();
  const services = Object.entries(sochdb).flatMap(([name, value]) => ('service' in (value as object) ? [name] : []));
  expect(services.sort()).toEqual(['CollectionService', 'GraphService', 'KvService', 'NamespaceService', 'QueueService', 'SqlService', 'VectorIndexService']);
  expect(sochdb.KvService.service.Get.path).toBe('/sochdb.v1.KvService/Get');
  expect(health.Health.service.Check.path).toBe('/grpc.health.v1.Health/Check');
});

it("GrpcStatus holds grpc-js's status codes without loading grpc-js", () => {
  const codes = Object.fromEntries(Object.entries(status).filter(([name]) => Number.isNaN(Number(name))));
  expect(GrpcStatus).toEqual(codes);
});
