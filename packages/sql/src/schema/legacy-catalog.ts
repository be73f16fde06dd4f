import { DatabaseError } from '@sochdb/core';
import type { CheckDef, ColumnDef, TableDef } from './schema.js';

/**
 * Table definitions written before the schema kept SQL text stored DEFAULT and CHECK
 * expressions as node-sql-parser syntax trees. This turns such a tree back into fully
 * parenthesized SQL, so the tree's meaning is kept exactly (including the grouping that
 * parser gave an unparenthesized AND/OR chain, which is what the table has enforced since).
 * Only the node shapes that engine could evaluate occur here.
 */
type LegacyNode = { readonly type?: string; readonly [key: string]: unknown };

const isNode = (v: unknown): v is LegacyNode => typeof v === 'object' && v !== null && !Array.isArray(v);

function list(v: unknown): LegacyNode[] {
  if (isNode(v) && v.type === 'expr_list') return Array.isArray(v['value']) ? v['value'].filter(isNode) : [];
  if (Array.isArray(v)) return v.filter(isNode);
  return isNode(v) ? [v] : [];
}

/** A leaf's value as SQL text, `absent` when missing; any other shape is not a tree the old engine stored. */
function scalar(v: unknown, absent: string): string {
  if (v === undefined || v === null) return absent;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  throw new DatabaseError('corrupt SQL catalog entry: unreadable stored expression');
}

const quoteText = (s: string) => `'${s.replace(/'/g, "''")}'`;
const quoteName = (s: string) => `"${s.replace(/"/g, '""')}"`;

function functionName(n: LegacyNode): string {
  const name = n['name'];
  if (typeof name === 'string') return name;
  if (isNode(name) && Array.isArray(name['name']))
    return name['name']
      .filter(isNode)
      .map((p) => scalar(p['value'], ''))
      .join('.');
  return '';
}

export function legacyExprToSql(n: unknown): string {
  if (!isNode(n)) throw new DatabaseError('corrupt SQL catalog entry: unreadable stored expression');
  switch (n.type) {
    case 'number':
    case 'bigint': {
      const v = String(n['value']);
      return v.startsWith('-') ? `(${v})` : v;
    }
    case 'single_quote_string':
    case 'string':
      return quoteText(scalar(n['value'], '').replace(/''/g, "'"));
    case 'double_quote_string':
      return quoteName(scalar(n['value'], ''));
    case 'hex_string':
    case 'full_hex_string':
      return `x'${scalar(n['value'], '')}'`;
    case 'bool':
      return n['value'] ? '1' : '0';
    case 'null':
      return 'NULL';
    case 'origin':
      return scalar(n['value'], 'NULL');
    case 'column_ref':
      return (
        (typeof n['table'] === 'string' ? `${quoteName(n['table'])}.` : '') +
        quoteName(
          typeof n['column'] === 'string'
            ? n['column']
            : String((n['column'] as LegacyNode | undefined)?.['expr'] ? ((n['column'] as LegacyNode)['expr'] as LegacyNode)['value'] : ''),
        )
      );
    case 'unary_expr': {
      const op = String(n['operator']).toUpperCase();
      return `(${op === '!' ? 'NOT' : op} ${legacyExprToSql(n['expr'])})`;
    }
    case 'binary_expr': {
      const op = String(n['operator']).toUpperCase();
      const left = legacyExprToSql(n['left']);
      if (op === 'BETWEEN' || op === 'NOT BETWEEN') {
        const [lo, hi] = list(n['right']);
        return `(${left} ${op} ${legacyExprToSql(lo)} AND ${legacyExprToSql(hi)})`;
      }
      if (op === 'IN' || op === 'NOT IN') return `(${left} ${op} (${list(n['right']).map(legacyExprToSql).join(', ')}))`;
      return `(${left} ${op} ${legacyExprToSql(n['right'])})`;
    }
    case 'function': {
      const name = functionName(n);
      if (/^CURRENT_(TIMESTAMP|DATE|TIME)$/i.test(name) && n['args'] === undefined) return name.toUpperCase();
      return `${name}(${list(n['args']).map(legacyExprToSql).join(', ')})`;
    }
    case 'case': {
      const base = n['expr'] === undefined || n['expr'] === null ? '' : ` ${legacyExprToSql(n['expr'])}`;
      const arms = list(n['args']).map((a) =>
        a.type === 'else' ? ` ELSE ${legacyExprToSql(a['result'])}` : ` WHEN ${legacyExprToSql(a['cond'])} THEN ${legacyExprToSql(a['result'])}`,
      );
      return `(CASE${base}${arms.join('')} END)`;
    }
    case 'cast': {
      const target = list(n['target'])[0];
      return `CAST(${legacyExprToSql(n['expr'])} AS ${scalar(target?.['dataType'], 'BLOB')})`;
    }
    case 'expr_list': {
      const items = list(n);
      if (items.length === 1) return legacyExprToSql(items[0]);
      break;
    }
  }
  throw new DatabaseError(`corrupt SQL catalog entry: stored expression of unknown kind '${String(n.type)}'`);
}

interface LegacyColumn extends Omit<ColumnDef, 'defaultSql'> {
  readonly defaultSql?: string;
  readonly defaultExpr?: unknown;
}

interface LegacyCheck {
  readonly name: string;
  readonly sql?: string;
  readonly expr?: unknown;
}

/** A stored definition in either format, as today's TableDef. */
export function upgradeTableDef(stored: TableDef | (Omit<TableDef, 'columns' | 'checks'> & { columns: LegacyColumn[]; checks: LegacyCheck[] })): TableDef {
  const columns = stored.columns.map((c: LegacyColumn): ColumnDef => {
    if ('defaultSql' in c || !('defaultExpr' in c)) return c as ColumnDef;
    const { defaultExpr, ...rest } = c;
    return { ...rest, defaultSql: defaultExpr === undefined || defaultExpr === null ? undefined : legacyExprToSql(defaultExpr) };
  });
  const checks = stored.checks.map((k: LegacyCheck): CheckDef =>
    typeof k.sql === 'string' ? { name: k.name, sql: k.sql } : { name: k.name, sql: legacyExprToSql(k.expr) },
  );
  return { ...stored, columns, checks };
}
