// CREATE / DROP / ALTER trees, including the source text SQLite keeps in its schema.
import { describe, expect, it } from 'vitest';
import { parseSql } from '../../src/parse/index.js';
import { NULL, bin, col, core, fn, joined, lit, one, query, rc, table, un } from './builders.js';

describe('CREATE TABLE', () => {
  it('reads column types and every column constraint', () => {
    const sql =
      'CREATE TEMP TABLE IF NOT EXISTS main.t (' +
      'id INTEGER CONSTRAINT pk PRIMARY KEY DESC ON CONFLICT REPLACE AUTOINCREMENT, ' +
      'name VARCHAR(20) NOT NULL ON CONFLICT IGNORE COLLATE nocase UNIQUE, ' +
      'n DECIMAL(10, 5) NULL CHECK (n > 0) DEFAULT (1 + 2), ' +
      'p "DOUBLE" PRECISION DEFAULT -5 REFERENCES parent (id) ON DELETE CASCADE ON UPDATE SET NULL MATCH FULL DEFERRABLE INITIALLY DEFERRED, ' +
      'g INT GENERATED ALWAYS AS (n * 2) STORED, ' +
      'v AS (n + 1), ' +
      'w' +
      ')';
    const statement = one(sql);
    expect(statement).toEqual({
      kind: 'createTable',
      text: sql,
      temp: true,
      ifNotExists: true,
      schema: 'main',
      name: 't',
      columns: [
        {
          name: 'id',
          type: 'INTEGER',
          constraints: [{ name: 'pk', kind: 'primaryKey', desc: true, onConflict: 'REPLACE', autoincrement: true }],
        },
        {
          name: 'name',
          type: 'VARCHAR(20)',
          constraints: [
            { name: undefined, kind: 'notNull', onConflict: 'IGNORE' },
            { name: undefined, kind: 'collate', collation: 'NOCASE' },
            { name: undefined, kind: 'unique', onConflict: undefined },
          ],
        },
        {
          name: 'n',
          type: 'DECIMAL(10,5)',
          constraints: [
            { name: undefined, kind: 'null' },
            { name: undefined, kind: 'check', expr: bin('>', col('n'), lit(0n)), text: 'n > 0' },
            { name: undefined, kind: 'default', expr: bin('+', lit(1n), lit(2n)), text: '1 + 2' },
          ],
        },
        {
          name: 'p',
          type: 'DOUBLE PRECISION',
          constraints: [
            { name: undefined, kind: 'default', expr: un('-', lit(5n)), text: '-5' },
            {
              name: undefined,
              kind: 'references',
              foreignKey: { table: 'parent', columns: ['id'], onDelete: 'CASCADE', onUpdate: 'SET NULL', deferred: true },
            },
          ],
        },
        {
          name: 'g',
          type: 'INT',
          constraints: [{ name: undefined, kind: 'generated', expr: bin('*', col('n'), lit(2n)), text: 'n * 2', stored: true }],
        },
        { name: 'v', type: '', constraints: [{ name: undefined, kind: 'generated', expr: bin('+', col('n'), lit(1n)), text: 'n + 1', stored: false }] },
        { name: 'w', type: '', constraints: [] },
      ],
      constraints: [],
      withoutRowid: false,
      strict: false,
      asSelect: undefined,
    });
  });

  it('reads every DEFAULT form with its text', () => {
    const statement = one(
      "CREATE TABLE t(a DEFAULT 'x', b DEFAULT 1.5, c DEFAULT +3, d DEFAULT - 9223372036854775808, e DEFAULT CURRENT_TIMESTAMP, " +
        "f DEFAULT NULL, g DEFAULT true, h DEFAULT abc, i DEFAULT \"q\", j DEFAULT ( 'p' || 'q' ), k DEFAULT x'00')",
    );
    if (statement.kind !== 'createTable') throw new Error('expected CREATE TABLE');
    const defaults = statement.columns.map((c) => c.constraints[0]);
    expect(defaults).toEqual(
      [
        [lit('x'), "'x'"],
        [lit(1.5), '1.5'],
        [lit(3n), '+3'],
        [lit(-9223372036854775808n), '- 9223372036854775808'],
        [fn('current_timestamp', [], { keyword: true }), 'CURRENT_TIMESTAMP'],
        [NULL, 'NULL'],
        [lit(1n), 'true'],
        [lit('abc'), 'abc'],
        [lit('q'), '"q"'],
        [bin('||', lit('p'), lit('q')), "'p' || 'q'"],
        [lit(new Uint8Array([0])), "x'00'"],
      ].map(([expr, text]) => ({ name: undefined, kind: 'default', expr, text })),
    );
  });

  it('reads table constraints, with or without commas between them, and table options', () => {
    const statement = one(
      'CREATE TABLE "t" (a, b, CONSTRAINT pk PRIMARY KEY (a, b DESC AUTOINCREMENT) ON CONFLICT ABORT, UNIQUE (b COLLATE binary) ' +
        'CHECK (a <> b) FOREIGN KEY (a) REFERENCES p ON DELETE NO ACTION NOT DEFERRABLE) WITHOUT ROWID, STRICT',
    );
    expect(statement).toMatchObject({
      name: 't',
      columns: [
        { name: 'a', type: '', constraints: [] },
        { name: 'b', type: '', constraints: [] },
      ],
      constraints: [
        {
          name: 'pk',
          kind: 'primaryKey',
          columns: [
            { expr: col('a'), collation: undefined, desc: false },
            { expr: col('b'), collation: undefined, desc: true },
          ],
          onConflict: 'ABORT',
          autoincrement: true,
        },
        { name: undefined, kind: 'unique', columns: [{ expr: col('b'), collation: 'BINARY', desc: false }], onConflict: undefined },
        { name: undefined, kind: 'check', expr: bin('!=', col('a'), col('b')), text: 'a <> b' },
        {
          name: undefined,
          kind: 'foreignKey',
          columns: ['a'],
          foreignKey: { table: 'p', columns: [], onDelete: 'NO ACTION', onUpdate: undefined, deferred: false },
        },
      ],
      withoutRowid: true,
      strict: true,
    });
  });

  it('reads CREATE TABLE … AS SELECT and string / keyword names', () => {
    expect(one('CREATE TABLE c AS SELECT 1')).toMatchObject({ name: 'c', columns: [], constraints: [], asSelect: query(core([rc(lit(1n), '1')])) });
    expect(one("CREATE TABLE 't'(x)")).toMatchObject({ name: 't', columns: [{ name: 'x' }] });
    expect(one('CREATE TABLE key(action, replace TEXT, left)')).toMatchObject({
      name: 'key',
      columns: [{ name: 'action' }, { name: 'replace', type: 'TEXT' }, { name: 'left' }],
    });
  });

  it('keeps the exact statement text without the trailing semicolon', () => {
    const [first, second] = parseSql('  CREATE TABLE a (x)  ;\n-- c\nCREATE INDEX i ON a(x) /* tail */;');
    expect(first).toMatchObject({ text: 'CREATE TABLE a (x)' });
    expect(second).toMatchObject({ text: 'CREATE INDEX i ON a(x)' });
  });
});

