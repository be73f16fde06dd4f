// The shell's state and what it does with each line of input: SQL statements (run when a `;`
// completes them) and dot commands. Reading lines, prompts and history are index.ts's job.
import { readFileSync } from 'node:fs';
import { DatabaseError, QueryError, SochDBError, ValidationError } from '@sochdb/core';
import type { Database } from '@sochdb/sdk';
import { splitDotArgs } from './dot-args.js';
import { formatRows, isOutputMode, OUTPUT_MODES, type CellValue, type OutputMode, type Rows } from './format.js';
import { firstKeyword, splitStatements } from './statements.js';

/** Where lines come from: the terminal or a piped script, or a file given to `.read`. */
export class InputSource {
  /** Text of an unfinished statement (lines typed so far without a completing `;`). */
  pending = '';
  /** Line number (1-based) where `pending` begins. */
  pendingLine = 0;
  /** Lines read so far. */
  lineNo = 0;
  constructor(
    /** A file name, for error messages; undefined for the shell's own input. */
    readonly name: string | undefined,
  ) {}

  get isPending(): boolean {
    return this.pending !== '';
  }
}

export interface ShellIo {
  /** Results go here. */
  readonly out: (text: string) => void;
  /** `Error [CODE]: message` lines go here. */
  readonly err: (text: string) => void;
  /** True when a person types at a terminal: errors then omit input line numbers, `.changes` starts on. */
  readonly interactive: boolean;
}

const HELP = `.bail on|off             Stop at the first error (scripts: exit code 1)
.changes on|off          Print changes and lastInsertRowid after INSERT/UPDATE/DELETE
.del KEY                 Delete KEY from the database's default key-value space
.exit ?CODE?             Leave the shell (exit code CODE, default 0)
.get KEY                 Show KEY's value from the default key-value space
.help                    Show this message
.mode ?MODE?             Set the output mode: ${OUTPUT_MODES.join(', ')} (no MODE: show it)
.put KEY VALUE           Store VALUE at KEY in the default key-value space
.quit                    Leave the shell
.read FILE               Run the SQL and dot commands in FILE
.scan ?PREFIX? ?LIMIT?   List keys starting with PREFIX (all keys without one), at most LIMIT
.schema ?PATTERN?        Show the CREATE statements (of tables matching the LIKE PATTERN)
.stats                   Show the database's counters
.tables ?PATTERN?        List the tables and views (matching the LIKE PATTERN)
.timer on|off            Print the time each statement takes
Statements end with ";" and may span lines. Quote a dot-command argument that holds spaces:
.put greeting "hello world". Keys and values are UTF-8 text; a value that is not valid UTF-8
shows as a hex blob (x'00ff').
`;

/** Every dot command (for tab completion). */
export const DOT_COMMANDS = [
  '.bail',
  '.changes',
  '.del',
  '.exit',
  '.get',
  '.help',
  '.mode',
  '.put',
  '.quit',
  '.read',
  '.scan',
  '.schema',
  '.stats',
  '.tables',
  '.timer',
] as const;

const WRITE_KEYWORDS = new Set(['INSERT', 'UPDATE', 'DELETE', 'REPLACE']);
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** A stored key or value as text when it is valid UTF-8, else as bytes (shown as a hex blob). */
function kvCell(bytes: Uint8Array): CellValue {
  try {
    return utf8.decode(bytes);
  } catch {
    return Buffer.from(bytes);
  }
}

function parseSwitch(command: string, value: string | undefined): boolean {
  switch (value?.toLowerCase()) {
    case 'on':
    case 'yes':
    case 'true':
    case '1':
      return true;
    case 'off':
    case 'no':
    case 'false':
    case '0':
      return false;
    default:
      throw new ValidationError(`usage: ${command} on|off`, { field: command });
  }
}

function usage(text: string): ValidationError {
  return new ValidationError(`usage: ${text}`);
}

