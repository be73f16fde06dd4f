// Where command output goes, and how it is written. Exports can be far larger than memory, so
// every write waits for the stream to drain when its buffer is full (backpressure): the reader
// of the database never runs ahead of the disk or the pipe.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { ValidationError } from '@sochdb/core';
import { toJson } from './json.js';

/** A sink for lines of output: stdout, or a file given with `--out`. */
export interface LineSink {
  /** Writes `text` (whole lines, each ending in '\n'); resolves once the stream accepts more. */
  write(text: string): Promise<void>;
  /** Flushes and closes a file (stdout stays open); rejects when the file could not be written. */
  close(): Promise<void>;
}

/** A sink on `--out FILE` (created or truncated), else on stdout. */
export async function openSink(file: string | undefined): Promise<LineSink> {
  if (file === undefined) return streamSink(process.stdout, false);
  const stream = createWriteStream(file, { flags: 'w', mode: 0o600 });
  // Opening fails asynchronously (a missing folder, no permission): wait for it, so the user gets
  // an error naming --out before any data is read.
  await Promise.race([
    once(stream, 'open'),
    once(stream, 'error').then(([error]: unknown[]) => {
      throw new ValidationError(`cannot write --out ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, {
        field: 'out',
        cause: error,
        remediation: 'Check that the folder exists and is writable.',
      });
    }),
  ]);
  return streamSink(stream, true);
}

function streamSink(stream: Writable, owned: boolean): LineSink {
  // A stream error (EPIPE when `| head` exits, ENOSPC) fails the next write instead of crashing
  // the process with an unhandled 'error' event.
  let failure: Error | undefined;
  stream.on('error', (error: Error) => (failure ??= error));
  const rethrow = () => {
    if (failure) throw failure;
  };
  return {
    async write(text) {
      rethrow();
      if (!stream.write(text)) await drained(stream);
      rethrow();
    },
    async close() {
      if (!owned) return;
      rethrow();
      stream.end();
      await once(stream, 'finish');
      rethrow();
    },
  };
}

/** Resolves when `stream` can take more (or has closed); rejects on its error. Leaves no listener behind. */
function drained(stream: Writable): Promise<void> {
  return new Promise((resolve, reject) => {
    const settle = (error?: Error) => {
      stream.off('drain', onDrain).off('close', onDrain).off('error', settle);
      if (error) reject(error);
      else resolve();
    };
    const onDrain = () => settle();
    stream.on('drain', onDrain).on('close', onDrain).on('error', settle);
  });
}

/** What every command prints: a human text, or with `--json` the data as one JSON document. */
export function report(json: boolean | undefined, data: unknown, human: () => string): void {
  process.stdout.write(json ? `${toJson(data)}\n` : human().replace(/\n?$/, '\n'));
}
