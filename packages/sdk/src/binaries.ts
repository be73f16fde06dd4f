import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ValidationError } from '@sochdb/core';

/** The command-line tools of SochDB and the environment variables that point at a build of each. */
export const BINARY_ENV = {
  /** The Unix-socket server (package `@sochdb/server`). */
  'sochdb-server': 'SOCHDB_SERVER_PATH',
  /** The bulk import/export tool (package `@sochdb/bulk`). */
  'sochdb-bulk': 'SOCHDB_BULK_PATH',
  /** The gRPC server (package `@sochdb/grpc-server`). */
  'sochdb-grpc-server': 'SOCHDB_GRPC_SERVER_PATH',
} as const;
/** The name of a SochDB command-line tool, as `binaryPath` takes it. */
export type SochDBBinary = keyof typeof BINARY_ENV;

/** The npm package that installs each tool (the SDK does not depend on them: no cycle). */
const PACKAGE_OF: Readonly<Record<SochDBBinary, string>> = {
  'sochdb-server': '@sochdb/server',
  'sochdb-bulk': '@sochdb/bulk',
  'sochdb-grpc-server': '@sochdb/grpc-server',
};

/**
 * Where to find a SochDB tool for spawning it (with `process.execPath` when it is a .js file):
 * the path in its environment variable when set (it must exist); else the tool's file in its npm
 * package when that is installed where `from` (default: the current folder) resolves packages;
 * else the bare command name, resolved through PATH by the OS.
 */
export function binaryPath(name: SochDBBinary, env: NodeJS.ProcessEnv = process.env, from: string = process.cwd()): string {
  const variable = BINARY_ENV[name];
  if (!variable) throw new ValidationError(`unknown SochDB binary '${String(name)}'; use one of ${Object.keys(BINARY_ENV).join(', ')}`, { field: 'name' });
  const override = env[variable];
  if (override !== undefined && override !== '') {
    if (!existsSync(override)) {
      throw new ValidationError(`${variable} points at ${override}, which does not exist`, {
        field: variable,
        remediation: `Unset ${variable} or point it at a ${name} build.`,
      });
    }
    return override;
  }
  return installedBin(name, from) ?? name;
}

function installedBin(name: SochDBBinary, from: string): string | undefined {
  // The node_modules folders of `from` and its parents, as npm and pnpm link installed packages
  // there. Not require.resolve: it also searches NODE_PATH (which package-manager shims set to
  // their whole store), and would find a tool the application never installed.
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    const manifestPath = join(dir, 'node_modules', PACKAGE_OF[name], 'package.json');
    if (existsSync(manifestPath)) {
      const bin = (JSON.parse(readFileSync(manifestPath, 'utf8')) as { bin?: Record<string, string> }).bin?.[name];
      const file = bin === undefined ? undefined : join(dirname(manifestPath), bin);
      return file !== undefined && existsSync(file) ? realpathSync(file) : undefined;
    }
    if (dirname(dir) === dir) return undefined;
  }
}
