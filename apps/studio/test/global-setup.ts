// Once before the studio's tests: make sure Debian's Chromium is there for the browser tests
// (installing it on a CI machine running as root), and that the UI is built and current — the
// server tests run against src/, which serves dist/ui.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const STUDIO = resolve(import.meta.dirname, '..');
const CHROMIUM = '/usr/bin/chromium';

function ensureChromium(): void {
  if (existsSync(CHROMIUM)) return;
  const install = ['install', '-y', '--no-install-recommends', 'chromium'];
  if (process.getuid?.() !== 0) {
    throw new Error(
      `The studio's browser tests need Debian's Chromium at ${CHROMIUM}. Install it: sudo apt-get update && sudo apt-get install -y --no-install-recommends chromium`,
    );
  }
  try {
    execFileSync('apt-get', install, { stdio: 'inherit' });
  } catch {
    // A fresh machine's package lists may be empty or stale.
    execFileSync('apt-get', ['update'], { stdio: 'inherit' });
    execFileSync('apt-get', install, { stdio: 'inherit' });
  }
  if (!existsSync(CHROMIUM)) throw new Error(`apt-get installed chromium, but there is no ${CHROMIUM}`);
}

/** The newest modification time of the files under `dir`. */
function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) latest = Math.max(latest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return latest;
}

/** Builds the UI when dist/ui is missing or older than a file of ui/ or the Vite config. */
async function ensureUiBuilt(): Promise<void> {
  const index = join(STUDIO, 'dist/ui/index.html');
  const config = join(STUDIO, 'vite.config.mjs');
  if (existsSync(index) && statSync(index).mtimeMs >= Math.max(newest(join(STUDIO, 'ui')), statSync(config).mtimeMs)) return;
  const { build } = await import('vite');
  try {
    await build({ configFile: config, logLevel: 'warn' });
  } catch (error) {
    throw new Error(`Building the studio's UI failed; run \`pnpm --filter @sochdb/studio build\` to see why.`, { cause: error });
  }
}

export default async function setup(): Promise<void> {
  ensureChromium();
  await ensureUiBuilt();
}
