// How keys and values cross the API. Keys travel as strings: UTF-8 text as itself, and any key
// that is not valid UTF-8 (or that itself starts with `hex:`) as `hex:` followed by its bytes in
// hex, so every key round-trips through a URL or a JSON body without loss.
import { ValidationError } from '@sochdb/sdk';

/** The prefix of a key (or prefix) given as hex bytes: `hex:00ff`. */
export const HEX_PREFIX = 'hex:';

/** A stored value as the UI shows it: its text when UTF-8, its JSON when it parses, always its hex. */
export interface ValueView {
  /** The value decoded as UTF-8; absent when it is not valid UTF-8. */
  readonly text?: string;
  /** The text parsed as JSON; absent when it is not JSON (or not text). */
  readonly json?: unknown;
  /** The bytes in lowercase hex (the first `maxHexBytes` only when `truncated`). */
  readonly hex: string;
  /** The value's length in bytes. */
  readonly bytes: number;
  /** True when `hex` (and `text`) hold only the start of a long value. */
  readonly truncated?: boolean;
}

const decoder = new TextDecoder('utf-8', { fatal: true });

/** `bytes` as UTF-8 text, or undefined when they are not valid UTF-8. */
export function utf8OrUndefined(bytes: Uint8Array): string | undefined {
  try {
    return decoder.decode(bytes);
  } catch {
    return undefined;
  }
}

/** The API spelling of a key: its UTF-8 text, or `hex:…` when it has none (or would be misread as hex). */
export function keyToString(key: Uint8Array): string {
  const text = utf8OrUndefined(key);
  if (text !== undefined && !text.startsWith(HEX_PREFIX)) return text;
  return HEX_PREFIX + Buffer.from(key).toString('hex');
}

/** The bytes a key string names (see keyToString); ValidationError naming `field` for bad hex. */
export function keyFromString(key: string, field: string): Buffer {
  if (!key.startsWith(HEX_PREFIX)) return Buffer.from(key, 'utf8');
  const hex = key.slice(HEX_PREFIX.length);
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) {
    throw new ValidationError(`${field} starts with '${HEX_PREFIX}' but the rest is not an even number of hex digits`, {
      field,
      remediation: `Write binary keys as ${HEX_PREFIX} followed by their bytes in hex, e.g. ${HEX_PREFIX}00ff.`,
    });
  }
  return Buffer.from(hex, 'hex');
}

/** A value as the UI shows it (see ValueView); values longer than `maxBytes` are shown in part. */
export function viewValue(value: Uint8Array, maxBytes = 64 * 1024): ValueView {
  const all = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  const truncated = all.length > maxBytes;
  const shown = truncated ? all.subarray(0, maxBytes) : all;
  // A truncated value may end inside a character: decode what is whole.
  const text = truncated ? shown.toString('utf8') : utf8OrUndefined(shown);
  const view: { -readonly [K in keyof ValueView]: ValueView[K] } = { hex: shown.toString('hex'), bytes: all.length };
  if (text !== undefined && (truncated ? utf8OrUndefined(all) !== undefined : true)) view.text = text;
  if (!truncated && text !== undefined) {
    try {
      view.json = JSON.parse(text) as unknown;
    } catch {
      // Not JSON: the text is shown as text.
    }
  }
  if (truncated) view.truncated = true;
  return view;
}
