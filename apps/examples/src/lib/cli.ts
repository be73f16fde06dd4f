import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/** The three command-line tools installed with the SDK, and the env var that overrides each. */
const TOOLS = {
  'sochdb-server': { env: 'SOCHDB_SERVER_PATH', app: 'server' },
  'sochdb-grpc-server': { env: 'SOCHDB_GRPC_SERVER_PATH', app: 'grpc-server' },
  'sochdb-bulk': { env: 'SOCHDB_BULK_PATH', app: 'bulk' },
} as const;
export type Tool = keyof typeof TOOLS;

const require = createRequire(import.meta.url);

/**
 * How to start a tool: the binary named by its env var (as in the guide) when set, otherwise the
 * tool's TypeScript entry point in this repository, run by node through tsx — so the examples run
 * from a checkout without a build.
 */
export function commandFor(tool: Tool): { readonly file: string; readonly args: readonly string[] } {
  const override = process.env[TOOLS[tool].env];
  if (override) return { file: override, args: [] };
  const entry = fileURLToPath(new URL(`../../../${TOOLS[tool].app}/src/cli.ts`, import.meta.url));
  return { file: process.execPath, args: ['--conditions=sochdb-source', '--import', require.resolve('tsx'), entry] };
}

function spawnTool(tool: Tool, args: readonly string[]): ChildProcess {
  const { file, args: prefix } = commandFor(tool);
  return spawn(file, [...prefix, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
}

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `tool args…` to completion, like typing it in a shell. */
export function runCli(tool: Tool, args: readonly string[]): Promise<CliResult> {
  const child = spawnTool(tool, args);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A long-running tool (a server) started in the background. */
export interface BackgroundTool extends AsyncDisposable {
  readonly pid: number;
  /** The first stdout line matching the ready pattern, with its groups. */
  readonly ready: RegExpMatchArray;
  /** SIGTERM (a graceful stop), then wait for the exit. */
  stop(): Promise<void>;
}

/** Starts `tool args…` and resolves once a stdout line matches `readyPattern` (the server is listening). */
export function startCli(tool: Tool, args: readonly string[], readyPattern: RegExp, timeoutMs = 20_000): Promise<BackgroundTool> {
  const child = spawnTool(tool, args);
  let stdout = '';
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  return new Promise((resolve, reject) => {
    const fail = (why: string) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${tool} ${why}\n${stderr}`));
    };
    const timer = setTimeout(() => fail(`did not start within ${timeoutMs} ms`), timeoutMs);
    child.once('error', (error) => fail(`could not start: ${error.message}`));
    const early = (code: number | null) => fail(`exited with code ${String(code)} before it was ready`);
    child.once('close', early);
    child.stdout?.on('data', (d: Buffer) => {
      stdout += d.toString();
      const ready = stdout.match(readyPattern);
      if (!ready) return;
      clearTimeout(timer);
      child.off('close', early);
      child.stdout?.removeAllListeners('data');
      child.stdout?.resume();
      resolve({ pid: child.pid ?? -1, ready, stop, [Symbol.asyncDispose]: stop });
    });
  });
}
