import { ToonParseError, ValidationError } from '@sochdb/core';
import { decode, encode, ToonDecodeError, type DecodeOptions, type EncodeOptions, type JsonValue } from '@toon-format/toon';

// The official, indentation-based TOON format (spec v4) comes from @toon-format/toon, the
// reference implementation kept in step with the spec; this file only maps its errors onto
// SochDB's typed ones.

/**
 * Encodes any JSON-like value as official TOON text: objects as `key: value` lines, uniform
 * arrays of objects as `name[N]{a,b}:` tables with one row per line.
 */
export function encodeToon(value: unknown, options?: EncodeOptions): string {
  return encode(value, options);
}

/**
 * Decodes official TOON text into JSON values.
 * @throws ToonParseError (code 6002) with the offset of the start of the offending line.
 */
export function decodeToon(text: string, options?: DecodeOptions): JsonValue {
  if (typeof text !== 'string') throw new ValidationError('TOON text must be a string', { field: 'text' });
  try {
    return decode(text, options);
  } catch (error) {
    const line = error instanceof ToonDecodeError ? error.line : undefined;
    const message = error instanceof Error ? error.message : String(error);
    throw new ToonParseError(`invalid TOON: ${message}`, line === undefined ? 0 : lineOffset(text, line), {
      cause: error,
      remediation: 'Check the line against the TOON spec (https://toonformat.dev); indentation is 2 spaces per level.',
    });
  }
}

function lineOffset(text: string, line: number): number {
  let offset = 0;
  for (let i = 1; i < line; i++) {
    const next = text.indexOf('\n', offset);
    if (next === -1) return offset;
    offset = next + 1;
  }
  return offset;
}
