#!/usr/bin/env node
// sochdb-bulk: build, query, inspect and convert HNSW indexes and vector files offline.
import { createRequire } from 'node:module';
import { Command, InvalidArgumentError, Option } from 'commander';
import { SochDBError } from '@sochdb/core';
import { buildIndex, convertVectors, indexInfo, queryIndex } from './commands.js';

const positiveInt = (flag: string) => (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`${flag} must be a positive integer`);
  return n;
};
const metric = () => new Option('--metric <metric>', 'distance metric').choices(['cosine', 'euclidean', 'dot_product']).default('cosine');
const format = (flag: string, what: string) => new Option(flag, what).choices(['npy', 'raw_f32']);

// The version of the installed package, read at run time: from dist/cli.js (or src/cli.ts) the
// package's own package.json is one folder up.
const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

const program = new Command('sochdb-bulk')
  .version(version, '-V, --version', 'print the version and exit')
  .description('Bulk HNSW index tools for SochDB')
  .showHelpAfterError();

program
  .command('build-index')
  .description('Build an HNSW index file from a .npy or raw float32 file')
  .requiredOption('--input <path>', 'vectors: .npy (float32, 2-D) or raw little-endian float32')
  .requiredOption('--output <path>', 'index file to write')
  .option('--dimension <n>', 'vector dimension (required for raw input)', positiveInt('--dimension'))
  .option('--max-connections <m>', 'HNSW M', positiveInt('--max-connections'), 16)
  .option('--ef-construction <n>', 'HNSW efConstruction', positiveInt('--ef-construction'), 100)
  .addOption(metric())
  .addOption(format('--format <format>', 'input format (default: by extension)'))
  .option('--quiet', 'no progress bar')
  .action(buildIndex);

program
  .command('query')
  .description('Search an index with one or more query vectors')
  .requiredOption('--index <path>', 'index file')
  .requiredOption('--query <path>', 'query vectors: .npy or raw float32 (dimension of the index)')
  .option('--k <n>', 'neighbours per query', positiveInt('--k'), 10)
  .option('--ef <n>', 'efSearch', positiveInt('--ef'), 64)
  .option('--json', 'print JSON')
  .action(queryIndex);

program
  .command('info')
  .description('Print an index file’s parameters')
  .requiredOption('--index <path>', 'index file')
  .option('--json', 'print JSON')
  .action(indexInfo);

program
  .command('convert')
  .description('Convert vectors between .npy and raw float32')
  .requiredOption('--input <path>', 'input file')
  .requiredOption('--output <path>', 'output file')
  .addOption(format('--to-format <format>', 'output format').makeOptionMandatory())
  .addOption(format('--from-format <format>', 'input format (default: by extension)'))
  .option('--dimension <n>', 'vector dimension (required for raw input)', positiveInt('--dimension'))
  .action(convertVectors);

try {
  await program.parseAsync();
} catch (error) {
  const message =
    error instanceof SochDBError ? `${error.name} (${error.code}): ${error.message}${error.remediation ? `\n  ${error.remediation}` : ''}` : String(error);
  process.stderr.write(`sochdb-bulk: ${message}\n`);
  process.exit(1);
}
