// `sochdb shell` at a real terminal: util-linux's `script` gives the child a pseudo-terminal, and
// the test types into it as a person would, waiting for what the shell prints (never sleeping).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '@sochdb/core/testing';

const main = join(import.meta.dirname, '..', 'src', 'shell', 'main.ts');
const scriptTool = ['/usr/bin/script', '/bin/script'].find((path) => existsSync(path));
if (scriptTool === undefined) console.warn('skipping the terminal tests of sochdb shell: `script` (util-linux) is not installed');

const quote = (arg: string) => `'${arg.replace(/'/g, `'\\''`)}'`;
// Cursor moves and line clears readline writes around its prompt (ESC [ … letter).
// eslint-disable-next-line no-control-regex -- matching the terminal's escape character is the point
const stripAnsi = (text: string) => text.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');

/** The shell in a pseudo-terminal: `type` keys, `waitFor` output, `exited` for the exit code. */
class Terminal {
  readonly child: ChildProcess;
  #output = '';
  #mark = 0;
  #waiters: (() => void)[] = [];
  readonly exited: Promise<number | null>;

  constructor(db: string, env: NodeJS.ProcessEnv) {
    const tsx = createRequire(import.meta.url).resolve('tsx');
    const command = [process.execPath, '--conditions=sochdb-source', '--import', tsx, main, db].map(quote).join(' ');
    // -q: no "Script started" lines; -f: flush at once; -e: exit with the child's code; -c: run this.
    this.child = spawn(scriptTool!, ['-qfec', command, '/dev/null'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    const collect = (data: Buffer) => {
      this.#output += stripAnsi(data.toString());
      for (const wake of this.#waiters.splice(0)) wake();
    };
    this.child.stdout!.on('data', collect);
    this.child.stderr!.on('data', collect);
    this.exited = new Promise((resolve, reject) => {
      this.child.once('error', reject);
      this.child.once('close', (code) => resolve(code));
    });
  }

  /** What the terminal showed since the last `waitFor` matched. */
  get recent(): string {
    return this.#output.slice(this.#mark);
  }

  type(keys: string): void {
    this.child.stdin!.write(keys);
  }

  /** Resolves when output after the previous match matches `pattern`; fails after `ms`. */
  async waitFor(pattern: RegExp, ms = 15_000): Promise<string> {
    const deadline = Date.now() + ms;
    for (;;) {
      const match = pattern.exec(this.recent);
      if (match !== null) {
        const seen = this.recent.slice(0, match.index + match[0].length);
        this.#mark += seen.length;
        return seen;
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no ${String(pattern)} within ${ms} ms; the terminal showed:\n${this.recent}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }
}

const PROMPT = /sochdb> $/;
const CONTINUATION = /\s{3}\.\.\.> $/;

let dir: ReturnType<typeof makeTempDir>;
beforeAll(() => {
  dir = makeTempDir('sochdb-shell-tty-');
});
afterAll(() => dir.cleanup());

// The two sessions are independent (own folders and history files): run them side by side.
describe.skipIf(scriptTool === undefined)('sochdb shell at a terminal (through util-linux `script`)', { concurrent: true }, () => {
  it('prompts, continues a statement over two lines, prints a table, times, saves history, exits 0 on Ctrl-D', async () => {
    const history = join(dir.path, 'history');
    const term = new Terminal(join(dir.path, 'db'), { ...process.env, HOME: dir.path, SOCHDB_HISTORY: history });
    try {
      await term.waitFor(PROMPT);
      term.type("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes (body) VALUES ('first');\r");
      // At a terminal .changes starts on, as sqlite3 users see with `.changes on`.
      expect(await term.waitFor(PROMPT)).toContain('changes: 1   lastInsertRowid: 1');

      term.type('SELECT id, body\r');
      await term.waitFor(CONTINUATION);
      term.type('  FROM notes;\r');
      const table = await term.waitFor(PROMPT);
      expect(table.replace(/\r\n/g, '\n')).toContain('+----+-------+\n| id | body  |\n+----+-------+\n|  1 | first |\n+----+-------+\n');

      term.type('.timer on\r');
      await term.waitFor(PROMPT);
      term.type('SELECT count(*) AS n FROM notes;\r');
      expect(await term.waitFor(PROMPT)).toMatch(/\| n \|[\s\S]*Run Time: real \d+\.\d{3} user \d+\.\d+ sys \d+\.\d+/);

      term.type('SELECT * FROM nowhere;\r');
      // An error is one line, and the shell goes on.
      expect(await term.waitFor(PROMPT)).toMatch(/^Error \[5005\]: no such table: nowhere\r?$/m);

      term.type('\x04'); // Ctrl-D
      expect(await term.exited).toBe(0);
    } finally {
      term.child.kill();
    }
    // One history entry per statement, the two-line one joined; the file is private to the user.
    const entries = readFileSync(history, 'utf8').trim().split('\n');
    expect(entries).toContain('SELECT id, body FROM notes;');
    expect(entries).toContain('.timer on');
    expect(statSync(history).mode & 0o777).toBe(0o600);
  });

  it('recalls history with the up arrow, clears the line on Ctrl-C, and exits on Ctrl-C twice', async () => {
    const history = join(dir.path, 'history-2');
    writeFileSync(history, "SELECT 'from history' AS recalled;\n");
    const term = new Terminal(':memory:', { ...process.env, HOME: dir.path, SOCHDB_HISTORY: history });
    try {
      await term.waitFor(PROMPT);
      term.type('\x1b[A'); // up arrow: the last entry of the history file
      await term.waitFor(/AS recalled;$/);
      term.type('\r');
      expect(await term.waitFor(PROMPT)).toContain('| from history |');

      // Ctrl-C drops a half-typed statement, even one spread over lines.
      term.type('SELECT 1,\r');
      await term.waitFor(CONTINUATION);
      term.type('junk');
      await term.waitFor(/junk$/);
      term.type('\x03');
      await term.waitFor(/\^C\r?\n[\s\S]*sochdb> $/);
      term.type('SELECT 5 AS e;\r');
      const after = await term.waitFor(PROMPT);
      expect(after).toContain('| e |');
      expect(after).not.toContain('Error');

      term.type('\x03');
      await term.waitFor(/press Ctrl-C again/);
      term.type('\x03');
      expect(await term.exited).toBe(0);
    } finally {
      term.child.kill();
    }
  });
});
