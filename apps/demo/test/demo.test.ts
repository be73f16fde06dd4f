// The main demo (what `npm run demo` runs) as a real child process on a real LevelDB folder.
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { spawnTs, waitForExit } from '@sochdb/core/testing';

it('runs the RAG demo end to end', async () => {
  const { code, stdout, stderr } = await waitForExit(spawnTs(join(import.meta.dirname, '..', 'src', 'main.ts')));
  expect(stderr).toBe('');
  expect(code).toBe(0);
  expect(stdout).toMatch(/database folder: .*sochdb-demo-/);
  expect(stdout).toContain('1. KV: alice@example.com');
  expect(stdout).toContain('2. Indexed 6 documents');
  expect(stdout).toMatch(/3\. Question: .*\n {3}rrf +score 0\.\d+/); // fusion doc ranks first for a fusion question
  expect(stdout).toMatch(/4\. Prompt context as TOON \((\d+) chars vs (\d+) as pretty JSON\):\n {3}context\[3\]\{id,author,team,year,text\}:/);
  expect(stdout).toMatch(/5\. Queue: claimed task [0-9a-f]{8}… payload \{"notify":"alice"/);
  expect(stdout).toContain('6. Graph: author 3 wrote rrf, toon');
  expect(stdout).toMatch(/7\. Checkpoint at LSN \d+; \d+ keys, \d+ transactions committed/);
  expect(stdout.trim().endsWith('Done.')).toBe(true);
});
