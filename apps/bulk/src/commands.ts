import { writeFile } from 'node:fs/promises';
import cliProgress from 'cli-progress';
import { bulkBuildIndex, bulkInfo, bulkQueryIndex, encodeNpy, encodeRawF32, readVectorFile, type Metric, type VectorFileFormat } from '@sochdb/vector';

export interface BuildFlags {
  readonly input: string;
  readonly output: string;
  readonly dimension?: number;
  readonly maxConnections: number;
  readonly efConstruction: number;
  readonly metric: Metric;
  readonly format?: VectorFileFormat;
  readonly quiet?: boolean;
}

export async function buildIndex(flags: BuildFlags): Promise<void> {
  // The bar goes to stderr so stdout stays the machine-readable summary.
  const bar = flags.quiet
    ? undefined
    : new cliProgress.SingleBar(
        { stream: process.stderr, format: 'building [{bar}] {percentage}% | {value}/{total} vectors | {rate} vec/s', hideCursor: false, noTTYOutput: false },
        cliProgress.Presets.shades_classic,
      );
  let started = false;
  const stats = await bulkBuildIndex(flags.input, {
    output: flags.output,
    m: flags.maxConnections,
    efConstruction: flags.efConstruction,
    metric: flags.metric,
    ...(flags.dimension === undefined ? {} : { dimension: flags.dimension }),
    ...(flags.format === undefined ? {} : { format: flags.format }),
    onProgress: (p) => {
      if (!bar) return;
      if (!started) {
        bar.start(p.total, 0, { rate: 0 });
        started = true;
      }
      bar.update(p.done, { rate: Math.round(p.rate) });
    },
  });
  bar?.stop();
  process.stdout.write(
    `built ${flags.output}: ${stats.vectors} vectors × ${stats.dimension} dims in ${stats.seconds.toFixed(2)} s (${Math.round(stats.rate)} vec/s), ${stats.bytes} bytes\n`,
  );
}

export interface QueryFlags {
  readonly index: string;
  readonly query: string;
  readonly k: number;
  readonly ef: number;
  readonly json?: boolean;
}

export async function queryIndex(flags: QueryFlags): Promise<void> {
  const info = await bulkInfo(flags.index);
  const queries = await readVectorFile(flags.query, { dimension: info.dimension });
  const results = await bulkQueryIndex({ index: flags.index, queries, k: flags.k, efSearch: flags.ef });
  if (flags.json) {
    process.stdout.write(`${JSON.stringify(results)}\n`);
    return;
  }
  results.forEach((neighbors, i) => {
    process.stdout.write(`query ${i}:\n`);
    for (const n of neighbors) process.stdout.write(`  ${n.id}\t${n.distance.toFixed(6)}\n`);
  });
}

export async function indexInfo(flags: { readonly index: string; readonly json?: boolean }): Promise<void> {
  const info = await bulkInfo(flags.index);
  if (flags.json) {
    process.stdout.write(`${JSON.stringify(info)}\n`);
    return;
  }
  for (const [key, value] of Object.entries(info)) process.stdout.write(`${key}: ${String(value)}\n`);
}

export interface ConvertFlags {
  readonly input: string;
  readonly output: string;
  readonly toFormat: VectorFileFormat;
  readonly fromFormat?: VectorFileFormat;
  readonly dimension?: number;
}

export async function convertVectors(flags: ConvertFlags): Promise<void> {
  const matrix = await readVectorFile(flags.input, {
    ...(flags.fromFormat === undefined ? {} : { format: flags.fromFormat }),
    ...(flags.dimension === undefined ? {} : { dimension: flags.dimension }),
  });
  const bytes = flags.toFormat === 'npy' ? encodeNpy(matrix) : encodeRawF32(matrix);
  await writeFile(flags.output, bytes, { mode: 0o600 });
  process.stdout.write(`converted ${matrix.rows} vectors × ${matrix.dimension} dims to ${flags.toFormat}: ${flags.output}\n`);
}
