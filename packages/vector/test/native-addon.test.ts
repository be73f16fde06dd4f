// hnswlib-node's addon missing (its build script not run): a typed error that says what to do.
import { fileURLToPath } from 'node:url';
import { spawnTs, waitForExit } from '@sochdb/core/testing';
import { expect, it } from 'vitest';

it('importing works and the first index is a NativeAddonError naming the fix for npm, pnpm and yarn', async () => {
  const fixture = fileURLToPath(new URL('./fixtures/no-addon.ts', import.meta.url));
  const { code, stdout, stderr } = await waitForExit(spawnTs(fixture));
  expect(stderr).toBe('');
  expect(code).toBe(0);
  const [imported, reported] = stdout.trimEnd().split('\n');
  expect(imported).toBe('imported');
  const error = JSON.parse(reported!) as { name: string; code: number; message: string; remediation: string };
  expect(error).toMatchObject({
    name: 'NativeAddonError',
    code: 9007,
    message: expect.stringMatching(/hnswlib-node native addon could not be loaded: Could not locate the bindings file/),
  });
  for (const hint of [
    'python3, make and a C++ compiler',
    'npm rebuild hnswlib-node',
    '"onlyBuiltDependencies": ["hnswlib-node", "classic-level"]',
    'yarn rebuild',
  ]) {
    expect(error.remediation).toContain(hint);
  }
});
