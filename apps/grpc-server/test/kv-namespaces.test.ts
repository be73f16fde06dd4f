import { status as Status } from '@grpc/grpc-js';
import { InvalidNamespaceNameError, NamespaceExistsError, NamespaceNotFoundError, ValidationError } from '@sochdb/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawUnary, rejection, startTestServer, type TestServer } from './helpers.js';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.stop());

describe('KvService', () => {
  it('puts, gets and deletes in the root KV and in namespaces, which do not see each other', async () => {
    await t.client.putKv('', 'user:1', 'root');
    await t.client.putKv('tenant_a', 'user:1', Buffer.from('{"name":"Alice"}'));
    await t.client.putKv('tenant_b', 'user:1', 'bob');
    expect((await t.client.getKv('', 'user:1'))?.toString()).toBe('root');
    expect((await t.client.getKv('tenant_a', 'user:1'))?.toString()).toBe('{"name":"Alice"}');
    expect((await t.client.getKv('tenant_b', 'user:1'))?.toString()).toBe('bob');
    // The root KV is the embedded Database's own KV.
    expect((await t.server.db.get('user:1'))?.toString()).toBe('root');

    await t.client.deleteKv('tenant_a', 'user:1');
    expect(await t.client.getKv('tenant_a', 'user:1')).toBeNull();
    expect((await t.client.getKv('tenant_b', 'user:1'))?.toString()).toBe('bob');
  });

  it('tells a missing key from an empty value', async () => {
    await t.client.putKv('tenant_a', 'empty', '');
    const empty = await t.client.getKv('tenant_a', 'empty');
    expect(empty).toBeInstanceOf(Buffer);
    expect(empty!.length).toBe(0);
    expect(await t.client.getKv('tenant_a', 'missing')).toBeNull();
  });

  it('keeps binary keys and values byte for byte', async () => {
    const key = Uint8Array.from([0, 255, 1, 254]);
    const value = Uint8Array.from([0, 0, 7, 255]);
    await t.client.putKv('bin', key, value);
    expect([...(await t.client.getKv('bin', key))!]).toEqual([...value]);
  });

  it('scans a prefix in key order, with limit and reverse', async () => {
    for (const k of ['s:3', 's:1', 's:2', 't:1']) await t.client.putKv('scan', k, `v${k}`);
    const all = await t.client.scanKv('scan', 's:');
    expect(all.map(([k, v]) => [k.toString(), v.toString()])).toEqual([
      ['s:1', 'vs:1'],
      ['s:2', 'vs:2'],
      ['s:3', 'vs:3'],
    ]);
    expect((await t.client.scanKv('scan', 's:', { limit: 2, reverse: true })).map(([k]) => k.toString())).toEqual(['s:3', 's:2']);
    expect((await t.client.scanKv('scan')).length).toBe(4);
  });

  it('refuses an empty key and a bad namespace name with typed errors and INVALID_ARGUMENT', async () => {
    const empty = await rejection(t.client.putKv('ns', '', 'x'));
    expect(empty).toBeInstanceOf(ValidationError);
    expect((empty as ValidationError).code).toBe(6000);
    const badName = await rejection(t.client.getKv('bad name!', 'k'));
    expect(badName).toBeInstanceOf(InvalidNamespaceNameError);
    expect((badName as InvalidNamespaceNameError).code).toBe(3003);
    const raw = await rawUnary(t.server, 'KvService/Get', { namespace: 'bad name!', key: Buffer.from('k') });
    expect(raw.code).toBe(Status.INVALID_ARGUMENT);
    expect(raw.metadata.get('sochdb-code')).toEqual(['3003']);
    expect(raw.metadata.get('sochdb-error')).toEqual(['InvalidNamespaceNameError']);
  });

  it('refuses wrongly typed arguments before sending them, naming the field', async () => {
    const cases: [Promise<unknown>, string][] = [
      [t.client.putKv('ns', 42 as never, 'x'), 'key'],
      [t.client.getKv(42 as never, 'k'), 'namespace'],
      [t.client.addGraphNode({ namespace: 'g', nodeId: 5 as never, nodeType: 'T' }), 'nodeId'],
      [t.client.createNamespace({ name: 'n', labels: { tier: 1 as never } }), 'labels.tier'],
      [t.client.createCollection('docs', null as never), 'config'],
      [t.client.queueStats(7 as never), 'queue'],
      [t.client.traverse({ namespace: 'g', startNode: 'a', maxDepth: 1.5 }), 'maxDepth'],
      [t.client.scanKv('ns', 'p', { limit: 0 }), 'limit'],
    ];
    for (const [call, field] of cases) {
      const error = await rejection(call);
      expect(error, field).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).field).toBe(field);
    }
    // Nothing of it reached the server.
    expect(await t.client.getGraphNode('g', '5')).toBeNull();
  });
});

describe('NamespaceService', () => {
  it('creates, gets, lists and deletes namespaces; deleting one removes its KV', async () => {
    const info = await t.client.createNamespace({ name: 'acme', displayName: 'Acme Corp', labels: { tier: 'enterprise' } });
    expect(info).toMatchObject({ name: 'acme', displayName: 'Acme Corp', labels: { tier: 'enterprise' } });
    expect(info.createdAt).toBeGreaterThan(0);
    expect(await t.client.getNamespace('acme')).toEqual(info);
    expect((await t.client.createNamespace('plain')).displayName).toBe('plain');
    expect((await t.client.listNamespaces()).map((n) => n.name).sort()).toEqual(['acme', 'plain']);

    await t.client.putKv('acme', 'k', 'v');
    await t.client.deleteNamespace('acme');
    expect(await t.client.getKv('acme', 'k')).toBeNull();
    expect((await t.client.listNamespaces()).map((n) => n.name)).toEqual(['plain']);
  });

  it('reports a missing namespace as NOT_FOUND and a duplicate as ALREADY_EXISTS', async () => {
    const missing = await rejection(t.client.getNamespace('nope'));
    expect(missing).toBeInstanceOf(NamespaceNotFoundError);
    expect((missing as NamespaceNotFoundError).code).toBe(3001);
    expect((missing as NamespaceNotFoundError).remediation).toContain('createNamespace');
    expect((await rawUnary(t.server, 'NamespaceService/GetNamespace', { name: 'nope' })).code).toBe(Status.NOT_FOUND);

    await t.client.createNamespace('twice');
    expect(await rejection(t.client.createNamespace('twice'))).toBeInstanceOf(NamespaceExistsError);
    expect((await rawUnary(t.server, 'NamespaceService/CreateNamespace', { name: 'twice' })).code).toBe(Status.ALREADY_EXISTS);
    // Get-or-create: the one that exists comes back, with its own settings.
    await t.client.createNamespace({ name: 'goc', displayName: 'First' });
    expect((await t.client.getOrCreateNamespace({ name: 'goc', displayName: 'Second' })).displayName).toBe('First');
    expect((await t.client.createNamespace({ name: 'goc2', existOk: true })).name).toBe('goc2');
    expect((await t.client.createNamespace({ name: 'goc2', existOk: true })).name).toBe('goc2');
  });
});
