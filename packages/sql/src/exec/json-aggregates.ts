import type { SubtypeProbe } from '../expr/json-subtype.js';
import type { Env, Evaluator } from '../expr/scope.js';
import { encodeJsonb } from '../values/json/jsonb.js';
import { parseJson } from '../values/json/parse.js';
import { quoteString } from '../values/json/render.js';
import { asJson, plain } from '../values/json/subtype.js';
import { guarded, jsonTextOfValue } from '../values/json/value.js';
import { compareSortKeys, type SortDirection } from '../values/sort-keys.js';
import { toText, valueKey, type SqlValue } from '../values/values.js';
import { collationKey, type CollationName } from '../values/collation.js';

/** The part of an aggregate call (aggregates.ts's AggregateSpec) these read; kept here so neither file imports the other back. */
interface JsonGroupSpec {
  readonly name: string;
  readonly args: readonly Evaluator[];
  readonly distinct: boolean;
  readonly collation?: CollationName | undefined;
  readonly orderBy: readonly (SortDirection & { readonly evaluate: Evaluator })[];
  readonly subtypes?: readonly (SubtypeProbe | undefined)[] | undefined;
}

/**
 * json_group_array(x) and json_group_object(name, value), and their jsonb_ forms: every row's
 * value as JSON (NULL included, text made by a JSON function embedded as JSON, as SQLite's
 * subtype rule says), in row order or the call's ORDER BY. A NULL name skips its row.
 */
export function jsonGroupAccumulator(spec: JsonGroupSpec): { step(env: Env): void; result(): SqlValue } {
  const isObject = spec.name.endsWith('_object');
  const blob = spec.name.startsWith('jsonb_');
  const probes = spec.subtypes;
  const seen = spec.distinct ? new Set<string>() : undefined;
  const parts: { text: string; keys: SqlValue[] | undefined }[] = [];
  const arg = (env: Env, i: number): [SqlValue, boolean] => {
    const probe = probes?.[i];
    if (!probe) return [spec.args[i]!(env), false];
    const v = probe.evaluate(env);
    return [v, probe.isJson(env, v)];
  };
  return {
    step: guarded((env: Env) => {
      let text: string;
      if (isObject) {
        const [name] = arg(env, 0);
        if (name === null) return;
        const [value, json] = arg(env, 1);
        text = `${quoteString(toText(name)!)}:${jsonTextOfValue(value, json)}`;
      } else {
        const [value, json] = arg(env, 0);
        if (seen) {
          const k = valueKey(collationKey(value, spec.collation));
          if (seen.has(k)) return;
          seen.add(k);
        }
        text = jsonTextOfValue(value, json);
      }
      parts.push({ text, keys: spec.orderBy.length > 0 ? spec.orderBy.map((o) => o.evaluate(env)) : undefined });
    }),
    result: guarded(() => {
      const ordered = spec.orderBy.length > 0 ? parts.slice().sort((a, b) => compareSortKeys(spec.orderBy, a.keys!, b.keys!)) : parts;
      const body = ordered.map((p) => p.text).join(',');
      const text = isObject ? `{${body}}` : `[${body}]`;
      return blob ? plain(encodeJsonb(parseJson(text).root)) : asJson(text);
    }),
  };
}
