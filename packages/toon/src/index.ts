// @sochdb/toon — TOON text for LLM prompts: SochDB's compact one-line tables, and the official
// indentation-based TOON format.

// Compact form: `users[2]{name,email}:Alice,alice@example.com;Bob,bob@example.com`, typed values.
export { toToon } from './compact/encode.js';
export { fromToon } from './compact/decode.js';
export type { ToonPrimitive, ToonRecord, ToonTable, ToonValue } from './compact/types.js';

// How deeply values may nest in either form.
export { MAX_TOON_DEPTH } from './depth.js';

// Official TOON (spec v4) through @toon-format/toon.
export { encodeToon, decodeToon } from './official.js';
export type { DecodeOptions as ToonDecodeOptions, EncodeOptions as ToonEncodeOptions, JsonValue } from '@toon-format/toon';

// Errors thrown here, re-exported for convenience (defined in @sochdb/errors, re-exported by @sochdb/core).
export { ToonParseError, ValidationError } from '@sochdb/errors';
