// The API reference builds from the sources without a warning (typedoc.json; `pnpm docs` writes it
// to docs/api): every public export of every package has a doc comment, and every {@link} resolves.
import { expect, it } from 'vitest';
import { binOf, runNode } from './run-node.js';

it('typedoc validates every package with no warning', async () => {
  const { code, output } = await runNode(binOf('typedoc', 'bin/typedoc'), ['--emit', 'none', '--logLevel', 'Warn'], { ...process.env, NO_COLOR: '1' });
  expect(output.trim()).toBe('');
  expect(code).toBe(0);
}, 600_000);
