import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { spawnTs, waitForExit } from '@sochdb/core/testing';

const root = join(import.meta.dirname, '..');
const example = join(root, 'examples', 'quickstart.ts');

describe('README example', () => {
  it('runs as a real process and prints what the README says', async () => {
    const result = await waitForExit(spawnTs(example));
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      [
        'Alice: 2 orders, $1024.99',
        'Bob: 1 orders, $75',
        'alice@acme.com',
        'refused: FOREIGN KEY (code 5002)',
        'SEARCH orders USING INDEX orders_amount (amount>?)',
        '',
      ].join('\n'),
    );
  });

  it('is pasted verbatim in the README', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    expect(readme).toContain(readFileSync(example, 'utf8').trim());
  });
});
