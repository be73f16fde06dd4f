import type { SectionData } from './fetch.js';
import { renderSection, sizeOf, type Kept } from './render.js';
import type { TokenCounter } from './tokenizer.js';
import type { ContextFormat, TruncationStrategy } from './types.js';

/** A section with its data, ready to be fitted. */
export interface FetchedSection {
  readonly name: string;
  /** Its position among the sections as added (ties of priority keep this order). */
  readonly index: number;
  readonly priority: number;
  readonly truncation: TruncationStrategy;
  readonly maxTokens: number | undefined;
  readonly data: SectionData;
}

/** How a section ended up: the rows kept, its text (undefined when left out) and that text's tokens. */
export interface FittedSection {
  readonly section: FetchedSection;
  readonly kept: Kept;
  readonly text: string | undefined;
  readonly tokens: number;
}

/** The fitted context: its text, exact token count, and each section (in priority order). */
export interface Fitted {
  readonly text: string;
  readonly tokens: number;
  readonly sections: readonly FittedSection[];
}

const SEPARATOR = '\n\n';

/**
 * Fits the sections into `budget` tokens. Sections are taken in priority order (lower first, ties
 * in the order added); each takes what it needs of what is left. The first one that must shrink
 * for lack of budget takes the rest of it, and every later section is left out, so a more
 * important section never loses rows while a less important one keeps any. `proportional`
 * sections of one priority shrink together, each keeping the same share of its rows. A section's
 * own `maxTokens` cap shrinks it without that effect on later sections.
 *
 * Counting is per section (BPE counts are not exactly additive across a join), so the joined text
 * is counted once more at the end and, in the rare case it is over, rows are taken from the last
 * section until it fits: the result never exceeds the budget.
 */
export function fitSections(sections: readonly FetchedSection[], budget: number, count: TokenCounter, format: ContextFormat): Fitted {
  const fitter = new Fitter(count, format);
  const separator = count(SEPARATOR);
  const fitted: FittedSection[] = [];
  let used = 0;
  let exhausted = false;
  for (const group of priorityGroups(sections)) {
    if (exhausted) {
      for (const section of group) fitted.push(fitter.leftOut(section));
      continue;
    }
    // Every section after the first one rendered costs a separator too.
    const joinCost = () => (fitted.some((f) => f.text !== undefined) ? separator : 0);
    if (group.length === 1 && group[0]!.truncation !== 'proportional') {
      const section = group[0]!;
      const available = budget - used - joinCost();
      const result = fitter.fitOne(section, Math.min(available, section.maxTokens ?? Infinity));
      if (result.text !== undefined) used += result.tokens + joinCost();
      const shrank = result.text === undefined || result.kept.end - result.kept.start < sizeOf(section.data);
      if (shrank && available <= (section.maxTokens ?? Infinity)) exhausted = true;
      fitted.push(result);
      continue;
    }
    const results = fitter.fitTogether(group, budget - used, joinCost() > 0, separator);
    for (const result of results) {
      if (result.text !== undefined) used += result.tokens + joinCost();
      fitted.push(result);
    }
    if (results.some((r, i) => r.kept.end - r.kept.start < fitter.capped(group[i]!))) exhausted = true;
  }
  return fitter.finish(fitted, budget);
}

/** Sections in priority order; `proportional` ones of one priority form one group, the others one each. */
function priorityGroups(sections: readonly FetchedSection[]): FetchedSection[][] {
  const ordered = [...sections].sort((a, b) => a.priority - b.priority || a.index - b.index);
  const groups: FetchedSection[][] = [];
  const proportional = new Map<number, FetchedSection[]>();
  for (const section of ordered) {
    if (section.truncation !== 'proportional') {
      groups.push([section]);
      continue;
    }
    const group = proportional.get(section.priority);
    if (group !== undefined) group.push(section);
    else {
      const fresh = [section];
      proportional.set(section.priority, fresh);
      groups.push(fresh);
    }
  }
  return groups;
}

class Fitter {
  readonly #capped = new Map<FetchedSection, number>();

  constructor(
    private readonly count: TokenCounter,
    private readonly format: ContextFormat,
  ) {}

  /** The section keeping `rows` of its rows, from the side its strategy keeps. */
  keep(section: FetchedSection, rows: number): FittedSection {
    const total = sizeOf(section.data);
    const kept = section.truncation === 'head_drop' ? { start: total - rows, end: total } : { start: 0, end: rows };
    // A section that keeps nothing of what it had is left out rather than shown as a bare header.
    if (rows === 0 && total > 0) return { section, kept, text: undefined, tokens: 0 };
    const text = renderSection(section.name, section.data, kept, this.format);
    return { section, kept, text, tokens: this.count(text) };
  }

