import { ValidationError } from '@sochdb/core';

/** The OpenAI encodings the context can be counted in (GPT-4o and later use `o200k_base`). */
export type TokenizerName = 'o200k_base' | 'cl100k_base' | 'p50k_base' | 'r50k_base';

/** Your own token counter: how many tokens `text` is for your model. */
export type TokenCounter = (text: string) => number;

const NAMES: readonly TokenizerName[] = ['o200k_base', 'cl100k_base', 'p50k_base', 'r50k_base'];

interface Encoding {
  countTokens(text: string, options: { disallowedSpecial: Set<string> }): number;
}

// Each encoding's tables take ~0.5 s and tens of MB to load, so one is loaded only when a context
// first asks for it, then shared.
const loading = new Map<TokenizerName, Promise<Encoding>>();

function load(name: TokenizerName): Promise<Encoding> {
  let encoding = loading.get(name);
  if (encoding === undefined) {
    encoding = importEncoding(name);
    loading.set(name, encoding);
  }
  return encoding;
}

function importEncoding(name: TokenizerName): Promise<Encoding> {
  // Literal specifiers, so bundlers and the package's own resolution see each one.
  switch (name) {
    case 'o200k_base':
      return import('gpt-tokenizer/encoding/o200k_base');
    case 'cl100k_base':
      return import('gpt-tokenizer/encoding/cl100k_base');
    case 'p50k_base':
      return import('gpt-tokenizer/encoding/p50k_base');
    case 'r50k_base':
      return import('gpt-tokenizer/encoding/r50k_base');
  }
}

// Data may hold text such as "<|endoftext|>": it is counted as the ordinary text it is (gpt-tokenizer
// throws on special tokens by default, and a model would see that text, not the control token).
const NO_SPECIAL_TOKENS = new Set<string>();

/** The counter for `tokenizer` (a name or your own function); ValidationError for anything else. */
export async function tokenCounter(tokenizer: TokenizerName | TokenCounter | undefined): Promise<TokenCounter> {
  if (typeof tokenizer === 'function') return checkedCounter(tokenizer);
  const name = tokenizer ?? 'o200k_base';
  if (!NAMES.includes(name)) {
    throw new ValidationError(`tokenizer must be one of ${NAMES.join(', ')} or a function, got ${JSON.stringify(tokenizer)}`, {
      field: 'tokenizer',
      remediation: "Use 'o200k_base' for GPT-4o and later models, or pass (text) => number for another model's tokenizer.",
    });
  }
  const encoding = await load(name);
  return (text) => encoding.countTokens(text, { disallowedSpecial: NO_SPECIAL_TOKENS });
}

function checkedCounter(count: TokenCounter): TokenCounter {
  return (text) => {
    const tokens = count(text);
    if (!Number.isInteger(tokens) || tokens < 0) {
      throw new ValidationError(`the tokenizer function must return a non-negative integer, got ${String(tokens)}`, { field: 'tokenizer' });
    }
    return tokens;
  };
}
