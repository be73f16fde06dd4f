import { open, type FileHandle } from 'node:fs/promises';
import { ValidationError } from '@sochdb/core';
import { npyHeader, parseNpyHeader, requireDataLength } from './npy.js';

/** Room for the header written before the row count is known: any row count fits in it. */
const RESERVED_HEADER = 128;
/** Rows `NpyReader` reads per file read. */
const READ_ROWS = 1_024;

/**
 * Writes a `.npy` file (2-D float32) row by row, for exports larger than memory: the header is
 * rewritten with the row count at `close()`. Loadable with `numpy.load` once closed.
 */
export class NpyWriter {
  #rows = 0;
  #closed = false;

  private constructor(
    /** The file written. */
    readonly path: string,
    /** Numbers per row. */
    readonly dimension: number,
    private readonly file: FileHandle,
  ) {}

  /** Creates (or replaces) `path`, mode 0600. */
  static async create(path: string, dimension: number): Promise<NpyWriter> {
    if (!Number.isInteger(dimension) || dimension < 1)
      throw new ValidationError(`dimension must be a positive integer, got ${dimension}`, { field: 'dimension' });
    const file = await open(path, 'w', 0o600);
    await file.write(npyHeader(0, dimension, RESERVED_HEADER));
    return new NpyWriter(path, dimension, file);
  }

  /** Rows written so far. */
  get rows(): number {
    return this.#rows;
  }

  /** Appends rows given back to back (`rows.length` a multiple of the dimension). */
  async append(rows: Float32Array): Promise<void> {
    if (this.#closed) throw new ValidationError('the .npy writer is closed', { field: 'rows' });
    if (rows.length % this.dimension !== 0) {
      throw new ValidationError(`${rows.length} numbers are not whole rows of dimension ${this.dimension}`, { field: 'rows' });
    }
    await this.file.write(Buffer.from(rows.buffer, rows.byteOffset, rows.byteLength));
    this.#rows += rows.length / this.dimension;
  }

  /** Writes the row count into the header and closes the file. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    try {
      await this.file.write(npyHeader(this.#rows, this.dimension, RESERVED_HEADER), 0, undefined, 0);
    } finally {
      await this.file.close();
    }
  }
}

/** Reads a `.npy` file (2-D float32) a row at a time, for imports larger than memory. */
export class NpyReader {
  #next = 0;
  #chunk: Float32Array | undefined;
  #chunkStart = 0;

  private constructor(
    /** The file read. */
    readonly path: string,
    /** Rows the file holds. */
    readonly rows: number,
    /** Numbers per row. */
    readonly dimension: number,
    private readonly dataStart: number,
    private readonly file: FileHandle,
  ) {}

  /** Opens `path` and checks its header and size (VectorFileFormatError when they disagree). */
  static async open(path: string): Promise<NpyReader> {
    const file = await open(path, 'r');
    try {
      const head = Buffer.alloc(65_536 + 12);
      const { bytesRead } = await file.read(head, 0, head.length, 0);
      const header = parseNpyHeader(head.subarray(0, bytesRead), path);
      requireDataLength(header, (await file.stat()).size - header.dataStart, path);
      const { rows, dimension, dataStart } = header;
      return new NpyReader(path, rows, dimension, dataStart, file);
    } catch (error) {
      await file.close();
      throw error;
    }
  }

  /** The next row, or undefined after the last. Rows are read from the file 1,024 at a time. */
  async next(): Promise<Float32Array | undefined> {
    if (this.#next >= this.rows) return undefined;
    const inChunk = this.#next - this.#chunkStart;
    if (this.#chunk === undefined || inChunk >= this.#chunk.length / this.dimension) {
      const count = Math.min(READ_ROWS, this.rows - this.#next);
      const chunk = new Float32Array(count * this.dimension);
      await this.file.read(Buffer.from(chunk.buffer), 0, chunk.byteLength, this.dataStart + this.#next * this.dimension * 4);
      this.#chunk = chunk;
      this.#chunkStart = this.#next;
    }
    const at = (this.#next - this.#chunkStart) * this.dimension;
    this.#next++;
    return this.#chunk.slice(at, at + this.dimension);
  }

  /** Closes the file. */
  async close(): Promise<void> {
    await this.file.close();
  }
}
