// What `@sochdb/sdk` exports: everything of the packages it re-exports, nothing hidden by a name
// that two sources share, the same KV methods on Database, Namespace and DatabaseTransaction, and
// no gRPC library loaded by the import.
import { join, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { spawnTs, waitForExit } from '@sochdb/core/testing';
import * as grpcClient from '@sochdb/grpc-client';
import * as ipc from '@sochdb/ipc';
import * as sdk from '@sochdb/sdk';
import { KeyValueMethods } from '../src/kv-methods.js';

const root = resolve(import.meta.dirname, '..');

// The runtime names the SDK itself contributes (its own, and those it picks from @sochdb/ipc and
// @sochdb/grpc-client); everything else comes unchanged from the packages it re-exports whole.
const OWN = [
  'BINARY_ENV',
  'DEFAULT_CACHE_NAMESPACE',
  'Database',
  'DatabaseTransaction',
  'Namespace',
  'PluginRegistry',
  'ROOT_KV_PREFIX',
  'SearchRequest',
  'TriggerAbort',
  'TriggerEvent',
  'binaryPath',
  'validateNamespaceName',
];
const FROM_IPC = ['ConcurrentStorage', 'IpcClient', 'IpcOp', 'IpcServer', 'IpcStatus', 'IpcTransaction', 'PROTOCOL_VERSION', 'concurrentSocketPath'];
const FROM_GRPC = [
  'AuthenticationError',
  'DEFAULT_MAX_MESSAGE_BYTES',
  'ERROR_METADATA',
  'PROTO_DIR',
  'PROTO_LOADER_OPTIONS',
  'SochDBClient',
  'fromServiceError',
  'grpcStatusOf',
  'grpcWire',
  'loadProtos',
  'toServiceStatus',
];
// What the two picked packages export that the SDK leaves out, and why.
const NOT_FROM_GRPC = {
  NamespaceConfig: "same shape as the SDK's own (type-checked below)",
  NamespaceInfo: "same shape as the SDK's own (type-checked below)",
  GrpcStatus: 'new in @sochdb/grpc-client',
  registerErrorClass: 'new in @sochdb/grpc-client',
  ErrorClass: 'new in @sochdb/grpc-client',
};
// Package exports the SDK leaves out because it exports the very same type under that name.
const SAME_AS_EXPORTED: Record<string, Record<string, string>> = {
  '@sochdb/vector': { JsonValue: "the same type as @sochdb/core's (type-checked below)" },
  '@sochdb/queue': { JsonValue: "the same type as @sochdb/core's (type-checked below)" },
};
const WHOLE = ['core', 'kv', 'toon', 'sql', 'vector', 'graph', 'temporal', 'queue', 'context'] as const;

describe('exports', () => {
  it('at run time: its own names, the picked IPC and gRPC names, and every package export as the package has it', async () => {
    const packages = await Promise.all(WHOLE.map(async (name) => [name, (await import(`@sochdb/${name}`)) as Record<string, unknown>] as const));
    const expected = new Set([...OWN, ...FROM_IPC, ...FROM_GRPC, ...packages.flatMap(([, module]) => Object.keys(module))]);
    expect(Object.keys(sdk).sort()).toEqual([...expected].sort());
    const exports = sdk as Record<string, unknown>;
    for (const [name, module] of packages) for (const [key, value] of Object.entries(module)) expect(exports[key], `${key} of @sochdb/${name}`).toBe(value);
    for (const key of FROM_IPC) expect(exports[key], key).toBe((ipc as Record<string, unknown>)[key]);
    for (const key of FROM_GRPC) expect(exports[key], key).toBe((grpcClient as Record<string, unknown>)[key]);
  });

  it('for the compiler: no export of a re-exported package is hidden behind another with its name', { timeout: 120_000 }, () => {
    const config = ts.getParsedCommandLineOfConfigFile(join(root, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined })!;
    const index = join(root, 'src', 'index.ts');
    const program = ts.createProgram([index], config.options);
    const checker = program.getTypeChecker();
    const target = (symbol: ts.Symbol) => (symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol);
    const source = program.getSourceFile(index)!;
    const reachable = new Set(checker.getExportsOfModule(checker.getSymbolAtLocation(source)!).map(target));
    const modules = new Map<string, ts.Symbol>();
    for (const statement of source.statements) {
      if (!ts.isExportDeclaration(statement) || !statement.moduleSpecifier) continue;
      const specifier = (statement.moduleSpecifier as ts.StringLiteral).text;
      if (specifier.startsWith('@sochdb/')) modules.set(specifier, checker.getSymbolAtLocation(statement.moduleSpecifier)!);
    }
    expect([...modules.keys()].sort()).toEqual([...WHOLE.map((name) => `@sochdb/${name}`), '@sochdb/grpc-client', '@sochdb/ipc'].sort());
    const hidden: string[] = [];
    for (const [specifier, module] of modules) {
      const skip = { ...(specifier === '@sochdb/grpc-client' ? NOT_FROM_GRPC : {}), ...SAME_AS_EXPORTED[specifier] };
      for (const symbol of checker.getExportsOfModule(module)) {
        if (!reachable.has(target(symbol)) && !(symbol.name in skip)) hidden.push(`${specifier}: ${symbol.name}`);
      }
    }
    // A name exported by a package and by the SDK (or by two packages) is exported once, explicitly,
    // and the other one under another name (e.g. VectorSearchRequest, SqlTriggerEvent).
    expect(hidden).toEqual([]);
  });

  it('the types left out are the same as those exported', () => {
    expectTypeOf<import('@sochdb/vector').JsonValue>().toEqualTypeOf<sdk.JsonValue>();
    expectTypeOf<import('@sochdb/queue').JsonValue>().toEqualTypeOf<sdk.JsonValue>();
    expectTypeOf<sdk.ToonJsonValue>().toEqualTypeOf<import('@sochdb/toon').JsonValue>();
    expectTypeOf<grpcClient.NamespaceConfig>().toEqualTypeOf<sdk.NamespaceConfig>();
    expectTypeOf<grpcClient.NamespaceInfo>().toEqualTypeOf<sdk.NamespaceInfo>();
    expectTypeOf<sdk.VectorSearchRequest>().toEqualTypeOf<import('@sochdb/vector').SearchRequest>();
    expectTypeOf<sdk.SqlTriggerContext>().toEqualTypeOf<import('@sochdb/sql').TriggerContext>();
    expectTypeOf<sdk.SqlTriggerEvent>().toEqualTypeOf<import('@sochdb/sql').TriggerEvent>();
  });

  it('Database, Namespace and DatabaseTransaction share one set of KV methods', () => {
    const methods = Object.getOwnPropertyNames(KeyValueMethods.prototype).filter((name) => name !== 'constructor');
    expect(methods.sort()).toEqual(['delete', 'deletePath', 'get', 'getPath', 'put', 'putPath', 'query', 'scan', 'scanBatched', 'scanPrefix']);
    for (const Class of [sdk.Database, sdk.Namespace, sdk.DatabaseTransaction]) {
      expect(Class.prototype, Class.name).toBeInstanceOf(KeyValueMethods);
      for (const name of methods) expect(Object.hasOwn(Class.prototype, name), `${Class.name}.${name} is forwarded by hand`).toBe(false);
    }
  });

  it('importing @sochdb/sdk loads no gRPC library; creating a gRPC client does', async () => {
    const { code, stdout, stderr } = await waitForExit(spawnTs(join(import.meta.dirname, 'fixtures', 'loaded-grpc.ts')));
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(JSON.parse(stdout)).toEqual({ afterImport: [], afterClient: ['grpc-js', 'proto-loader'] });
  });
});
