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

/** Whether a process with this pid exists (signal 0 checks without sending anything). */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
