// `sochdb shell <db>`: an interactive SQL and key-value shell in the manner of sqlite3's.
//
// At a terminal: prompts (`sochdb> `, `   ...> ` inside a statement), line editing and a history
// file; Ctrl-C clears the line, Ctrl-C twice or Ctrl-D leaves. With piped input it behaves like
// `sqlite3 db < script.sql`: no prompts, every statement runs, exit code 1 when any failed.
import { createInterface, type Interface } from 'node:readline';
import { DatabaseError, SochDBError } from '@sochdb/core';
import { Database } from '@sochdb/sdk';
import { appendHistory, HISTORY_SIZE, historyEntry, historyPath, loadHistory } from './history.js';
import { DOT_COMMANDS, InputSource, Shell } from './shell.js';

export { Shell, InputSource, DOT_COMMANDS } from './shell.js';
export { formatRows, OUTPUT_MODES, type OutputMode, type Rows, type CellValue } from './format.js';
export { splitStatements, type SplitResult, type SplitStatement } from './statements.js';
export { historyPath, HISTORY_SIZE } from './history.js';

export const PROMPT = 'sochdb> ';
export const CONTINUATION_PROMPT = '   ...> ';

export interface ShellOptions {
  /** A LevelDB folder (created when missing), `':memory:'`, or a `postgres://` URL; '' means `':memory:'`. */
  readonly database: string;
  /** Lines of SQL and dot commands. */
  readonly input: NodeJS.ReadableStream;
  /** Results (and prompts at a terminal). */
  readonly output: NodeJS.WritableStream;
  /** `Error [CODE]: message` lines; defaults to `output`. Pass `process.stderr` to keep them out of piped results. */
  readonly errorOutput?: NodeJS.WritableStream;
  /** Whether a person types at a terminal (prompts, line editing, history); defaults to `input.isTTY`. */
  readonly terminal?: boolean;
  /** The history file (terminal only); defaults to $SOCHDB_HISTORY, else ~/.sochdb_history. */
  readonly historyFile?: string;
}

/** readline keeps its history here (most recent first); the shell fills it itself, one entry per statement. */
interface WithHistory {
  history?: unknown;
}

/** Prints an error that escaped the shell (opening or closing the database) the shell's way. */
function errorLine(error: unknown): string {
  const e = SochDBError.is(error) ? error : new DatabaseError(error instanceof Error ? error.message : String(error), { cause: error });
  return `Error [${e.code}]: ${e.message.replace(/\s*\r?\n\s*/g, ' ')}\n`;
}

/**
 * Runs the shell on `database` until the input ends, `.quit`/`.exit`, or (at a terminal) Ctrl-C
 * twice; the database is closed before the promise resolves. Resolves with the exit code: 0, or
 * with piped input 1 when any statement or command failed (130 when SIGINT stopped it), or
 * `.exit CODE`'s code.
 */
export async function runShell(options: ShellOptions): Promise<number> {
  const { input, output } = options;
  const terminal = options.terminal ?? (input as { isTTY?: boolean }).isTTY === true;
  const errorOutput = options.errorOutput ?? output;
  const out = (text: string) => void output.write(text);
  const err = (text: string) => void errorOutput.write(text);
  const path = options.database === '' ? ':memory:' : options.database;

  let db: Database;
  try {
    db = await Database.open(path);
  } catch (error) {
    err(errorLine(error));
    return 1;
  }

  const shell = new Shell(db, { out, err, interactive: terminal });
  const source = new InputSource(undefined);
  const historyFile = terminal ? historyPath(options.historyFile) : undefined;
  const rl: Interface = createInterface({
    input,
    ...(terminal ? { output } : {}),
    terminal,
    crlfDelay: Infinity,
    prompt: PROMPT,
    // readline would keep every line; the shell keeps one entry per statement instead (below).
    history: historyFile === undefined ? [] : loadHistory(historyFile),
    historySize: 0,
    ...(terminal ? { completer: (line: string): [string[], string] => [completions(line), line] } : {}),
  });

  let busy = false;
  let sigints = 0;
  let entryLines: string[] = [];
  const prompt = () => {
    rl.setPrompt(source.isPending ? CONTINUATION_PROMPT : PROMPT);
    rl.prompt();
  };
  const remember = (entry: string) => {
    if (historyFile === undefined || entry === '') return;
    const history = (rl as unknown as WithHistory).history;
    if (Array.isArray(history)) {
      if (history[0] === entry) return; // like readline: no repeat of the entry just before
      history.unshift(entry);
      history.length = Math.min(history.length, HISTORY_SIZE);
    }
    appendHistory(historyFile, entry);
  };

  // Ctrl-C at the terminal (readline reads it as a key in raw mode).
  rl.on('SIGINT', () => {
    if (busy) {
      shell.interrupted = true;
      return;
    }
    if (rl.line !== '' || source.isPending) {
      // Clear what was typed, as sqlite3 does: ^C, a fresh prompt.
      rl.write(null, { ctrl: true, name: 'e' });
      rl.write(null, { ctrl: true, name: 'u' });
      out('^C\n');
      shell.clearPending(source);
      entryLines = [];
      sigints = 0;
      prompt();
      return;
    }
    if (++sigints >= 2) {
      out('\n');
      rl.close();
      return;
    }
    out('^C\n(To exit, press Ctrl-C again or Ctrl-D, or type .exit)\n');
    prompt();
  });
  // A SIGINT sent to the process (a piped script, or `kill -INT`): stop after the running statement
  // and close the database, instead of dying with it open.
  const onSignal = () => {
    shell.interrupted = true;
    shell.exitCode ??= 130;
    rl.close();
  };
  process.on('SIGINT', onSignal);

  let code: number;
  try {
    if (terminal) {
      out(`SochDB shell: ${path === ':memory:' ? 'a transient in-memory database' : path}\nEnter ".help" for usage hints.\n`);
      prompt();
    }
    for await (const line of rl) {
      sigints = 0;
      busy = true;
      try {
        await shell.handleLine(source, line);
      } finally {
        busy = false;
      }
      if (historyFile !== undefined && (line.trim() !== '' || entryLines.length > 0)) {
        entryLines.push(line);
        if (!source.isPending) {
          remember(historyEntry(entryLines.join('\n')));
          entryLines = [];
        }
      }
      if (shell.interrupted && terminal && shell.exitCode === undefined) {
        // Ctrl-C during a statement skipped the rest of that input; go on with the next.
        shell.interrupted = false;
        out('^C\n');
      }
      if (shell.done) break;
      if (terminal) prompt();
    }
    // A piped script may end without its last `;`: run what it left, as sqlite3 does. At a
    // terminal, Ctrl-D leaves without running a half-typed statement.
    if (!terminal && !shell.done) await shell.finish(source);
    if (terminal && !shell.done) out('\n');
    code = shell.exitCode ?? (terminal || !shell.failed ? 0 : 1);
  } finally {
    process.off('SIGINT', onSignal);
    rl.close();
  }
  try {
    await db.close();
  } catch (error) {
    err(errorLine(error));
    code = code === 0 ? 1 : code;
  }
  return code;
}

function completions(line: string): string[] {
  if (!line.startsWith('.') || /\s/.test(line)) return [];
  const lower = line.toLowerCase();
  return DOT_COMMANDS.filter((command) => command.startsWith(lower));
}