  leftOut(section: FetchedSection): FittedSection {
    return { section, kept: { start: 0, end: 0 }, text: undefined, tokens: 0 };
  }

  /**
   * The most rows of `section` whose text fits `limit` tokens (more rows, more tokens). A section
   * that is small beside the limit is tried whole first; a large one (a query returning 100,000
   * rows for a 4,000-token budget) is probed at 1, 2, 4, … rows and then bisected, so the text
   * counted stays near the limit instead of the whole section's many times over.
   */
  fitOne(section: FetchedSection, limit: number): FittedSection {
    const total = sizeOf(section.data);
    if (total === 0) {
      const empty = this.keep(section, 0);
      return empty.tokens <= limit ? empty : this.leftOut(section);
    }
    if (this.#roughlyFits(section, limit)) {
      const whole = this.keep(section, total);
      if (whole.tokens <= limit) return whole;
    }
    let best = this.leftOut(section);
    let low = 1;
    let high = total;
    // Gallop: double the rows until they no longer fit (or all of them do).
    for (let rows = 1; ; rows = Math.min(total, rows * 2)) {
      const candidate = this.keep(section, rows);
      if (candidate.tokens > limit) {
        high = rows - 1;
        break;
      }
      best = candidate;
      low = rows + 1;
      if (rows === total) return best;
    }
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const candidate = this.keep(section, middle);
      if (candidate.tokens <= limit) {
        best = candidate;
        low = middle + 1;
      } else high = middle - 1;
    }
    return best;
  }

  /**
   * Whether the whole section is worth counting first: its text is at most 16 characters a token
   * of the limit (English averages ~4; only text with very long tokens fits beyond that).
   */
  #roughlyFits(section: FetchedSection, limit: number): boolean {
    const data = section.data;
    let chars = 0;
    if (data.kind === 'lines') for (const line of data.lines) chars += line.length + 1;
    else for (const row of data.rows) for (const value of Object.values(row)) chars += typeof value === 'string' ? value.length + 1 : 8;
    return chars <= 16 * limit;
  }

  /** The rows `section` may keep under its own `maxTokens` (all of them without one). */
  capped(section: FetchedSection): number {
    let rows = this.#capped.get(section);
    if (rows === undefined) {
      const total = sizeOf(section.data);
      if (section.maxTokens !== undefined) {
        const fitted = this.fitOne(section, section.maxTokens);
        rows = fitted.kept.end - fitted.kept.start;
      } else rows = total;
      this.#capped.set(section, rows);
    }
    return rows;
  }

  /** Proportional sections: the largest equal share of each one's rows whose texts fit `available` together. */
  fitTogether(group: readonly FetchedSection[], available: number, afterOthers: boolean, separator: number): FittedSection[] {
    const tryShare = (share: number, steps: number): { fits: boolean; results: FittedSection[] } => {
      const results = group.map((section) => this.keep(section, Math.floor((this.capped(section) * share) / steps)));
      let cost = 0;
      let rendered = afterOthers ? 1 : 0;
      for (const result of results) {
        if (result.text === undefined) continue;
        cost += result.tokens + (rendered > 0 ? separator : 0);
        rendered++;
      }
      return { fits: cost <= available, results };
    };
    const steps = Math.max(1, ...group.map((section) => this.capped(section)));
    const whole = tryShare(steps, steps);
    if (whole.fits) return whole.results;
    let best = group.map((section) => this.leftOut(section));
    let low = 1;
    let high = steps - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const attempt = tryShare(middle, steps);
      if (attempt.fits) {
        best = attempt.results;
        low = middle + 1;
      } else high = middle - 1;
    }
    return best;
  }

  /** Joins the rendered sections and trims the last ones until the exact count is within budget. */
  finish(fitted: FittedSection[], budget: number): Fitted {
    for (;;) {
      const text = fitted.flatMap((f) => (f.text === undefined ? [] : [f.text])).join(SEPARATOR);
      const tokens = text === '' ? 0 : this.count(text);
      if (tokens <= budget) return { text, tokens, sections: fitted };
      let last = fitted.length - 1;
      while (fitted[last]!.text === undefined) last--;
      const section = fitted[last]!;
      const rows = section.kept.end - section.kept.start;
      fitted[last] = rows > 1 ? this.keep(section.section, rows - 1) : this.leftOut(section.section);
    }
  }
}
