import { spawnTs, waitForExit } from '@sochdb/core/testing';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const example = join(root, 'examples', 'quickstart.ts');

describe('README example', () => {
  it('runs and prints the documented results', async () => {
    const { code, stdout, stderr } = await waitForExit(spawnTs(example));
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout.trim().split('\n')).toEqual([
      'vector: nets 0.993, intro 0.990',
      'filtered: nets 0.993, graphs 0.000',
      'keyword: nets 1.417, intro 0.459',
      'hybrid: nets 0.016, intro 0.016, graphs 0.011',
      'page: graphs {"source":"web","year":2024,"reviewed":true}, nets {"source":"pdf","year":2024}',
      'deleted: 1 left: 2',
      'loaded: b at 0.100',
      'bulk: built 3 vectors; nearest row 1; dimension 2, m 16',
    ]);
  });

  it('is pasted verbatim in the README', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    expect(readme).toContain(readFileSync(example, 'utf8').trim());
  });
});
