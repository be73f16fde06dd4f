// The lint and format gate: ESLint with typescript-eslint's type-checked rules (eslint.config.mjs;
// no-floating-promises among them) and Prettier's check over every TypeScript and JavaScript file
// (.prettierrc.json, .prettierignore). `pnpm lint` runs the same two; `pnpm format` fixes the second.
import { it } from 'vitest';
import { binOf, runNode } from './run-node.js';

// Two single-threaded child processes: run side by side, they take the time of the longer one.
it.concurrent(
  'eslint . reports no problem',
  async ({ expect }) => {
    const { code, output } = await runNode(binOf('eslint', 'bin/eslint.js'), ['.', '--max-warnings=0']);
    expect(output.trim()).toBe('');
    expect(code).toBe(0);
  },
  600_000,
);

it.concurrent(
  'prettier --check . finds every file formatted',
  async ({ expect }) => {
    const { code, output } = await runNode(binOf('prettier', 'bin/prettier.cjs'), ['--check', '.', '--log-level=warn']);
    expect(output.trim()).toBe('');
    expect(code).toBe(0);
  },
  120_000,
);
