import { ToonParseError, ValidationError } from '@sochdb/errors';
import { decode, encode, ToonDecodeError, type DecodeOptions, type EncodeOptions, type JsonValue } from '@toon-format/toon';
import { MAX_TOON_DEPTH, nestsTooDeeply } from './depth.js';

// The official, indentation-based TOON format (spec v4) comes from @toon-format/toon, the
// reference implementation kept in step with the spec; this file only maps its errors onto
// SochDB's typed ones and bounds nesting (the reference codec recurses once per level).

/** With the u flag, \p{Cs} matches only a surrogate that is not half of a pair. */
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * Encodes any JSON-like value as official TOON text: objects as `key: value` lines, uniform
 * arrays of objects as `name[N]{a,b}:` tables with one row per line.
 * @throws ValidationError when the value nests more than `MAX_TOON_DEPTH` levels (or is cyclic),
 * holds a string the format cannot carry (an unpaired surrogate), or an option is invalid.
 *
 * @example
 * ```ts
 * encodeToon({ orders: [{ id: 1, total: 9.5 }, { id: 2, total: 20 }] });
 * // orders[2]{id,total}:
 * //   1,9.5
 * //   2,20
 * encodeToon(value, { delimiter: '\t', indentSize: 4 }); // cells separated by tabs, 4 spaces per level
 * ```
 */
export function encodeToon(value: unknown, options?: EncodeOptions): string {
  if (nestsTooDeeply(value)) {
    throw new ValidationError(`value nests arrays and objects more than ${MAX_TOON_DEPTH} levels deep (or refers back to itself)`, {
      field: 'value',
      remediation: `Flatten the value to at most ${MAX_TOON_DEPTH} levels.`,
    });
  }
  try {
    return encode(value, options);
  } catch (error) {
    // The reference encoder throws TypeErrors for unpaired surrogates and bad options, and
    // whatever a value's toJSON throws (or a RangeError should toJSON build a deeper value).
    throw new ValidationError(`cannot encode as TOON: ${error instanceof Error ? error.message : String(error)}`, {
      field: 'value',
      cause: error,
      remediation: 'Pass JSON-like data (strings without unpaired surrogates) and valid options.',
    });
  }
}

/**
 * Decodes official TOON text into JSON values.
 * @throws ToonParseError (code 6002) with the offset of the start of the offending line; text
 * nesting values more than `MAX_TOON_DEPTH` levels deep is refused the same way (at the first
 * line indented that far, else at offset 0), and so is an unpaired surrogate (at its offset).
 *
 * @example
 * ```ts
 * decodeToon('orders[2]{id,total}:\n  1,9.5\n  2,20'); // { orders: [{ id: 1, total: 9.5 }, { id: 2, total: 20 }] }
 * // Row counts are checked by default; `strict: false` accepts a table shorter than its header says.
 * decodeToon('orders[3]{id,total}:\n  1,9.5\n  2,20', { strict: false });
 * ```
 */
export function decodeToon(text: string, options?: DecodeOptions): JsonValue {
  if (typeof text !== 'string') throw new ValidationError('TOON text must be a string', { field: 'text' });
  // The reference decoder refuses a lone surrogate escaped (\ud800) but passes one through raw,
  // giving strings that no encoder (nor UTF-8) can write back.
  const surrogate = LONE_SURROGATE.exec(text);
  if (surrogate !== null) {
    throw new ToonParseError('invalid TOON: the text holds an unpaired surrogate, which is not Unicode text', text.lastIndexOf('\n', surrogate.index) + 1, {
      remediation: 'Decode the text from UTF-8 bytes, or replace unpaired surrogates (String.prototype.toWellFormed).',
    });
  }
  const deepLine = firstTooDeepLine(text, options);
  if (deepLine !== undefined) {
    throw new ToonParseError(
      `invalid TOON: a line nests ${deepLine.levels} levels (indentation and field groups), so its values are nested more than ${MAX_TOON_DEPTH} levels deep`,
      deepLine.offset,
      {
        remediation: `Keep documents within ${MAX_TOON_DEPTH} levels of nesting.`,
      },
    );
  }
  let value: JsonValue;
  try {
    value = decode(text, options);
  } catch (error) {
    const line = error instanceof ToonDecodeError ? error.line : undefined;
    const message = error instanceof Error ? error.message : String(error);
    throw new ToonParseError(`invalid TOON: ${message}`, line === undefined ? 0 : lineOffset(text, line), {
      cause: error,
      remediation: 'Check the line against the TOON spec (https://toonformat.dev); indentation is 2 spaces per level.',
    });
  }
  // Lines bound nesting from below only (`- z[1]: 1` opens an object and an array on the list
  // item's own line), so the exact limit is checked on the result, iteratively.
  if (nestsTooDeeply(value)) {
    throw new ToonParseError(`invalid TOON: the document decodes to values nested more than ${MAX_TOON_DEPTH} levels deep`, 0, {
      remediation: `Keep documents within ${MAX_TOON_DEPTH} levels of nesting.`,
    });
  }
  return value;
}

/**
 * The first line that nests more than `MAX_TOON_DEPTH` levels, found before decoding: the
 * reference decoder recurses once per level and overflows the stack a few thousand levels down.
 * A line's levels are its indentation (spaces per indent, one per tab, as the decoder counts)
 * plus how deeply it nests `{` outside quotes (field groups in a table header, `t[1]{a{b}}:`).
 * A line at L levels lies inside at least L arrays or objects (a list item's object indents its
 * nested fields one extra level, so not L + 1), so a line past `MAX_TOON_DEPTH` levels is past
 * the limit. Blank and comment lines nest nothing.
 */
function firstTooDeepLine(text: string, options: DecodeOptions | undefined): { readonly levels: number; readonly offset: number } | undefined {
  const indent = options?.indentSize ?? options?.indent;
  const size = typeof indent === 'number' && Number.isInteger(indent) && indent > 0 ? indent : 2;
  for (let start = 0; start < text.length;) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    let spaces = 0;
    let tabs = 0;
    let i = start;
    for (; i < end; i++) {
      const c = text.charCodeAt(i);
      if (c === 0x20) spaces++;
      else if (c === 0x09) tabs++;
      else break;
    }
    if (i < end && text[i] !== '#' && text[i] !== '\r') {
      let braces = 0;
      let deepest = 0;
      for (let quoted = false; i < end; i++) {
        const c = text[i];
        if (quoted) {
          if (c === '\\') i++;
          else if (c === '"') quoted = false;
        } else if (c === '"') quoted = true;
        else if (c === '{') deepest = Math.max(deepest, ++braces);
        else if (c === '}' && braces > 0) braces--;
      }
      const levels = Math.floor(spaces / size) + tabs + deepest;
      if (levels > MAX_TOON_DEPTH) return { levels, offset: start };
    }
    start = end + 1;
  }
  return undefined;
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
