import type { BinaryExpr, Expr, FunctionExpr } from '../parse/index.js';
import { arrow } from '../values/json/functions.js';
import { carriesSubtype, clearSubtype } from '../values/json/subtype.js';
import type { ScalarFunction } from '../values/scalar-function.js';
import type { SqlValue } from '../values/values.js';
import type { CompileExpr, Compiled, Env, Scope, SourceColumn } from './scope.js';

/**
 * SQLite's JSON subtype at compile time (see values/json/subtype.ts): which argument
 * expressions can hand a JSON function text that embeds as JSON, and how to tell per row.
 * Like SQLite, the subtype survives a direct call of a JSON function or `->`, an aggregate
 * json_group_array/json_group_object, the value column of json_each/json_tree, and the
 * expressions that pass a value through unchanged (CASE, coalesce, ifnull, iif, nullif, min, max,
 * likely, unary +, COLLATE, CAST AS TEXT); any other expression makes plain text.
 */

/** Evaluates an argument and tells whether the value it just produced carries the subtype. */
export interface SubtypeProbe {
  readonly evaluate: (env: Env) => SqlValue;
  readonly isJson: (env: Env, value: SqlValue) => boolean;
}

/** JSON functions whose result can carry the subtype (they report it through values/json/subtype.ts). */
const PRODUCERS = new Set([
  'json',
  'json_array',
  'json_object',
  'json_quote',
  'json_set',
  'json_insert',
  'json_replace',
  'json_remove',
  'json_patch',
  'json_extract',
]);
/** Functions that return one of their arguments as it is, and which arguments those are. */
const PASS_THROUGH: Readonly<Record<string, (args: readonly Expr[]) => readonly Expr[]>> = {
  coalesce: (a) => a,
  ifnull: (a) => a,
  iif: (a) => a.slice(1),
  nullif: (a) => a.slice(0, 1),
  likely: (a) => a,
  unlikely: (a) => a,
  likelihood: (a) => a.slice(0, 1),
  min: (a) => (a.length > 1 ? a : []),
  max: (a) => (a.length > 1 ? a : []),
};
const ALWAYS_JSON_AGGREGATES = new Set(['json_group_array', 'json_group_object']);

/** json_each / json_tree `value` columns: their row's next column is the JSON type. */
const VALUE_COLUMNS = new WeakSet<SourceColumn>();

export function markJsonValueColumn(column: SourceColumn): SourceColumn {
  VALUE_COLUMNS.add(column);
  return column;
}

type Kind = 'flag' | 'string' | undefined;

/** How an expression's subtype is known: from the producers' flag, always (any text), or never. */
function kindOf(e: Expr): Kind {
  switch (e.kind) {
    case 'function': {
      // Over a window too, json_group_array/object make JSON (other window functions do not pass it on).
      if (e.over) return ALWAYS_JSON_AGGREGATES.has(e.name) ? 'string' : undefined;
      if (ALWAYS_JSON_AGGREGATES.has(e.name) && !e.keyword) return 'string';
      if (PRODUCERS.has(e.name)) return 'flag';
      const pass = PASS_THROUGH[e.name];
      return pass && pass(e.args).some((a) => kindOf(a) !== undefined) ? 'flag' : undefined;
    }
    case 'binary':
      return e.op === '->' ? 'string' : undefined;
    case 'case':
      return [...e.whens.map((w) => w.then), ...(e.otherwise ? [e.otherwise] : [])].some((x) => kindOf(x) !== undefined) ? 'flag' : undefined;
    case 'unary':
      return e.op === '+' ? kindOf(e.operand) : undefined;
    case 'collate':
      return kindOf(e.operand);
    case 'cast':
      return /^\s*TEXT\s*$/i.test(e.type) ? kindOf(e.operand) : undefined;
    default:
      return undefined;
  }
}

/** A json_each value column's probe: the value is JSON when the row's type is array or object. */
function valueColumnProbe(e: Expr, compiled: Compiled, scope: Scope): SubtypeProbe | undefined {
  if (e.kind !== 'column' || e.column.toLowerCase() !== 'value') return undefined;
  const found = scope.resolve(e.table, e.column);
  if (!found) return undefined;
  let s: Scope = scope;
  for (let d = 0; d < found.depth; d++) s = s.parent!;
  const source = s.sources.find((x) => found.slot >= x.offset && found.slot < x.offset + x.columns.length);
  if (!source || !VALUE_COLUMNS.has(source.columns[found.slot - source.offset]!)) return undefined;
  const { depth } = found;
  const typeSlot = found.slot + 1;
  return {
    evaluate: compiled.evaluate,
    isJson: (env, v) => {
      if (typeof v !== 'string') return false;
      let x: Env = env;
      for (let d = 0; d < depth; d++) x = x.outer!;
      const t = x.row[typeSlot];
      return t === 'object' || t === 'array';
    },
  };
}

const isString = (_env: Env, v: SqlValue): boolean => typeof v === 'string';
const hasFlag = (_env: Env, v: SqlValue): boolean => carriesSubtype(v);

/** The probe for an argument expression, or undefined when its value never carries the subtype. */
export function subtypeProbe(e: Expr, compiled: Compiled, scope: Scope): SubtypeProbe | undefined {
  const kind = kindOf(e);
  const inner = compiled.evaluate;
  if (kind === 'string') return { evaluate: inner, isJson: isString };
  if (kind === 'flag') {
    return {
      evaluate: (env) => {
        clearSubtype();
        return inner(env);
      },
      isJson: hasFlag,
    };
  }
  return valueColumnProbe(e, compiled, scope);
}

/** Probes for an aggregate's arguments when it reads subtypes (json_group_array / json_group_object). */
export function aggregateSubtypes(
  name: string,
  args: readonly Expr[],
  scope: Scope,
  compileExpr: CompileExpr,
): readonly (SubtypeProbe | undefined)[] | undefined {
  if (!ALWAYS_JSON_AGGREGATES.has(name) && !name.startsWith('jsonb_group_')) return undefined;
  return args.map((a) => subtypeProbe(a, compileExpr(a, scope), scope));
}

/** A call of a function that reads its arguments' subtypes (json_array, json_set, …). */
export function compileSubtypeCall(f: FunctionExpr, fn: ScalarFunction, scope: Scope, compileExpr: CompileExpr): Compiled {
  const compiled = f.args.map((a) => compileExpr(a, scope));
  const probes = f.args.map((a, i) => subtypeProbe(a, compiled[i]!, scope));
  const evaluators = compiled.map((c) => c.evaluate);
  const impl = fn.fn;
  const n = f.args.length;
  return {
    evaluate: (env) => {
      const values: SqlValue[] = new Array<SqlValue>(n);
      const json: boolean[] = new Array<boolean>(n);
      for (let i = 0; i < n; i++) {
        const p = probes[i];
        if (p) {
          const v = p.evaluate(env);
          values[i] = v;
          json[i] = p.isJson(env, v);
        } else {
          values[i] = evaluators[i]!(env);
          json[i] = false;
        }
      }
      return impl(values, json);
    },
    affinity: undefined,
  };
}

/** `json -> path` and `json ->> path`. */
export function compileArrow(e: BinaryExpr, scope: Scope, compileExpr: CompileExpr): Compiled {
  const l = compileExpr(e.left, scope).evaluate;
  const r = compileExpr(e.right, scope).evaluate;
  const asSql = e.op === '->>';
  return { evaluate: (env) => arrow(l(env), r(env), asSql), affinity: undefined };
}
