// A full scan of a table larger than the row cache streams: an aggregate over it, or iterate()
// over its rows, holds one batch of rows, not the table. Run in a child process whose V8 heap is far smaller than the table
// (40,000 rows of ~2 KB, 80 MB of text, against a 48 MB old space): a scan that kept the rows
// until it ended (to offer them to the row cache) ran out of memory there, as a COUNT(*) over a
// 10M-row table did at the default heap size.
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { makeTempDir, spawnTs, waitForExit } from '@sochdb/core/testing';

const dirs: { cleanup(): void }[] = [];
afterEach(() => dirs.splice(0).forEach((d) => d.cleanup()));

it('COUNT(*), SUM and iterate() over a table far larger than the row cache and the heap answer, in constant memory', async () => {
  const dir = makeTempDir();
  dirs.push(dir);
  const rows = 40_000;
  const child = spawnTs(join(import.meta.dirname, 'fixtures', 'count-large-table.ts'), [join(dir.path, 'db'), String(rows)], {
    env: { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --max-old-space-size=48` },
  });
  const { code, stdout, stderr } = await waitForExit(child);
  expect(stderr).not.toMatch(/heap out of memory/);
  expect(code).toBe(0);
  const evenIds = rows / 2;
  // Each even id contributes its own digits plus 2,000 characters.
  let digits = 0;
  let allDigits = 0;
  for (let id = 1; id <= rows; id++) {
    allDigits += String(id).length;
    if (id % 2 === 0) digits += String(id).length;
  }
  expect(JSON.parse(stdout.trim())).toEqual([rows, evenIds * 2_000 + digits, rows, rows * 2_000 + allDigits]);
}, 60_000);
