// The API reference builds from the sources without a warning, exactly as `pnpm docs` builds it
// (typedoc.json; rendered here into a temp folder instead of docs/api): every public export of
// every package has a doc comment, every {@link} resolves, every code block's language renders.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { binOf, runNode } from './run-node.js';

it('typedoc renders every package with no warning', async () => {
  const out = mkdtempSync(join(tmpdir(), 'sochdb-docs-'));
  try {
    const { code, output } = await runNode(binOf('typedoc', 'bin/typedoc'), ['--out', out, '--logLevel', 'Warn'], { ...process.env, NO_COLOR: '1' });
    expect(output.trim()).toBe('');
    expect(code).toBe(0);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}, 600_000);
