// Set-up shared by the CLI's tests.
import { spawnTs, waitForExit } from '@sochdb/core/testing';
import { Database } from '@sochdb/sdk';
import { join } from 'node:path';

/** The CLI's source entry point, run through tsx as a real child process. */
export const cli = join(import.meta.dirname, '..', 'src', 'cli.ts');

/** Runs the CLI with `input` on its stdin. */
export async function runWithStdin(input: string, ...args: string[]): ReturnType<typeof waitForExit> {
  const child = spawnTs(cli, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  child.stdin!.end(input);
  return waitForExit(child);
}

/** Opens `folder`, runs `fn`, closes it: the CLI cannot open a folder this process holds. */
export async function withDb<T>(folder: string, fn: (db: Database) => Promise<T>): Promise<T> {
  const db = await Database.open(folder);
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}
