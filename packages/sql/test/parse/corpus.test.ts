// Every statement SQLite runs in the vendored sqllogictest corpus must parse. Records are read with
// a minimal slt reader: blank-line separated, `#` comments, optional skipif/onlyif lines, then
// `statement ok|error` or `query …` with the SQL up to `----`.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSql } from '../../src/parse/index.js';

const CORPUS = join(import.meta.dirname, '../../conformance/sqllogictest');

function testFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? testFiles(path) : name.endsWith('.test') ? [path] : [];
    });
}

/** The SQL of every record SQLite itself is expected to accept. */
function acceptedStatements(text: string): string[] {
  const statements: string[] = [];
  for (const block of text.split(/\r?\n\s*\r?\n/)) {
    const lines = block.split(/\r?\n/).filter((line) => !line.startsWith('#'));
    let skip = false;
    while (lines.length > 0 && /^(skipif|onlyif)\s/.test(lines[0]!)) {
      const [condition, db] = lines.shift()!.split(/\s+/);
      if ((condition === 'skipif') === (db === 'sqlite')) skip = true;
    }
    const head = lines[0]?.trim() ?? '';
    if (skip || !(head === 'statement ok' || head.startsWith('query'))) continue;
    const end = lines.indexOf('----');
    const sql = lines.slice(1, end < 0 ? undefined : end).join('\n');
    if (sql.trim() !== '') statements.push(sql);
  }
  return statements;
}

describe.skipIf(!existsSync(CORPUS))('vendored sqllogictest corpus', () => {
  const files = existsSync(CORPUS) ? testFiles(CORPUS) : [];
  for (const file of files) {
    it(`parses ${file.slice(CORPUS.length + 1)}`, () => {
      const failures: string[] = [];
      let count = 0;
      for (const sql of acceptedStatements(readFileSync(file, 'utf8'))) {
        count++;
        try {
          parseSql(sql);
        } catch (error) {
          if (failures.length < 5) failures.push(`${sql.slice(0, 200)}\n  ${error instanceof Error ? error.message : String(error)}`);
        }
      }
      expect(count).toBeGreaterThan(0);
      expect(failures).toEqual([]);
    });
  }
});
