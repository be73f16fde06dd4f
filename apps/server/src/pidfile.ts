import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** What `sochdb-server` records next to the database so `status` and `stop` can find it. */
export interface PidInfo {
  readonly pid: number;
  readonly socket: string;
  readonly db: string;
  readonly startedAt: string;
}

export function pidFilePath(db: string): string {
  return join(resolve(db), 'sochdb-server.pid');
}

export function writePidFile(info: PidInfo): void {
  writeFileSync(pidFilePath(info.db), `${JSON.stringify(info)}\n`, { mode: 0o600 });
}

export function readPidFile(db: string): PidInfo | undefined {
  try {
    return JSON.parse(readFileSync(pidFilePath(db), 'utf8')) as PidInfo;
  } catch {
    return undefined;
  }
}

export function removePidFile(db: string): void {
  rmSync(pidFilePath(db), { force: true });
}

/**
 * Whether a process with this pid is alive (signal 0 checks without sending anything). A zombie
 * (exited, not yet reaped by its parent) still answers signal 0, so on Linux its state in
 * /proc/<pid>/stat is read too: a server that has exited is not running, whoever its parent is.
 */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  return !isZombie(pid);
}

function isZombie(pid: number): boolean {
  try {
    // The state is the first field after the parenthesized command name (which may hold spaces).
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z';
  } catch {
    return false;
  }
}
