import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { spawnTs, waitForExit } from '@sochdb/core/testing';
import { describe, expect, it } from 'vitest';

const example = fileURLToPath(new URL('../examples/quickstart.ts', import.meta.url));
const readme = fileURLToPath(new URL('../README.md', import.meta.url));

describe('the README example', () => {
  it('runs as a real node process on a LevelDB folder and prints a context within its budget', async () => {
    const { code, stdout, stderr } = await waitForExit(spawnTs(example));
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout.trimEnd().split('\n')).toEqual([
      '## instructions',
      'You are a billing assistant. Be brief.',
      '',
      '## customer',
      'customer[1]{key,name,plan,since}:customer/42,Ada,pro,2021',
      '',
      '## orders',
      'orders[2]{id,item,total}:1,keyboard,49.5;2,monitor,199',
      '',
      '## messages (1 of 3 rows; 2 dropped)',
      'messages[1]{key,from,text}:messages/42/0002,Ada,Any update?',
      'true instructions: 1/1 rows, 12 tokens; customer: 1/1 rows, 24 tokens; orders: 2/2 rows, 24 tokens; messages: 1/3 rows, 34 tokens',
    ]);
  });

  it('is pasted into the README verbatim', () => {
    expect(readFileSync(readme, 'utf8')).toContain(readFileSync(example, 'utf8').trim());
  });
});