/** The error as one line without the "Error [CODE]: " prefix, with its SQL position when it has one. */
function describeError(error: SochDBError, source: InputSource, startLine: number, interactive: boolean): string {
  let message = error.message.replace(/\s*\r?\n\s*/g, ' ');
  if (QueryError.is(error) && error.line !== undefined && !/\bline \d+/.test(message)) {
    message += ` (line ${error.line}${error.column === undefined ? '' : `, column ${error.column}`})`;
  }
  // In a script or a .read file, say where: the input line the error is on (the statement's
  // first line when the error has no position of its own).
  if (!interactive || source.name !== undefined) {
    const line = QueryError.is(error) && error.line !== undefined ? startLine + error.line - 1 : startLine;
    message += source.name === undefined ? ` (near input line ${line})` : ` (near line ${line} of ${source.name})`;
  }
  return message;
}

/** Runs lines against one open Database; index.ts feeds it and prompts. */
export class Shell {
  mode: OutputMode = 'table';
  timer = false;
  changes: boolean;
  bail = false;
  /** Some statement or command failed. */
  failed = false;
  /** Set by .quit/.exit (or by bail): the code to exit with; undefined while the shell runs. */
  exitCode: number | undefined;
  /** Set (by Ctrl-C) while something runs: the rest of the current input is skipped. */
  interrupted = false;
  /** `.read` depth, against a file that reads itself. */
  #readDepth = 0;

  constructor(
    readonly db: Database,
    readonly io: ShellIo,
  ) {
    this.changes = io.interactive;
  }

  get done(): boolean {
    return this.exitCode !== undefined;
  }

  /**
   * One line of input. A line starting with `.` outside a statement is a dot command; otherwise it
   * is added to the pending statement, and every statement it completes runs, in order.
   */
  async handleLine(source: InputSource, line: string): Promise<void> {
    source.lineNo++;
    if (this.done) return;
    if (!source.isPending) {
      const trimmed = line.trim();
      if (trimmed === '') return; // a blank line alone does nothing
      if (trimmed.startsWith('.')) {
        const timed = /^\.(get|put|del|delete|scan)\b/i.test(trimmed);
        await this.#guard(source, source.lineNo, timed, () => this.runDotCommand(trimmed));
        return;
      }
      source.pendingLine = source.lineNo;
      source.pending = line;
    } else {
      source.pending += '\n' + line;
    }
    await this.#runComplete(source);
  }

  /** At the end of the input: runs what is pending, ended or not (as sqlite3 does). */
  async finish(source: InputSource): Promise<void> {
    if (!source.isPending || this.done) return;
    const text = source.pending + '\n;';
    source.pending = '';
    const split = splitStatements(text);
    for (const statement of split.statements) {
      if (this.done || this.interrupted) return;
      // The `;` appended above is not part of what was typed.
      const sql = statement.offset + statement.sql.length === text.length ? statement.sql.slice(0, -1) : statement.sql;
      await this.runSql(sql, source, source.pendingLine + lineOffset(text, statement.offset));
    }
    // Still unfinished (an unclosed quote or comment): run it so the engine says what is wrong.
    if (!split.restIsBlank && !this.done && !this.interrupted) {
      await this.runSql(split.rest.slice(0, -2), source, source.pendingLine + lineOffset(text, split.restOffset));
    }
  }

  /** Drops the pending statement (Ctrl-C). */
  clearPending(source: InputSource): void {
    source.pending = '';
  }

