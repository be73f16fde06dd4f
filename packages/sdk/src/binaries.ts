import { existsSync } from 'node:fs';
import { ValidationError } from '@sochdb/core';

/** The command-line tools of SochDB and the environment variables that point at a build of each. */
export const BINARY_ENV = {
  'sochdb-server': 'SOCHDB_SERVER_PATH',
  'sochdb-bulk': 'SOCHDB_BULK_PATH',
  'sochdb-grpc-server': 'SOCHDB_GRPC_SERVER_PATH',
} as const;
export type SochDBBinary = keyof typeof BINARY_ENV;

/**
 * Where to find a SochDB tool for spawning it: the path in its environment variable when set
 * (it must exist), else the bare command name, resolved through PATH by the OS.
 */
export function binaryPath(name: SochDBBinary, env: NodeJS.ProcessEnv = process.env): string {
  const variable = BINARY_ENV[name];
  if (!variable) throw new ValidationError(`unknown SochDB binary '${String(name)}'; use one of ${Object.keys(BINARY_ENV).join(', ')}`, { field: 'name' });
  const override = env[variable];
  if (override === undefined || override === '') return name;
  if (!existsSync(override)) {
    throw new ValidationError(`${variable} points at ${override}, which does not exist`, { field: variable, remediation: `Unset ${variable} or point it at a ${name} build.` });
  }
  return override;
}
