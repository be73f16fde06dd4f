/**
 * The slice of node-sql-parser's AST this package reads. The parser's own typings are loose (many
 * `any`), so nodes are read through these narrowing accessors instead.
 */
export interface Node {
  readonly type?: string;
  readonly [key: string]: unknown;
}

export function isNode(v: unknown): v is Node {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function child(n: Node, key: string): Node | undefined {
  const v = n[key];
  return isNode(v) ? v : undefined;
}

export function children(n: Node, key: string): Node[] {
  const v = n[key];
  if (Array.isArray(v)) return v.filter(isNode);
  return isNode(v) ? [v] : [];
}

export function text(n: Node, key: string): string | undefined {
  const v = n[key];
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
}

/** A column name as the parser gives it: a string, or `{ expr: { value } }` in some positions. */
export function columnName(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (isNode(v)) {
    const expr = child(v, 'expr');
    if (expr) return text(expr, 'value');
    return text(v, 'value') ?? columnName(v['column']);
  }
  return undefined;
}