describe('CREATE INDEX and VIEW', () => {
  it('reads UNIQUE, IF NOT EXISTS, expression columns, COLLATE, DESC and WHERE', () => {
    expect(one('CREATE UNIQUE INDEX IF NOT EXISTS s.i ON t (a COLLATE nocase DESC, lower(b)) WHERE a IS NOT NULL')).toEqual({
      kind: 'createIndex',
      text: 'CREATE UNIQUE INDEX IF NOT EXISTS s.i ON t (a COLLATE nocase DESC, lower(b)) WHERE a IS NOT NULL',
      unique: true,
      ifNotExists: true,
      schema: 's',
      name: 'i',
      table: 't',
      columns: [
        { expr: col('a'), collation: 'NOCASE', desc: true },
        { expr: fn('lower', [col('b')]), collation: undefined, desc: false },
      ],
      where: bin('IS NOT', col('a'), NULL),
    });
  });

  it('reads views with column lists', () => {
    expect(one('CREATE TEMPORARY VIEW IF NOT EXISTS v (x, y) AS SELECT a, b FROM t')).toEqual({
      kind: 'createView',
      text: 'CREATE TEMPORARY VIEW IF NOT EXISTS v (x, y) AS SELECT a, b FROM t',
      temp: true,
      ifNotExists: true,
      schema: undefined,
      name: 'v',
      columns: ['x', 'y'],
      query: query(core([rc(col('a'), 'a'), rc(col('b'), 'b')], { from: { items: [joined(table('t'))] } })),
    });
  });
});

