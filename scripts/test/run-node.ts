// One way for the repository checks to run a script or a tool's CLI: with this node, from the
// root, resolving (never rejecting) with its exit code and everything it printed, so a failing
// check shows the tool's own report.
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { promisify } from 'node:util';

export const root = join(import.meta.dirname, '..', '..');

export interface NodeRun {
  readonly code: number;
  readonly output: string;
}

/** The path of an installed package's bin script, e.g. `binOf('eslint', 'bin/eslint.js')`. */
export function binOf(packageName: string, script: string): string {
  return join(createRequire(import.meta.url).resolve(`${packageName}/package.json`), '..', script);
}

export async function runNode(script: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<NodeRun> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [script, ...args], { cwd: root, env, maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const e = error as { code?: unknown; stdout?: string; stderr?: string; message?: string };
    return { code: typeof e.code === 'number' ? e.code : 1, output: `${e.stdout ?? ''}${e.stderr ?? ''}` || (e.message ?? 'failed to start') };
  }
}
