// runShell in this process (as `sochdb shell` calls it) on a real LevelDB folder, plus the
// statement splitter it relies on: output modes, KV commands, .read, .bail, .exit and errors.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '@sochdb/core/testing';
import { Database } from '@sochdb/sdk';
import { fromToon } from '@sochdb/toon';
import { runShell, splitStatements } from '../src/shell/index.ts';

let dir: ReturnType<typeof makeTempDir>;
beforeAll(() => {
  dir = makeTempDir('sochdb-shell-api-');
});
afterAll(() => dir.cleanup());

function collector() {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (d: Buffer) => (text += d.toString()));
  return { stream, text: () => text };
}

async function shell(database: string, script: string) {
  const out = collector();
  const err = collector();
  const code = await runShell({ database, input: Readable.from([script]), output: out.stream, errorOutput: err.stream });
  return { code, stdout: out.text(), stderr: err.text() };
}

describe('splitStatements', () => {
  it('ends statements at ; outside literals, identifiers, comments and trigger bodies', () => {
    const text = `SELECT 'a;b', "c;d", [e;f], \`g;h\` /* ; */ -- ;
;  ; SELECT 'it''s;'; CREATE TRIGGER t AFTER INSERT ON x BEGIN UPDATE y SET n = n + 1; DELETE FROM z; END; SELECT 2`;
    const { statements, rest, restIsBlank } = splitStatements(text);
    expect(statements.map((s) => s.sql)).toEqual([
      `SELECT 'a;b', "c;d", [e;f], \`g;h\` /* ; */ -- ;\n;`,
      `SELECT 'it''s;';`,
      'CREATE TRIGGER t AFTER INSERT ON x BEGIN UPDATE y SET n = n + 1; DELETE FROM z; END;',
    ]);
    expect(rest.trim()).toBe('SELECT 2');
    expect(restIsBlank).toBe(false);
    expect(splitStatements("SELECT 'open;").statements).toEqual([]);
    expect(splitStatements('SELECT 1; -- done').restIsBlank).toBe(true);
  });
});

describe('runShell', () => {
  it('prints every output mode, runs KV dot commands, and exits 1 after an error', async () => {
    const db = join(dir.path, 'modes');
    const { code, stdout, stderr } = await shell(
      db,
      [
        "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, data BLOB); INSERT INTO t VALUES (1, 'a, \"quoted\"', x'00ff'), (2, NULL, NULL);",
        '.mode toon',
        'SELECT id, name FROM t ORDER BY id;',
        '.mode csv',
        'SELECT * FROM t ORDER BY id;',
        '.mode line',
        'SELECT * FROM t WHERE id = 1;',
        '.mode',
        '.mode xml',
        '.put user:1 {"name":"alice"}',
        ".put user:2 'b c'",
        '.put other x',
        '.mode json',
        '.scan user: 1',
        '.del user:1',
        '.scan user:',
        '.get missing',
      ].join('\n'),
    );
    expect(code).toBe(1);
    expect(stderr).toBe('Error [6000]: unknown output mode "xml": use one of table, json, toon, csv, line (near input line 9)\n');
    const toon = /^result\[2\].*$/m.exec(stdout)![0];
    expect(fromToon(toon).records).toEqual([
      { id: 1, name: 'a, "quoted"' },
      { id: 2, name: null },
    ]);
    expect(stdout).toContain('id,name,data\r\n1,"a, ""quoted""",x\'00ff\'\r\n2,,\r\n');
    expect(stdout).toContain('  id = 1\nname = a, "quoted"\ndata = x\'00ff\'\n');
    expect(stdout).toContain('current output mode: line\n');
    expect(stdout).toContain('[{"key":"user:1","value":"{\\"name\\":\\"alice\\"}"}]\n[{"key":"user:2","value":"b c"}]\n[]\n');
    // KV lives in the database's default key-value space, the one db.get reads.
    const check = await Database.open(db);
    try {
      expect((await check.get('user:2'))?.toString()).toBe('b c');
      expect(await check.get('user:1')).toBeNull();
    } finally {
      await check.close();
    }
  });

  it('.stats prints nested counters (the row cache) one per row', async () => {
    const { code, stdout } = await shell(
      join(dir.path, 'stats'),
      ['CREATE TABLE t (id INTEGER PRIMARY KEY); INSERT INTO t VALUES (1), (2);', 'SELECT * FROM t;', '.mode json', '.stats'].join('\n'),
    );
    expect(code).toBe(0);
    const rows = JSON.parse(stdout.slice(stdout.lastIndexOf('[{'))) as { stat: string; value: unknown }[];
    const stat = (name: string) => rows.find((r) => r.stat === name)?.value;
    // The scan of t filled the shell's row cache (the shell keeps the default cache).
    expect(stat('rowCache.rows')).toBe(2);
    expect(stat('rowCache.tables')).toBe(1);
    expect(rows.some((r) => String(r.value).includes('[object Object]'))).toBe(false);
  });

  it('.read runs a file, .bail stops at the first error, .exit sets the code', async () => {
    const file = join(dir.path, 'part.sql');
    writeFileSync(file, 'CREATE TABLE r (x);\nINSERT INTO r VALUES (1),\n  (2);\nSELECT nope FROM r;\n');
    const read = await shell(join(dir.path, 'read'), `.read ${file}\n.mode csv\nSELECT sum(x) AS s FROM r;\n.exit 3\nSELECT 'never';`);
    expect(read.stderr).toBe(`Error [5006]: no such column: nope (near line 4 of ${file})\n`);
    expect(read.stdout).toBe('s\r\n3\r\n');
    expect(read.code).toBe(3);

    const clean = await shell(':memory:', 'SELECT 1 AS one;\n.quit\n');
    expect(clean).toEqual({ code: 0, stdout: '+-----+\n| one |\n+-----+\n|   1 |\n+-----+\n', stderr: '' });

    const bail = await shell(':memory:', ".bail on\nSELECT 1/;\nSELECT 'never';\n");
    expect(bail.code).toBe(1);
    expect(bail.stderr).toMatch(/^Error \[5004\]: /);
    expect(bail.stdout).toBe('');
  });

  it('reports a database it cannot open as one error line and exits 1', async () => {
    const path = join(dir.path, 'locked');
    const holder = await Database.open(path);
    try {
      const { code, stderr } = await shell(path, 'SELECT 1;\n');
      expect(code).toBe(1);
      expect(stderr).toMatch(/^Error \[\d+\]: .+\n$/);
    } finally {
      await holder.close();
    }
  });
});
