import { constants } from 'node:fs';
import { access, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import cliProgress from 'cli-progress';
import { DimensionMismatchError, SochDBError, ValidationError } from '@sochdb/core';
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
  // Checked before anything is read or built: a build can take minutes.
  await requireWritableOutput(flags.output);
  const started = process.hrtime.bigint();
  // The CLI reads the file itself so that a `--dimension` that disagrees with a .npy file's is
  // a DimensionMismatchError (6001), not a file-format error.
  const matrix = await readVectorFile(flags.input, {
    ...(flags.format === undefined ? {} : { format: flags.format }),
    ...(isNpy(flags.input, flags.format) ? {} : dimensionOf(flags)),
  });
  if (flags.dimension !== undefined && flags.dimension !== matrix.dimension) {
    throw new DimensionMismatchError(flags.dimension, matrix.dimension, {
      field: 'dimension',
      remediation: `${flags.input} holds ${matrix.dimension}-dimensional vectors: pass --dimension ${matrix.dimension}, or leave it out for a .npy file.`,
    });
  }
  // The bar goes to stderr so stdout stays the machine-readable summary.
  const bar = flags.quiet
    ? undefined
    : new cliProgress.SingleBar(
        { stream: process.stderr, format: 'building [{bar}] {percentage}% | {value}/{total} vectors | {rate} vec/s', hideCursor: false, noTTYOutput: false },
        cliProgress.Presets.shades_classic,
      );
  let barStarted = false;
  const stats = await writingOutput(flags.output, () =>
    bulkBuildIndex(matrix, {
      output: flags.output,
      m: flags.maxConnections,
      efConstruction: flags.efConstruction,
      metric: flags.metric,
      onProgress: (p) => {
        if (!bar) return;
        if (!barStarted) {
          bar.start(p.total, 0, { rate: 0 });
          barStarted = true;
        }
        bar.update(p.done, { rate: Math.round(p.rate) });
      },
    }),
  );
  bar?.stop();
  // Wall time of reading, building and writing, as bulkBuildIndex reports it for a file input.
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  process.stdout.write(
    `built ${flags.output}: ${stats.vectors} vectors × ${stats.dimension} dims in ${seconds.toFixed(2)} s (${Math.round(stats.vectors / seconds)} vec/s), ${stats.bytes} bytes\n`,
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
  const queries = await readQueries(flags.query, flags.index, info.dimension);
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
  await requireWritableOutput(flags.output);
  const matrix = await readVectorFile(flags.input, {
    ...(flags.fromFormat === undefined ? {} : { format: flags.fromFormat }),
    ...(flags.dimension === undefined ? {} : { dimension: flags.dimension }),
  });
  const bytes = flags.toFormat === 'npy' ? encodeNpy(matrix) : encodeRawF32(matrix);
  await writingOutput(flags.output, () => writeFile(flags.output, bytes, { mode: 0o600 }));
  process.stdout.write(`converted ${matrix.rows} vectors × ${matrix.dimension} dims to ${flags.toFormat}: ${flags.output}\n`);
}

const isNpy = (path: string, format: VectorFileFormat | undefined) => (format ?? (path.toLowerCase().endsWith('.npy') ? 'npy' : 'raw_f32')) === 'npy';
const dimensionOf = (flags: { readonly dimension?: number }) => (flags.dimension === undefined ? {} : { dimension: flags.dimension });

/**
 * Query vectors must have the index's dimension; one that does not is a DimensionMismatchError
 * (6001). A .npy file says its dimension; a raw f32 file has no header, so all that shows is a
 * number of floats that does not divide into rows of the index's dimension.
 */
async function readQueries(path: string, index: string, dimension: number) {
  const mismatch = (actual: number, holds: string) =>
    new DimensionMismatchError(dimension, actual, {
      field: 'query',
      remediation: `${path} holds ${holds}; the index ${index} is ${dimension}-dimensional. Pass query vectors of ${dimension} numbers each.`,
    });
  if (isNpy(path, undefined)) {
    const matrix = await readVectorFile(path);
    if (matrix.dimension !== dimension) throw mismatch(matrix.dimension, `${matrix.dimension}-dimensional vectors`);
    return matrix;
  }
  const size = await stat(path).then(
    (s) => (s.isFile() ? s.size : undefined),
    () => undefined, // unreadable: readVectorFile reports it
  );
  if (size !== undefined && size % 4 === 0 && size % (4 * dimension) !== 0) {
    // One vector in the file is the common case (e.g. a 384-dim query for a 768-dim index).
    throw mismatch(size / 4, `${size / 4} float32 values, not a whole number of ${dimension}-dimensional vectors`);
  }
  return readVectorFile(path, { dimension });
}

/**
 * The folder of an output path must exist and be writable, and the path must not be a folder:
 * checked up front so a mistake costs nothing and names the path the user gave (the index is
 * written through a temp file whose name would otherwise show in the error).
 */
async function requireWritableOutput(output: string): Promise<void> {
  const folder = dirname(output);
  const folderStat = await stat(folder).catch((error: NodeJS.ErrnoException) => error);
  if (folderStat instanceof Error) {
    const missing = folderStat.code === 'ENOENT' || folderStat.code === 'ENOTDIR';
    throw new ValidationError(
      missing ? `--output ${output}: the folder ${folder} does not exist` : `--output ${output}: cannot reach the folder ${folder} (${describe(folderStat)})`,
      {
        field: 'output',
        cause: folderStat,
        remediation: missing
          ? `Create it first (mkdir -p ${folder}), or pass an --output path in an existing folder.`
          : `Check the folder's permissions, or pass an --output path in another folder.`,
      },
    );
  }
  if (!folderStat.isDirectory()) {
    throw new ValidationError(`--output ${output}: ${folder} is not a folder`, {
      field: 'output',
      remediation: 'Pass an --output path inside an existing folder.',
    });
  }
  if ((await stat(output).catch(() => undefined))?.isDirectory()) {
    throw new ValidationError(`--output ${output} is a folder, not a file`, {
      field: 'output',
      remediation: `Pass the path of the file to write, e.g. --output ${output.replace(/\/+$/, '')}/index.hnsw.`,
    });
  }
  const denied = await access(folder, constants.W_OK).then(
    () => undefined,
    (error: NodeJS.ErrnoException) => error,
  );
  if (denied) {
    throw new ValidationError(`--output ${output}: cannot write in the folder ${folder} (${describe(denied)})`, {
      field: 'output',
      cause: denied,
      remediation: "Check the folder's permissions, or pass an --output path in another folder.",
    });
  }
}

/** Runs a write to `output`; a file-system failure becomes a ValidationError naming `output`. */
async function writingOutput<T>(output: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (error instanceof SochDBError || !(error instanceof Error) || typeof (error as NodeJS.ErrnoException).code !== 'string') throw error;
    throw new ValidationError(`cannot write --output ${output} (${describe(error)})`, {
      field: 'output',
      cause: error,
      remediation: 'Check that the folder exists, is writable and has space, then run again.',
    });
  }
}

const REASONS: Readonly<Record<string, string>> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  ENOENT: 'no such file or folder',
  ENOTDIR: 'a part of the path is not a folder',
  EISDIR: 'is a folder',
  ENAMETOOLONG: 'name too long',
};
/** The error's code and reason, without its message: that may name a temp file. */
const describe = (error: NodeJS.ErrnoException) => (error.code ? `${error.code}${REASONS[error.code] ? `: ${REASONS[error.code]}` : ''}` : 'unknown error');
