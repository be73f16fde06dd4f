import { ValidationError } from '@sochdb/core';
import { describeValue } from '@sochdb/core/internal';
import type { ContextFormat, ContextOptions, SectionSource, SectionSpec, TruncationStrategy } from './types.js';

const FORMATS: readonly ContextFormat[] = ['toon', 'json', 'markdown'];
const STRATEGIES: readonly TruncationStrategy[] = ['tail_drop', 'head_drop', 'proportional'];
const SOURCES = ['text', 'get', 'prefix', 'sql', 'table', 'search', 'graph', 'temporal', 'rows'] as const;

function fail(field: string, message: string, remediation?: string): never {
  throw new ValidationError(message, { field, ...(remediation === undefined ? {} : { remediation }) });
}

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function positiveInteger(value: unknown, field: string): void {
  if (value !== undefined && (!Number.isSafeInteger(value) || (value as number) < 1))
    fail(field, `${field} must be a positive integer, got ${describeValue(value)}`);
}

function nonEmptyString(value: unknown, field: string): void {
  if (typeof value !== 'string' || value === '') fail(field, `${field} must be a non-empty string, got ${describeValue(value)}`);
}

/** The context's options, checked: a positive integer budget and a known format. */
export function checkContextOptions(options: ContextOptions): { readonly budget: number; readonly format: ContextFormat } {
  if (!isRecord(options)) fail('options', 'context options must be an object such as { budget: 4096 }');
  if (!Number.isSafeInteger(options.budget) || options.budget < 1) {
    fail(
      'budget',
      `budget must be a positive integer number of tokens, got ${describeValue(options.budget)}`,
      'Pass the most tokens the context may use, e.g. { budget: 4096 }.',
    );
  }
  const format = options.format ?? 'toon';
  if (!FORMATS.includes(format)) fail('format', `format must be one of ${FORMATS.join(', ')}, got ${JSON.stringify(format)}`);
  return { budget: options.budget, format };
}

/** A section's name and spec, checked field by field; the error names the section and the field. */
export function checkSection(name: unknown, spec: unknown, taken: ReadonlySet<string>): asserts spec is SectionSpec {
  nonEmptyString(name, 'name');
  if (taken.has(name as string)) fail('name', `a section named "${String(name)}" was already added`, 'Give each section its own name.');
  if (!isRecord(spec)) fail(`${String(name)}`, `section "${String(name)}" must be an object such as { text: '…' } or { sql: 'SELECT …' }`);
  const at = (field: string) => `${String(name)}.${field}`;
  const given = SOURCES.filter((source) => spec[source] !== undefined);
  if (given.length !== 1) {
    fail(String(name), `section "${String(name)}" must have exactly one of ${SOURCES.join(', ')}; it has ${given.length === 0 ? 'none' : given.join(', ')}`);
  }
  if (spec['priority'] !== undefined && (typeof spec['priority'] !== 'number' || !Number.isFinite(spec['priority']))) {
    fail(at('priority'), `${at('priority')} must be a finite number, got ${describeValue(spec['priority'])}`);
  }
  if (spec['truncation'] !== undefined && !STRATEGIES.includes(spec['truncation'] as TruncationStrategy)) {
    fail(at('truncation'), `${at('truncation')} must be one of ${STRATEGIES.join(', ')}, got ${JSON.stringify(spec['truncation'])}`);
  }
  positiveInteger(spec['maxTokens'], at('maxTokens'));
  checkSource(spec as SectionSource, at);
}

function checkSource(source: SectionSource, at: (field: string) => string): void {
  if ('text' in source) {
    if (typeof source.text !== 'string') fail(at('text'), `${at('text')} must be a string`);
  } else if ('get' in source) nonEmptyString(source.get, at('get'));
  else if ('prefix' in source) {
    if (typeof source.prefix !== 'string') fail(at('prefix'), `${at('prefix')} must be a string`);
    positiveInteger(source.limit, at('limit'));
    positiveInteger(source.last, at('last'));
    if (source.limit !== undefined && source.last !== undefined) fail(at('last'), `${at('limit')} and ${at('last')} cannot both be given`);
  } else if ('sql' in source) nonEmptyString(source.sql, at('sql'));
  else if ('table' in source) {
    nonEmptyString(source.table, at('table'));
    positiveInteger(source.last, at('last'));
    if (source.orderBy !== undefined) nonEmptyString(source.orderBy, at('orderBy'));
  } else if ('search' in source) {
    const search: unknown = source.search;
    if (!isRecord(search)) fail(at('search'), `${at('search')} must be an object such as { collection: 'docs', query: '…', k: 5 }`);
    if (typeof search['collection'] === 'string') nonEmptyString(search['collection'], at('search.collection'));
    else if (!isRecord(search['collection'])) fail(at('search.collection'), `${at('search.collection')} must be a collection or its name`);
    if (search['query'] === undefined && search['vector'] === undefined) fail(at('search'), `${at('search')} needs a query, a vector, or both`);
    if (search['query'] !== undefined) nonEmptyString(search['query'], at('search.query'));
    positiveInteger(search['k'], at('search.k'));
  } else if ('graph' in source) {
    if (!isRecord(source.graph)) fail(at('graph'), `${at('graph')} must be an object such as { node: 'alice', depth: 2 }`);
    nonEmptyString(source.graph.node, at('graph.node'));
  } else if ('temporal' in source) {
    if (!isRecord(source.temporal)) fail(at('temporal'), `${at('temporal')} must be an object such as { node: 'alice', at: Date.now() }`);
    nonEmptyString(source.temporal.node, at('temporal.node'));
    if (source.temporal.at !== undefined && !Number.isFinite(source.temporal.at)) fail(at('temporal.at'), `${at('temporal.at')} must be a Unix time in ms`);
  } else if (!Array.isArray(source.rows) || !source.rows.every(isRecord)) {
    fail(at('rows'), `${at('rows')} must be an array of objects`);
  }
}
