// The interactive shell's history file: one entry per line, oldest first (a statement typed over
// several lines is one entry, its lines joined by spaces), created mode 0600 since statements may
// hold secrets. Only a TTY session reads or writes it.
import { appendFileSync, chmodSync, closeSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** Entries kept in the file and offered by the up arrow. */
export const HISTORY_SIZE = 1000;

/** `historyFile`, else $SOCHDB_HISTORY, else ~/.sochdb_history. */
export function historyPath(historyFile: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  if (historyFile !== undefined && historyFile !== '') return historyFile;
  const fromEnv = env.SOCHDB_HISTORY;
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  return join(homedir(), '.sochdb_history');
}

/**
 * The file's entries, newest first (the order readline's `history` option takes), capped at
 * HISTORY_SIZE; creates the file (mode 0600) when it is missing. An unreadable file gives an
 * empty history rather than stopping the shell.
 */
export function loadHistory(path: string): string[] {
  try {
    closeSync(openSync(path, 'a', 0o600));
    const lines = readFileSync(path, 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '');
    if (lines.length > HISTORY_SIZE) {
      // Trim the file itself, so it does not grow without end.
      const kept = lines.slice(-HISTORY_SIZE);
      writeFileSync(path, kept.join('\n') + '\n', { mode: 0o600 });
      chmodSync(path, 0o600);
      return kept.reverse();
    }
    return lines.reverse();
  } catch {
    return [];
  }
}

/** One entry on one line (newlines become spaces). */
export function historyEntry(text: string): string {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .join(' ');
}

/** Appends an entry at once, so a shell that is killed keeps what was typed before. */
export function appendHistory(path: string, entry: string): void {
  try {
    appendFileSync(path, entry + '\n', { mode: 0o600 });
  } catch {
    // History is a convenience: a read-only home must not stop the shell.
  }
}
