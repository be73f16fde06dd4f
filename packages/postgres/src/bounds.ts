import type { NormalizedRange } from '@sochdb/core';

/** A WHERE clause over `key` for a range, with its parameters numbered from `first`. */
export interface KeyBounds {
  readonly sql: string;
  readonly values: readonly Buffer[];
}

export function keyBounds(range: Pick<NormalizedRange, 'gt' | 'gte' | 'lt' | 'lte'>, first: number): KeyBounds {
  const parts: string[] = [];
  const values: Buffer[] = [];
  const add = (op: string, bound: Buffer | undefined): void => {
    if (bound === undefined) return;
    values.push(bound);
    parts.push(`key ${op} $${first + values.length - 1}::bytea`);
  };
  add('>', range.gt);
  add('>=', range.gte);
  add('<', range.lt);
  add('<=', range.lte);
  return { sql: parts.length === 0 ? 'true' : parts.join(' AND '), values };
}

/**
 * The same clause with the bounds written into the text (`decode('…', 'hex')`: nothing but hex
 * digits goes in, whatever the server's string settings), for a page sent in one message with other statements, which cannot take
 * parameters.
 */
export function literalKeyBounds(range: Pick<NormalizedRange, 'gt' | 'gte' | 'lt' | 'lte'>): string {
  const parts: string[] = [];
  const add = (op: string, bound: Buffer | undefined): void => {
    if (bound !== undefined) parts.push(`key ${op} decode('${bound.toString('hex')}', 'hex')`);
  };
  add('>', range.gt);
  add('>=', range.gte);
  add('<', range.lt);
  add('<=', range.lte);
  return parts.length === 0 ? 'true' : parts.join(' AND ');
}