  async #runComplete(source: InputSource): Promise<void> {
    const text = source.pending;
    const split = splitStatements(text);
    for (const statement of split.statements) {
      if (this.done || this.interrupted) break;
      await this.runSql(statement.sql, source, source.pendingLine + lineOffset(text, statement.offset));
    }
    if (split.restIsBlank) {
      source.pending = '';
    } else {
      source.pendingLine += lineOffset(text, split.restOffset);
      source.pending = split.rest;
    }
  }

  /** Runs one SQL statement and prints its rows (or its changes), then its time under `.timer on`. */
  async runSql(sql: string, source: InputSource, startLine: number): Promise<void> {
    await this.#guard(source, startLine, true, async () => {
      const result = await this.db.execute(sql, undefined, { rowMode: 'array' });
      if (result.columns.length > 0) this.io.out(formatRows({ columns: result.columns, rows: result.rows }, this.mode));
      if (this.changes && (WRITE_KEYWORDS.has(firstKeyword(sql)) || (firstKeyword(sql) === 'WITH' && result.rowsAffected > 0))) {
        this.io.out(`changes: ${result.rowsAffected}   lastInsertRowid: ${String(result.lastInsertRowid)}\n`);
      }
    });
  }

  /** Runs `fn`, timing it under `.timer on` when `timed`, and reports (never throws) what it throws. */
  async #guard(source: InputSource, line: number, timed: boolean, fn: () => Promise<void>): Promise<void> {
    const started = performance.now();
    const cpu = process.cpuUsage();
    try {
      await fn();
    } catch (error) {
      this.report(error, source, line);
    } finally {
      if (timed && this.timer && !this.done) {
        const used = process.cpuUsage(cpu);
        const real = (performance.now() - started) / 1000;
        this.io.out(`Run Time: real ${real.toFixed(3)} user ${(used.user / 1e6).toFixed(6)} sys ${(used.system / 1e6).toFixed(6)}\n`);
      }
    }
  }

  /** Prints `Error [CODE]: message` and records the failure; under `.bail on` stops the shell. */
  report(error: unknown, source: InputSource, line: number): void {
    const sochError = SochDBError.is(error) ? error : new DatabaseError(error instanceof Error ? error.message : String(error), { cause: error });
    this.failed = true;
    this.io.err(`Error [${sochError.code}]: ${describeError(sochError, source, line, this.io.interactive)}\n`);
    if (this.bail) this.exitCode = 1;
  }

  /** A dot command: `.mode json`, `.get key`, … (see HELP). */
  async runDotCommand(line: string): Promise<void> {
    const [name = '', ...args] = splitDotArgs(line);
    const command = name.toLowerCase();
    const arity = (min: number, max: number, text: string) => {
      if (args.length < min || args.length > max) throw usage(text);
    };
    switch (command) {
      case '.help':
        this.io.out(HELP);
        return;
      case '.quit':
        arity(0, 0, '.quit');
        this.exitCode = this.io.interactive || !this.failed ? 0 : 1;
        return;
      case '.exit': {
        arity(0, 1, '.exit ?CODE?');
        const code = args[0] === undefined ? (this.io.interactive || !this.failed ? 0 : 1) : Number(args[0]);
        if (!Number.isInteger(code) || code < 0 || code > 255)
          throw new ValidationError('usage: .exit ?CODE? (CODE is an integer from 0 to 255)', { field: '.exit' });
        this.exitCode = code;
        return;
      }
      case '.mode': {
        arity(0, 1, `.mode ?${OUTPUT_MODES.join('|')}?`);
        const mode = args[0]?.toLowerCase();
        if (mode === undefined) {
          this.io.out(`current output mode: ${this.mode}\n`);
        } else if (isOutputMode(mode)) {
          this.mode = mode;
        } else {
          throw new ValidationError(`unknown output mode "${args[0]}": use one of ${OUTPUT_MODES.join(', ')}`, { field: '.mode' });
        }
        return;
      }
      case '.timer':
        arity(1, 1, '.timer on|off');
        this.timer = parseSwitch('.timer', args[0]);
        return;
      case '.changes':
        arity(1, 1, '.changes on|off');
        this.changes = parseSwitch('.changes', args[0]);
        return;
      case '.bail':
        arity(1, 1, '.bail on|off');
        this.bail = parseSwitch('.bail', args[0]);
        return;
      case '.tables':
        arity(0, 1, '.tables ?PATTERN?');
        return this.#tables(args[0]);
      case '.schema':
        arity(0, 1, '.schema ?PATTERN?');
        return this.#schema(args[0]);
      case '.stats': {
        arity(0, 0, '.stats');
        const stats = await this.db.stats();
        // Nested counters (rowCache) get a row each, as `rowCache.hits`.
        const flat = Object.entries(stats).flatMap(([key, value]): [string, unknown][] =>
          typeof value === 'object' && value !== null && !Array.isArray(value)
            ? Object.entries(value as Record<string, unknown>).map(([field, inner]): [string, unknown] => [`${key}.${field}`, inner])
            : [[key, value]],
        );
        const rows = flat.map(([key, value]): CellValue[] => [key, typeof value === 'number' || typeof value === 'bigint' ? value : String(value)]);
        this.io.out(formatRows({ columns: ['stat', 'value'], rows }, this.mode));
        return;
      }
      case '.get': {
        arity(1, 1, '.get KEY');
        const value = await this.db.get(args[0]!);
        this.#kvRows(value === null ? [] : [[args[0]!, kvCell(value)]]);
        return;
      }
      case '.put':
        arity(2, 2, '.put KEY VALUE (quote a key or value that holds spaces: .put k "a b")');
        await this.db.put(args[0]!, args[1]!);
        return;
      case '.del':
      case '.delete':
        arity(1, 1, '.del KEY');
        await this.db.delete(args[0]!);
        return;
      case '.scan':
        arity(0, 2, '.scan ?PREFIX? ?LIMIT?');
        return this.#scan(args[0] ?? '', args[1]);
      case '.read':
        arity(1, 1, '.read FILE');
        return this.#read(args[0]!);
      default:
        throw new ValidationError(`unknown command "${name}": enter ".help" for the list`, { field: name });
    }
  }

  #kvRows(rows: CellValue[][]): void {
    this.io.out(formatRows({ columns: ['key', 'value'], rows }, this.mode));
  }

  async #scan(prefix: string, limitText: string | undefined): Promise<void> {
    let limit: number | undefined;
    if (limitText !== undefined) {
      limit = Number(limitText);
      if (!Number.isInteger(limit) || limit < 0)
        throw new ValidationError(`.scan LIMIT must be a non-negative integer, got "${limitText}"`, { field: 'limit' });
    }
    const rows: CellValue[][] = [];
    for await (const [key, value] of this.db.scanPrefix(prefix, limit === undefined ? {} : { limit })) {
      if (this.interrupted) break;
      rows.push([kvCell(key), kvCell(value)]);
    }
    this.#kvRows(rows);
  }

  async #query(sql: string, params: string[]): Promise<Rows> {
    const result = await this.db.execute(sql, params, { rowMode: 'array' });
    return { columns: result.columns, rows: result.rows };
  }

  async #tables(pattern: string | undefined): Promise<void> {
    const { rows } = await this.#query(
      `SELECT name FROM sqlite_schema WHERE type IN ('table', 'view') AND substr(name, 1, 7) <> 'sqlite_'${pattern === undefined ? '' : ' AND name LIKE ?'} ORDER BY name`,
      pattern === undefined ? [] : [pattern],
    );
    const names = rows.map((row) => String(row[0]));
    if (names.length === 0) return;
    // Column-major columns across 80 characters, as sqlite3's .tables prints them.
    const width = Math.max(...names.map((n) => n.length)) + 2;
    const perLine = Math.max(1, Math.floor(80 / width));
    const lineCount = Math.ceil(names.length / perLine);
    let out = '';
    for (let r = 0; r < lineCount; r++) {
      const cells: string[] = [];
      for (let c = r; c < names.length; c += lineCount) cells.push(names[c]!.padEnd(width));
      out += cells.join('').trimEnd() + '\n';
    }
    this.io.out(out);
  }

  async #schema(pattern: string | undefined): Promise<void> {
    const { rows } = await this.#query(
      `SELECT sql FROM sqlite_schema WHERE sql IS NOT NULL${pattern === undefined ? '' : ' AND tbl_name LIKE ?'}`,
      pattern === undefined ? [] : [pattern],
    );
    this.io.out(rows.map((row) => `${String(row[0])};\n`).join(''));
  }

  async #read(file: string): Promise<void> {
    if (this.#readDepth >= 16) throw new ValidationError(`.read ${file}: files read each other more than 16 deep`, { field: '.read' });
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new ValidationError(`.read: cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, { field: '.read', cause: error });
    }
    const source = new InputSource(file);
    this.#readDepth++;
    try {
      for (const line of text.split(/\r?\n/)) {
        if (this.done || this.interrupted) break;
        await this.handleLine(source, line);
      }
      await this.finish(source);
    } finally {
      this.#readDepth--;
    }
  }
}

/** How many newlines come before `offset` in `text`. */
function lineOffset(text: string, offset: number): number {
  let count = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) count++;
  return count;
}
