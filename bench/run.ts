// `pnpm bench <name…>` runs bench/<name>.ts for each name (all when none is given) and prints
// a table per benchmark: our figure beside the raw dependency or peer, measured in the same run.
// Packages load from their built dist/ (what users run), which the set-up step builds first.
// `BENCH_QUICK=1` shrinks data sizes for a smoke run.
import { readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const available = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts')
  .map((f) => basename(f, '.ts'))
  .sort();
// Run only when named: io-memory writes GBs of files and scale builds a million documents (minutes to hours).
const OPT_IN = new Set(['io-memory', 'peers', 'scale', 'scale-rows', 'semantic-cache']);
const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const names = wanted.length > 0 ? wanted : available.filter((name) => !OPT_IN.has(name));
for (const name of names) {
  if (!available.includes(name)) {
    console.error(`unknown benchmark '${name}'; available: ${available.join(', ')}`);
    process.exit(2);
  }
}
for (const name of names) {
  console.log(`\n## ${name}\n`);
  const mod = (await import(pathToFileURL(join(here, `${name}.ts`)).href)) as { default: () => Promise<void> };
  await mod.default();
}
