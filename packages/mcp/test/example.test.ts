// The README's example runs, prints what the README says, and appears in the README verbatim.
// It runs in this process (imported, its console.log captured): a child process would add
// seconds of start-up and test nothing more.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readmeIncludesExample } from '@sochdb/core/testing';
import { describe, expect, it, vi } from 'vitest';

const example = fileURLToPath(new URL('../examples/in-process.ts', import.meta.url));
const readme = fileURLToPath(new URL('../README.md', import.meta.url));

describe('README example', () => {
  it('runs and prints what the README says', async () => {
    const lines: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((line: unknown) => void lines.push(String(line)));
    try {
      await import('../examples/in-process.ts');
    } finally {
      log.mockRestore();
    }
    const printed = `${lines.join('\n')}\n`;
    expect(readmeIncludesExample(readme, example)).toBe(true);
    // The README shows the output whole: it must be what the example prints.
    expect(readFileSync(readme, 'utf8')).toContain(`It prints:\n\n\`\`\`text\n${printed}\`\`\``);
    expect(printed).toContain('sql_query: rows[1]{id,subject}:1,Refund for order 7\n');
    expect(printed).toContain('sql_query (error): TransactionError (2001): sql_query is read-only');
  });
});
