// What `sochdb-studio <db>` and `sochdb studio <db>` do: open the database folder, start the
// studio on it, print the URL with its token, and stop cleanly (server, then database) on
// SIGINT or SIGTERM. One function for both commands.
import { Database } from '@sochdb/sdk';
import { startStudio } from './studio.js';

/** The flags of both studio commands. */
export interface StudioCommandOptions {
  /** Port (0: a free one). */
  readonly port?: number;
  /** Host to listen on (default 127.0.0.1). */
  readonly host?: string;
  /** Allow changes. */
  readonly write?: boolean;
  /** Allow a host beyond loopback. */
  readonly allowRemote?: boolean;
  /** Open with `Database.openConcurrent` (share the folder with other processes). */
  readonly concurrent?: boolean;
}

/** Opens `path`, starts the studio and prints its URL; resolves once it listens (signals stop it). */
export async function runStudio(path: string, options: StudioCommandOptions): Promise<void> {
  const db = options.concurrent === true ? await Database.openConcurrent(path) : await Database.open(path, { createIfMissing: false });
  const running = await startStudio({
    db,
    host: options.host ?? '127.0.0.1',
    port: options.port ?? 0,
    write: options.write === true,
    allowRemote: options.allowRemote === true,
  }).catch(async (error: unknown) => {
    await db.close();
    throw error;
  });
  process.stdout.write(`SochDB Studio on ${db.path}${options.write === true ? ' (write mode)' : ' (read-only)'}\n${running.url}/?token=${running.token}\n`);
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    void (async () => {
      await running.close();
      await db.close();
      process.stderr.write(`stopped (${signal})\n`);
      process.exit(0);
    })();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
