// How the studio opens a database folder: embedded, or — when another process opened the folder
// with `Database.openConcurrent` — through that process's socket (`<folder>/sochdb.sock`), which
// serves the whole storage. Falling back on its own is what a user beside a running program
// expects; asking for `--concurrent` first would add a step that always has the same answer.
//
// A folder held by `sochdb-server` is refused instead: that server serves its clients only the
// root KV keyspace (plus SQL and stats handlers), so a Database opened through it sees none of
// the namespaces, collections, queues or graphs, and a read-only SQL transaction runs on that
// narrow view ("no such table"). Showing an empty database as if it were the real one would
// mislead; the error says so and what to do.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Database, DatabaseLockedError, LockError } from '@sochdb/sdk';

/** How a studio reached its database folder. */
export type OpenedVia = 'embedded' | 'concurrent' | 'ipc';

/** An open database and how it was reached. */
export interface OpenedDatabase {
  readonly db: Database;
  readonly via: OpenedVia;
}

/** The folder is held by another process the studio cannot open it through (code 10001). */
export class FolderHeldError extends DatabaseLockedError {}

/** How long to wait for the holder's socket: a live owner answers at once. */
const IPC_CONNECT_MS = 3000;

/** Whether `db` reaches its data through another process (it is not the folder's owner). */
export function isIpcClient(db: Database): boolean {
  const storage: object = db.storage;
  return 'isOwner' in storage && storage.isOwner === false;
}

/** The pid of a live `sochdb-server` holding `path` (from the pid file it writes), if any. */
export function sochdbServerPid(path: string): number | undefined {
  let pid: unknown;
  try {
    pid = (JSON.parse(readFileSync(join(path, 'sochdb-server.pid'), 'utf8')) as { pid?: unknown }).pid;
  } catch {
    return undefined;
  }
  if (typeof pid !== 'number' || !Number.isInteger(pid) || pid <= 0) return undefined;
  try {
    process.kill(pid, 0);
    return pid;
  } catch (error) {
    // EPERM: alive, but another user's process.
    return (error as NodeJS.ErrnoException).code === 'EPERM' ? pid : undefined;
  }
}

/**
 * Opens `path` (which must exist). `concurrent`: `Database.openConcurrent` (share the folder).
 * Otherwise embedded, and through the holder's socket when another process opened it with
 * `openConcurrent`. FolderHeldError when a `sochdb-server` or a process serving no socket holds it.
 */
export async function openDatabase(path: string, options: { readonly concurrent?: boolean } = {}): Promise<OpenedDatabase> {
  if (options.concurrent === true) {
    const serverPid = sochdbServerPid(path);
    if (serverPid !== undefined) throw servedByServer(path, serverPid);
    const db = await Database.openConcurrent(path);
    return { db, via: isIpcClient(db) ? 'ipc' : 'concurrent' };
  }
  try {
    return { db: await Database.open(path, { createIfMissing: false }), via: 'embedded' };
  } catch (error) {
    if (!(error instanceof DatabaseLockedError)) throw error;
    // Read only once the folder is known to be held: a stale pid file must not refuse a free folder.
    const serverPid = sochdbServerPid(path);
    if (serverPid !== undefined) throw servedByServer(path, serverPid);
    const socket = join(path, 'sochdb.sock');
    if (!existsSync(socket)) {
      throw new FolderHeldError(`${path} is held by another process, which serves no ${socket}`, {
        cause: error,
        remediation: 'Stop that process, or have it open the folder with Database.openConcurrent so that others can share it.',
      });
    }
    try {
      const db = await Database.openConcurrent(path, { lockTimeoutMs: IPC_CONNECT_MS });
      return { db, via: isIpcClient(db) ? 'ipc' : 'concurrent' };
    } catch (inner) {
      if (!(inner instanceof LockError)) throw inner;
      throw new FolderHeldError(`${path} is held by another process, and ${socket} did not answer within ${IPC_CONNECT_MS} ms`, {
        cause: inner,
        remediation: 'Check which process holds the folder (it must have opened it with Database.openConcurrent), or stop it.',
      });
    }
  }
}

function servedByServer(path: string, pid: number): FolderHeldError {
  return new FolderHeldError(
    `${path} is served by sochdb-server (pid ${pid}), whose socket gives clients the root KV keyspace, SQL and stats only: ` +
      'the studio would show no namespaces, collections, queues or graphs',
    {
      remediation:
        'Start the server with --studio-port 0 (it serves the studio on the database it holds, and prints the URL), or stop it (`sochdb-server stop --db <folder>`) and start the studio on the folder.',
    },
  );
}
