// `sochdb shell` with a script piped in, as a real child process on a real LevelDB folder:
// no prompts, every statement runs, exit code 1 when any failed (sqlite3 < script.sql).
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, spawnTs, waitForExit } from '@sochdb/core/testing';
import { Database } from '@sochdb/sdk';

const main = join(import.meta.dirname, '..', 'src', 'shell', 'main.ts');
let dir: ReturnType<typeof makeTempDir>;

beforeAll(() => {
  dir = makeTempDir('sochdb-shell-piped-');
});
afterAll(() => dir.cleanup());

/** Runs the shell on `db` with `script` as its stdin. */
async function runScript(db: string, script: string) {
  const child = spawnTs(main, [db], { stdio: ['pipe', 'pipe', 'pipe'] });
  child.stdin!.end(script);
  return waitForExit(child);
}

const SCRIPT = `-- a script as a user would pipe it in
CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL -- the display name; a ; in a comment does not end the statement
);
CREATE INDEX users_name ON users (name);

INSERT INTO users (name) VALUES ('Alice'), ('Bob; the builder');
.changes on
INSERT INTO users (name)
  VALUES ('Carol');
SELECT id, name
  FROM users
  ORDER BY id;
SELECT * FROM missing_table;
SELECT 'still running' AS after_error; SELEC 1;
.mode json
SELECT id, name FROM users ORDER BY id;
.tables
.schema users
.put greeting "hello world"
.mode csv
.get greeting
.bogus
SELECT count(*) AS n FROM users`;

describe('sochdb shell, piped', () => {
  it('runs a multi-line script, prints tables and JSON, reports errors and exits 1', async () => {
    const db = join(dir.path, 'db');
    const { code, stdout, stderr } = await runScript(db, SCRIPT);
    expect(code, stderr).toBe(1);
    // No prompts or banner when the input is not a terminal.
    expect(stdout).not.toContain('sochdb>');
    expect(stdout).not.toContain('...>');

    // .changes on: the second INSERT reports its changes and rowid like sqlite3.
    expect(stdout).toContain('changes: 1   lastInsertRowid: 3\n');
    // The multi-line SELECT as a table; the ; inside the string literal did not split the INSERT.
    expect(stdout).toContain(
      [
        '+----+------------------+',
        '| id | name             |',
        '+----+------------------+',
        '|  1 | Alice            |',
        '|  2 | Bob; the builder |',
        '|  3 | Carol            |',
        '+----+------------------+',
      ].join('\n'),
    );

    // Errors: one line each, with the code, on stderr; the script went on after each.
    const errors = stderr.trim().split('\n');
    expect(errors).toEqual([
      'Error [5005]: no such table: missing_table (near input line 15)',
      expect.stringMatching(/^Error \[5004\]: SQL syntax error at line 1, column 1: .* \(near input line 16\)$/),
      expect.stringMatching(/^Error \[6000\]: unknown command "\.bogus"/),
    ]);
    expect(stdout).toContain('| still running |');

    // .mode json: the rows parse as JSON.
    const json = /^\[\{"id".*?\}\]$/ms.exec(stdout);
    expect(json, stdout).not.toBeNull();
    expect(JSON.parse(json![0])).toEqual([
      { id: 1, name: 'Alice' },
      { id: 2, name: 'Bob; the builder' },
      { id: 3, name: 'Carol' },
    ]);
    // .tables and .schema.
    expect(stdout).toMatch(/^users$/m);
    expect(stdout).toContain(
      'CREATE TABLE users (\n  id INTEGER PRIMARY KEY,\n  name TEXT NOT NULL -- the display name; a ; in a comment does not end the statement\n);\nCREATE INDEX users_name ON users (name);\n',
    );
    // KV through dot commands, printed in the current mode (csv).
    expect(stdout).toContain('key,value\r\ngreeting,hello world\r\n');
    // The last statement had no `;`: it ran at the end of the input, as in sqlite3.
    expect(stdout).toMatch(/n\r\n3\r\n$/);

    // Everything landed in the LevelDB folder, which the shell closed on exit.
    const check = await Database.open(db);
    try {
      expect((await check.execute('SELECT name FROM users WHERE id = 2')).rows).toEqual([{ name: 'Bob; the builder' }]);
      expect((await check.get('greeting'))?.toString()).toBe('hello world');
    } finally {
      await check.close();
    }
  });
});
