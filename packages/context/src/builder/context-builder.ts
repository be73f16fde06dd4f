import { fetchSection } from './fetch.js';
import { fitSections, type FetchedSection } from './budget.js';
import type { ContextSources } from './sources.js';
import { tokenCounter } from './tokenizer.js';
import type { ContextFormat, ContextOptions, ContextResult, SectionReport, SectionSpec } from './types.js';
import { checkContextOptions, checkSection } from './validate.js';

/**
 * Builds an LLM context from live data within a token budget: add sections (literal text, KV
 * entries, SQL rows, a table's last rows, collection search hits, a graph neighbourhood, temporal
 * edges), then `build()` fetches them all in one snapshot, writes tabular data in compact TOON
 * (or JSON, or Markdown) and fits them to the budget by priority, dropping whole rows.
 *
 * @example
 * ```ts
 * const context = await new ContextBuilder({ storage, sql, kv }, { budget: 2000 })
 *   .section('instructions', { text: 'Answer from the orders below.' })
 *   .section('orders', { priority: 1, sql: 'SELECT id, total FROM orders ORDER BY id DESC LIMIT 50' })
 *   .build();
 * console.log(context.text, context.tokens); // never more than 2000 tokens by o200k_base
 * ```
 */
export class ContextBuilder {
  readonly #sources: ContextSources;
  readonly #options: ContextOptions;
  readonly #budget: number;
  readonly #format: ContextFormat;
  readonly #sections: { readonly name: string; readonly spec: SectionSpec }[] = [];

  /** Checks the options now (ValidationError naming the field); nothing is read until `build()`. */
  constructor(sources: ContextSources, options: ContextOptions) {
    const { budget, format } = checkContextOptions(options);
    this.#sources = sources;
    this.#options = options;
    this.#budget = budget;
    this.#format = format;
  }

  /** Adds a section; its spec is checked now (ValidationError naming the section and field). */
  section(name: string, spec: SectionSpec): this {
    checkSection(name, spec, new Set(this.#sections.map((section) => section.name)));
    this.#sections.push({ name, spec });
    return this;
  }

  /**
   * Fetches every section in one read-only transaction (so they agree with each other), then fits
   * them to the budget. The text's token count, by the context's tokenizer, never exceeds it.
   */
  async build(): Promise<ContextResult> {
    const count = await tokenCounter(this.#options.tokenizer);
    const txn = this.#sources.storage.beginTransaction({ readOnly: true });
    let fetched: FetchedSection[];
    try {
      fetched = await Promise.all(
        this.#sections.map(async ({ name, spec }, index) => ({
          name,
          index,
          priority: spec.priority ?? 0,
          truncation: spec.truncation ?? 'tail_drop',
          maxTokens: spec.maxTokens,
          data: await fetchSection(name, spec, this.#sources, txn),
        })),
      );
    } finally {
      await txn.abort();
    }
    const fitted = fitSections(fetched, this.#budget, count, this.#format);
    const byIndex = [...fitted.sections].sort((a, b) => a.section.index - b.section.index);
    const sections: SectionReport[] = byIndex.map(({ section, kept, text, tokens }) => {
      const totalRows = section.data.kind === 'lines' ? section.data.lines.length : section.data.rows.length;
      const rows = kept.end - kept.start;
      return { name: section.name, tokens, rows, totalRows, truncated: rows < totalRows || text === undefined };
    });
    return { text: fitted.text, tokens: fitted.tokens, budget: this.#budget, sections };
  }
}
