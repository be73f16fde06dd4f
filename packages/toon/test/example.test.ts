import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { spawnTs, waitForExit } from '@sochdb/core/testing';
import { describe, expect, it } from 'vitest';

const example = fileURLToPath(new URL('../examples/toon.ts', import.meta.url));
const readme = fileURLToPath(new URL('../README.md', import.meta.url));

describe('the README example', () => {
  it("runs as a real node process and prints the guide's TOON output", async () => {
    const { code, stdout, stderr } = await waitForExit(spawnTs(example));
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout.trimEnd().split('\n')).toEqual([
      'users[2]{name,email}:Alice,alice@example.com;Bob,bob@example.com',
      `users [ 'name', 'email' ] [{"name":"Alice","email":"alice@example.com"},{"name":"Bob","email":"bob@example.com"}]`,
      't[1]{n,s,ok,none,text,tags}:42,"42",true,null,"a, b; \\"c\\"",["x","y"]',
      '[{"n":42,"s":"42","ok":true,"none":null,"text":"a, b; \\"c\\"","tags":["x","y"]}]',
      '6002 at 24: the header promises 3 rows but the text ends after 2 (at offset 24)',
      'users[2]{id,name,email}:',
      '  1,Alice,alice@example.com',
      '  2,Bob,bob@example.com',
      '{"users":[{"id":1,"name":"Alice","email":"alice@example.com"},{"id":2,"name":"Bob","email":"bob@example.com"}]}',
    ]);
  });

  it('is pasted into the README verbatim', () => {
    expect(readFileSync(readme, 'utf8')).toContain(readFileSync(example, 'utf8').trim());
  });
});
