// Token counts of a result page as TOON and as JSON, so the UI can show what TOON saves in a
// prompt. The o200k_base tables are large: they load on the first count, not at startup.

type Counter = (text: string) => number;
let counter: Promise<Counter> | undefined;

// Text such as "<|endoftext|>" in data is counted as the ordinary text it is (gpt-tokenizer throws
// on special tokens by default, and a model would see that text, not the control token).
const NO_SPECIAL_TOKENS = new Set<string>();

/** The number of o200k_base tokens in `text`. */
export async function countTokens(text: string): Promise<number> {
  counter ??= import('gpt-tokenizer/encoding/o200k_base').then((encoding) => (t: string) => encoding.countTokens(t, { disallowedSpecial: NO_SPECIAL_TOKENS }));
  return (await counter)(text);
}
