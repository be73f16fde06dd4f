import { readFile, writeFile } from 'node:fs/promises';
import { VectorFileFormatError } from '../shared/errors.js';
import { requireMatrix, matrixOf, type VectorMatrix } from './matrix.js';

// NumPy's .npy format (https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html),
// read by hand because the subset we accept — little-endian float32, C order, 2-D — is a few
// lines, and no well-kept npm package covers v1–v3 headers without pulling in a numpy clone.
const MAGIC = Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]); // \x93NUMPY

/** What a `.npy` header says, once checked: a 2-D little-endian float32 array in C order. */
export interface NpyHeader {
  readonly rows: number;
  readonly dimension: number;
  /** Byte offset of the first row. */
  readonly dataStart: number;
}

/**
 * Parses the header at the start of `bytes` (which must hold at least the whole header; the data
 * may follow or not). VectorFileFormatError for anything but 2-D little-endian float32 in C order.
 */
export function parseNpyHeader(bytes: Buffer, path?: string): NpyHeader {
  const fail = npyError(path);
  if (bytes.length < 10 || !bytes.subarray(0, 6).equals(MAGIC)) throw fail('not a .npy file (missing the \\x93NUMPY signature)');
  const major = bytes[6]!;
  if (major < 1 || major > 3) throw fail(`unsupported .npy format version ${major}.${bytes[7]!}`);
  const headerLength = major === 1 ? bytes.readUInt16LE(8) : bytes.readUInt32LE(8);
  const dataStart = (major === 1 ? 10 : 12) + headerLength;
  if (bytes.length < dataStart) throw fail('the header is truncated');
  const header = bytes.subarray(major === 1 ? 10 : 12, dataStart).toString(major === 3 ? 'utf8' : 'latin1');
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shape = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shape === undefined) throw fail(`cannot read the header ${JSON.stringify(header.trim())}`);
  if (descr !== '<f4' && descr !== '=f4') {
    throw fail(`dtype '${descr}' is not supported; only little-endian float32 ('<f4') is`, 'Convert first: numpy.save(path, x.astype("<f4")).');
  }
  if (fortran === 'True') throw fail('Fortran (column-major) order is not supported', 'Save numpy.ascontiguousarray(x) instead.');
  const dims = shape
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map(Number);
  if (dims.length !== 2 || dims.some((d) => !Number.isInteger(d) || d < 0)) {
    throw fail(`shape (${shape}) is not 2-D; expected (rows, dimension)`, 'Reshape to (rows, dimension), e.g. x.reshape(1, -1) for one vector.');
  }
  const [rows, dimension] = dims as [number, number];
  if (dimension === 0) throw fail('dimension 0 is not a vector');
  return { rows, dimension, dataStart };
}

/** Parses a `.npy` buffer holding a 2-D little-endian float32 array in C order. */
export function decodeNpy(bytes: Buffer, path?: string): VectorMatrix {
  const header = parseNpyHeader(bytes, path);
  requireDataLength(header, bytes.length - header.dataStart, path);
  const { rows, dimension, dataStart } = header;
  // Copy so the Float32Array is 4-byte aligned whatever the Buffer's offset in its pool.
  const data = new Float32Array(rows * dimension);
  Buffer.from(data.buffer).set(bytes.subarray(dataStart));
  return matrixOf(data, dimension);
}

/** Checks that a `.npy` holds exactly the data bytes its header's shape says. */
export function requireDataLength({ rows, dimension }: NpyHeader, dataBytes: number, path?: string): void {
  const byteLength = rows * dimension * 4;
  if (dataBytes !== byteLength) {
    throw npyError(path)(
      `expected ${byteLength} data bytes for shape (${rows}, ${dimension}), found ${dataBytes}`,
      'The file is truncated or corrupt; re-export it.',
    );
  }
}

/** Makes the VectorFileFormatError of a bad `.npy` at `path`. */
export function npyError(path: string | undefined): (message: string, remediation?: string) => VectorFileFormatError {
  const where = path ?? 'the .npy data';
  return (message, remediation = 'Save the array with numpy.save(path, x.astype(numpy.float32)) as a 2-D array.') =>
    new VectorFileFormatError(`${where}: ${message}`, { ...(path === undefined ? {} : { path }), remediation });
}

/**
 * The `.npy` v1.0 header of a (rows, dimension) float32 array, padded so the data starts on a
 * 64-byte boundary; with `minLength`, padded to at least that many bytes (so a header written
 * before the row count is known can be rewritten in place).
 */
export function npyHeader(rows: number, dimension: number, minLength = 0): Buffer {
  const dict = `{'descr': '<f4', 'fortran_order': False, 'shape': (${rows}, ${dimension}), }`;
  const v1 = 10 + Math.max(dict.length + 1, minLength) < 65_536;
  const preamble = v1 ? 10 : 12;
  const total = Math.ceil(Math.max(preamble + dict.length + 1, minLength) / 64) * 64;
  const padded = dict.padEnd(total - preamble - 1, ' ') + '\n';
  const head = Buffer.alloc(preamble);
  MAGIC.copy(head, 0);
  head[6] = v1 ? 1 : 2;
  head[7] = 0;
  if (v1) head.writeUInt16LE(padded.length, 8);
  else head.writeUInt32LE(padded.length, 8);
  return Buffer.concat([head, Buffer.from(padded, 'latin1')]);
}

/** Encodes a matrix as `.npy` format version 1.0 (v2.0 when the header would not fit). */
export function encodeNpy(input: VectorMatrix): Buffer {
  const matrix = requireMatrix(input);
  const data = Buffer.from(matrix.data.buffer, matrix.data.byteOffset, matrix.rows * matrix.dimension * 4);
  return Buffer.concat([npyHeader(matrix.rows, matrix.dimension), data]);
}

/** Reads a `.npy` file (see `decodeNpy` for what it accepts); VectorFileFormatError when it cannot be read or parsed. */
export async function readNpy(path: string): Promise<VectorMatrix> {
  return decodeNpy(await readInput(path), path);
}

/** Writes `encodeNpy(matrix)` to `path` (mode 0600), replacing any file there; loadable with `numpy.load`. */
export async function writeNpy(path: string, matrix: VectorMatrix): Promise<void> {
  await writeFile(path, encodeNpy(matrix), { mode: 0o600 });
}

export async function readInput(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (cause) {
    throw new VectorFileFormatError(`cannot read ${path}: ${(cause as Error).message}`, { path, cause, remediation: 'Check the path and permissions.' });
  }
}
