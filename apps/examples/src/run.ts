// Runs the guide's examples: `npm run example -- <name>…` (a file name, its number or its slug), or lists them.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join } from 'node:path';

const here = fileURLToPath(new URL('.', import.meta.url));
// Run from source (tsx) the examples are .ts files; from a build (dist/) they are .js files.
const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
const examples = readdirSync(here)
  .filter((f) => /^\d\d-[a-z0-9-]+\.[jt]s$/.test(f) && f.endsWith(ext))
  .sort()
  .map((file) => ({ file, stem: file.slice(0, -3), title: titleOf(join(here, file)) }));

/** The first comment line of an example is its title. */
function titleOf(path: string): string {
  return (readFileSync(path, 'utf8').match(/^\/\/ (.*)$/m)?.[1] ?? '').trim();
}

function find(name: string) {
  const wanted = name.replace(/\.[jt]s$/, '');
  return examples.find((e) => e.stem === wanted || e.stem.slice(0, 2) === wanted.padStart(2, '0') || e.stem.slice(3) === wanted);
}

const args = process.argv.slice(2);
// --separate: frame each example's output with marker lines (the end-to-end test runs several per process).
const separate = args.includes('--separate');
const names = args.filter((a) => a !== '--separate');

if (names.length === 0) {
  process.stdout.write('Usage: npm run example -- <name>   (e.g. npm run example -- 01-quick-start, npm run example -- 12)\n\n');
  for (const e of examples) process.stdout.write(`  ${e.stem.padEnd(30)} ${e.title}\n`);
} else {
  const unknown = names.filter((n) => !find(n));
  if (unknown.length > 0) {
    process.stderr.write(`unknown example(s): ${unknown.join(', ')}; run without a name to list them\n`);
    process.exit(2);
  }
  for (const name of names) {
    const example = find(name)!;
    if (separate) process.stdout.write(`::example ${example.stem}::\n`);
    try {
      // Each example is a top-level-await module: importing it runs it to the end.
      await import(pathToFileURL(join(here, example.file)).href);
      if (separate) process.stdout.write(`::end ${example.stem} ok::\n`);
    } catch (error) {
      process.exitCode = 1;
      process.stderr.write(`${example.stem} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      if (separate) process.stdout.write(`::end ${example.stem} error::\n`);
      else break;
    }
  }
}
