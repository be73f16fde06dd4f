import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { waitForExit } from './process.js';

interface CliManifest {
  readonly version: string;
  readonly private?: boolean;
  readonly bin: Readonly<Record<string, string>>;
  readonly files: readonly string[];
  readonly engines: { readonly node: string };
}

/**
 * The checks every SochDB command-line package passes as npm installs it: publishable, its built
 * bin runs with node (shebang), `--version`/`-V` print the package.json version, and `--help`
 * names `helpWords`. Runs the real built `dist/` file as a child process: build the app first.
 */
export function describeInstalledCli(appDir: string, binName: string, helpWords: readonly string[]): void {
  const manifest = JSON.parse(readFileSync(join(appDir, 'package.json'), 'utf8')) as CliManifest;
  const bin = join(appDir, manifest.bin[binName] ?? `(no bin named ${binName})`);
  const run = (...args: string[]) => waitForExit(spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] }));

  describe(`${binName} as installed`, () => {
    beforeAll(() => {
      if (!existsSync(bin)) throw new Error(`${bin} is missing: build the app first (npx tsc -p ${appDir}/tsconfig.build.json)`);
    });

    it('is a publishable package whose bin runs with node', () => {
      expect(manifest.private).toBeUndefined();
      expect(manifest.files).toContain('dist');
      expect(manifest.engines.node).toBe('>=20.19');
      expect(readFileSync(bin, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    });

    it('--version and -V print the package.json version', async () => {
      for (const flag of ['--version', '-V']) {
        const r = await run(flag);
        expect(r.code, r.stderr).toBe(0);
        expect(r.stdout).toBe(`${manifest.version}\n`);
      }
    });

    it('--help names its commands and options', async () => {
      const r = await run('--help');
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`^Usage: ${binName}`));
      for (const word of [...helpWords, '--version']) expect(r.stdout).toContain(word);
    });
  });
}
