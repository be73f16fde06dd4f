import { QueryError, ValidationError } from '@sochdb/core';
import { TK_VARIABLE } from '../parse/keywords.js';
import { tokenize } from '../parse/lexer.js';
import type { SqlParams } from './params.js';

/** The parameters one statement takes: positional slots `?`/`?NNN`/`$1` (1…count) and names (no prefix). */
export interface ParameterSpec {
  readonly positional: number;
  readonly names: ReadonlySet<string>;
}

/**
 * Reads the statement's parameters from its tokens, numbered by the parser's rules (primary.ts:
 * `?` takes the next number after the largest so far, `?NNN`/`$NNN` their own), so a call's
 * values can be checked against them before anything runs, as better-sqlite3 does.
 */
export function parameterSpec(sql: string): ParameterSpec {
  const tokens = tokenize(sql);
  let positional = 0;
  const names = new Set<string>();
  for (let i = 0; i < tokens.count; i++) {
    if (tokens.types[i] !== TK_VARIABLE) continue;
    const text = sql.slice(tokens.starts[i], tokens.ends[i]);
    const rest = text.slice(1);
    if (text === '?') positional++;
    else if (/^[0-9]+$/.test(rest)) positional = Math.max(positional, Number(rest));
    else names.add(rest);
  }
  return { positional, names };
}

const isPlainObject = (v: unknown): v is Readonly<Record<string, unknown>> => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
};

/**
 * better-sqlite3's calling convention → execute()'s params: values as arguments (`st.all(1, 2)`),
 * an array (`st.all([1, 2])`, spread like better-sqlite3 does) or one object of named values
 * (keys with or without the `:`/`@`/`$` prefix). Counts and names are checked against `spec`:
 * a missing or extra value is an error here rather than a wrong answer later (the engine only
 * notices a missing value when it evaluates it, which an empty table never does).
 */
export function bindArguments(args: readonly unknown[], spec: ParameterSpec): SqlParams | undefined {
  const positional: unknown[] = [];
  let named: Readonly<Record<string, unknown>> | undefined;
  for (const arg of args) {
    if (Array.isArray(arg)) positional.push(...(arg as readonly unknown[]));
    else if (isPlainObject(arg)) {
      if (named)
        throw new ValidationError('You cannot specify named parameters in two different objects', {
          field: 'params',
          remediation: 'Put every named value in one object.',
        });
      named = arg;
    } else positional.push(arg);
  }
  if (named && positional.length > 0) {
    throw new ValidationError('positional and named parameter values cannot be mixed in one call', {
      field: 'params',
      remediation: 'Pass either values in order (for ? and ?NNN) or one object of named values.',
    });
  }
  if (named) return checkNamed(named, spec);
  if (positional.length > spec.positional) {
    throw new QueryError(`Too many parameter values were provided: the statement takes ${spec.positional}, got ${positional.length}`, {
      remediation: spec.names.size > 0 ? `Pass the named values (${[...spec.names].join(', ')}) in one object.` : 'Pass one value per ? in the statement.',
    });
  }
  if (positional.length < spec.positional) {
    throw new QueryError(`Too few parameter values were provided: the statement takes ${spec.positional}, got ${positional.length}`, {
      remediation: 'Pass one value per ? (or per ?NNN up to the largest NNN).',
    });
  }
  if (spec.names.size > 0) {
    const first = [...spec.names][0]!;
    throw new QueryError(`Missing named parameter "${first}"`, { remediation: `Pass an object with a value for each of: ${[...spec.names].join(', ')}.` });
  }
  return positional.length > 0 ? positional : undefined;
}

function checkNamed(named: Readonly<Record<string, unknown>>, spec: ParameterSpec): SqlParams {
  const given = new Map<string, unknown>();
  for (const [key, value] of Object.entries(named)) given.set(key.replace(/^[:@$?]/, ''), value);
  // Extra names first: an object passed to a statement of ? parameters is the likely mistake.
  for (const key of given.keys()) {
    if (!spec.names.has(key) && !(/^[0-9]+$/.test(key) && Number(key) >= 1 && Number(key) <= spec.positional)) {
      throw new ValidationError(`The statement has no parameter named "${key}"`, {
        field: `params.${key}`,
        remediation:
          spec.names.size > 0 ? `Its named parameters are: ${[...spec.names].join(', ')}.` : 'Pass its values in order: st.all(a, b) or st.all([a, b]).',
      });
    }
  }
  for (const name of spec.names) {
    if (!given.has(name))
      throw new QueryError(`Missing named parameter "${name}"`, { remediation: `Pass an object with a value for each of: ${[...spec.names].join(', ')}.` });
  }
  // better-sqlite3 binds ?NNN and $NNN by their number as a name ({ 1: a, 2: b }).
  const numbered: unknown[] = [];
  for (let i = 1; i <= spec.positional; i++) {
    if (!given.has(String(i)))
      throw new QueryError(`Missing named parameter "${i}"`, { remediation: `Pass a value for ?${i} (as key "${i}"), or all values in order.` });
    numbered.push(given.get(String(i)));
  }
  // Only numbered parameters: bind them by position, which the engine does for ?NNN and $NNN alike
  // (with names too, the object goes as is: the engine finds $NNN by name, not ?NNN).
  return spec.names.size === 0 && spec.positional > 0 ? numbered : named;
}
