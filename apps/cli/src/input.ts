// Reading an import's input: a file (`--in`) or stdin, one record at a time with the line it
// came from, so memory stays flat however large the input is and errors can name the line.
import { createReadStream, statSync } from 'node:fs';
import { Transform, type Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { ValidationError } from '@sochdb/core';

/** An opened input and how far it has been read, for the progress bar. */
export interface Input {
  readonly stream: Readable;
  /** Total bytes when known (a regular file); undefined for stdin and pipes. */
  readonly size: number | undefined;
  /** Bytes consumed so far. */
  bytesRead(): number;
}

/** One record of the input: the line it starts on (1-based) and its value. */
export interface InputRecord<T> {
  readonly line: number;
  readonly value: T;
}

/** `--in FILE`, or stdin when no file is given. */
export function openInput(file: string | undefined): Input {
  const size = file === undefined ? undefined : fileSize(file);
  const source: Readable = file === undefined ? process.stdin : createReadStream(file);
  // Bytes are counted as they pass through a transform (not with a 'data' listener on the
  // source, which would switch it to flowing mode and drop data before anyone reads it).
  let read = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      read += chunk.byteLength;
      done(null, chunk);
    },
  });
  // A read error (the file vanished, EISDIR) must reach the reader, not leave it waiting.
  source.once('error', (error) => counter.destroy(error));
  return { stream: source.pipe(counter), size, bytesRead: () => read };
}

function fileSize(file: string): number {
  try {
    const s = statSync(file);
    if (s.isFile()) return s.size;
  } catch (error) {
    throw new ValidationError(`cannot read --in ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, {
      field: 'in',
      cause: error,
      remediation: 'Check the path.',
    });
  }
  throw new ValidationError(`--in ${file} is not a file`, { field: 'in', remediation: 'Pass a JSON Lines or CSV file, or pipe the data to stdin.' });
}

/**
 * JSON Lines: one JSON value per line; blank lines are skipped. Splits on '\n' in bytes (a
 * multi-byte character never straddles a split) and pulls the next chunk only when the caller
 * asks for the next record, so a slow import backpressures the file read.
 */
export async function* jsonLines(input: Input): AsyncGenerator<InputRecord<unknown>> {
  let pending: Buffer = Buffer.alloc(0);
  let line = 0;
  const parseLine = (bytes: Buffer): InputRecord<unknown> | undefined => {
    line++;
    const text = bytes.toString('utf8').replace(/\r$/, '');
    // A UTF-8 byte-order mark some editors put first is not JSON.
    const json = line === 1 ? text.replace(/^\uFEFF/, '') : text;
    if (json.trim() === '') return undefined;
    try {
      return { line, value: JSON.parse(json) as unknown };
    } catch (error) {
      throw new ValidationError(`line ${line}: invalid JSON (${(error as Error).message})`, {
        remediation: 'Each line must hold one JSON value (JSON Lines); fix that line and run again.',
      });
    }
  };
  for await (const chunk of input.stream as AsyncIterable<Buffer | string>) {
    let data = pending.byteLength === 0 ? toBuffer(chunk) : Buffer.concat([pending, toBuffer(chunk)]);
    for (let nl = data.indexOf(10); nl !== -1; nl = data.indexOf(10)) {
      const record = parseLine(data.subarray(0, nl));
      data = data.subarray(nl + 1);
      if (record) yield record;
    }
    // Copied so the chunk the remainder came from can be freed.
    pending = Buffer.from(data);
  }
  if (pending.byteLength > 0) {
    const record = parseLine(pending);
    if (record) yield record;
  }
}

const toBuffer = (chunk: Buffer | string): Buffer => (typeof chunk === 'string' ? Buffer.from(chunk) : chunk);

/**
 * CSV with a header row naming the columns: each record maps column → cell, where an empty
 * unquoted cell is null and a quoted one ("") is the empty string (see values.ts).
 */
export async function* csvRecords(input: Input): AsyncGenerator<InputRecord<Record<string, string | null>>> {
  const parser = parse({
    columns: true,
    bom: true,
    info: true,
    skip_empty_lines: true,
    cast: (value, context) => (value === '' && !context.quoting && !context.header ? null : value),
  });
  input.stream.pipe(parser);
  input.stream.once('error', (error) => parser.destroy(error));
  try {
    for await (const item of parser as AsyncIterable<{ record: Record<string, string | null>; info: { lines: number } }>) {
      yield { line: item.info.lines, value: item.record };
    }
  } catch (error) {
    if (error instanceof ValidationError) throw error;
    // csv-parse's errors (CSV_RECORD_INCONSISTENT_COLUMNS, CSV_INVALID_CLOSING_QUOTE, …) carry the line.
    const lines = (error as { lines?: unknown }).lines;
    throw new ValidationError(`${typeof lines === 'number' ? `line ${lines}: ` : ''}invalid CSV (${(error as Error).message})`, {
      cause: error,
      remediation: 'The first row must name the columns and every row must have as many fields.',
    });
  }
}