describe('CREATE TRIGGER', () => {
  it('keeps the ; inside the body within the statement', () => {
    const sql =
      'CREATE TRIGGER IF NOT EXISTS tr AFTER UPDATE OF a, b ON t FOR EACH ROW WHEN new.a > 0 BEGIN ' +
      "INSERT INTO log VALUES (new.a); UPDATE t SET b = 1 WHERE rowid = new.rowid; DELETE FROM x; SELECT RAISE(ABORT, 'no'); END";
    const statements = parseSql(`${sql}; SELECT 1`);
    expect(statements).toHaveLength(2);
    expect(statements[0]).toMatchObject({
      kind: 'createTrigger',
      text: sql,
      temp: false,
      ifNotExists: true,
      name: 'tr',
      timing: 'AFTER',
      event: 'UPDATE',
      columns: ['a', 'b'],
      table: 't',
      forEachRow: true,
      when: bin('>', col('a', 'new'), lit(0n)),
      body: [
        { kind: 'insert', table: 'log', source: { kind: 'values', rows: [[col('a', 'new')]] } },
        { kind: 'update', sets: [{ columns: ['b'], value: lit(1n) }], where: bin('=', col('rowid'), col('rowid', 'new')) },
        { kind: 'delete', target: table('x') },
        { kind: 'select', query: { first: { columns: [rc({ kind: 'raise', action: 'ABORT', message: lit('no') }, "RAISE(ABORT, 'no')")] } } },
      ],
    });
  });

  it('defaults to BEFORE and reads INSTEAD OF, INSERT and DELETE events', () => {
    expect(one('CREATE TEMP TRIGGER r INSERT ON t BEGIN SELECT 1; END')).toMatchObject({
      temp: true,
      timing: 'BEFORE',
      event: 'INSERT',
      forEachRow: false,
      when: undefined,
    });
    expect(one('CREATE TRIGGER r INSTEAD OF DELETE ON v BEGIN DELETE FROM t WHERE id = old.id; END')).toMatchObject({
      timing: 'INSTEAD OF',
      event: 'DELETE',
      columns: undefined,
    });
  });
});

describe('DROP and ALTER', () => {
  it('reads DROP of every object kind', () => {
    expect(one('DROP TABLE IF EXISTS main.t')).toEqual({ kind: 'drop', object: 'TABLE', ifExists: true, schema: 'main', name: 't' });
    expect(one('DROP INDEX i')).toEqual({ kind: 'drop', object: 'INDEX', ifExists: false, schema: undefined, name: 'i' });
    expect(one('DROP VIEW v')).toMatchObject({ object: 'VIEW' });
    expect(one('DROP TRIGGER tr')).toMatchObject({ object: 'TRIGGER' });
  });

  it('reads every ALTER TABLE action', () => {
    const base = { kind: 'alterTable', schema: 's', table: 't' };
    expect(one('ALTER TABLE s.t RENAME TO u')).toEqual({ ...base, action: { kind: 'renameTable', to: 'u' } });
    expect(one('ALTER TABLE s.t RENAME COLUMN a TO b')).toEqual({ ...base, action: { kind: 'renameColumn', from: 'a', to: 'b' } });
    expect(one('ALTER TABLE s.t RENAME a TO b')).toEqual({ ...base, action: { kind: 'renameColumn', from: 'a', to: 'b' } });
    expect(one("ALTER TABLE s.t ADD COLUMN c TEXT NOT NULL DEFAULT ''")).toEqual({
      ...base,
      action: {
        kind: 'addColumn',
        text: "c TEXT NOT NULL DEFAULT ''",
        column: {
          name: 'c',
          type: 'TEXT',
          constraints: [
            { name: undefined, kind: 'notNull', onConflict: undefined },
            { name: undefined, kind: 'default', expr: lit(''), text: "''" },
          ],
        },
      },
    });
    expect(one('ALTER TABLE s.t ADD d')).toMatchObject({ action: { kind: 'addColumn', text: 'd', column: { name: 'd', type: '' } } });
    expect(one('ALTER TABLE s.t DROP COLUMN c')).toEqual({ ...base, action: { kind: 'dropColumn', column: 'c' } });
  });
});
