// A child process in concurrent mode that runs the commands sent to it (see fixtures/sql-repl.ts).
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { ChildProcess } from 'node:child_process';
import { spawnTs } from '@sochdb/core/testing';

const fixture = join(import.meta.dirname, 'fixtures', 'sql-repl.ts');

export interface Answer {
  readonly rows?: Record<string, unknown>[];
  readonly error?: { readonly name: string; readonly code: number; readonly message: string };
  readonly ready?: boolean;
  readonly result?: unknown;
}

/** A child process running SQL sent to it, one command at a time. */
export function repl(path: string): { send(cmd: object): Promise<Answer>; close(): Promise<void>; child: ChildProcess } {
  const child = spawnTs(fixture, [path], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const next = async (): Promise<Answer> => {
    const { value, done } = await lines.next();
    if (done) throw new Error(`child exited: ${stderr}`);
    return JSON.parse(value) as Answer;
  };
  const ready = next();
  return {
    child,
    async send(cmd) {
      await ready;
      child.stdin!.write(`${JSON.stringify(cmd)}\n`);
      return next();
    },
    async close() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.stdin!.end();
      await new Promise((resolve) => child.once('close', resolve));
    },
  };
}
