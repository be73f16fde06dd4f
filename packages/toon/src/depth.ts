/**
 * How deeply TOON values may nest: a value inside 256 arrays or objects (the outermost one
 * counted) is the deepest either form writes or reads. Encoders and JSON.stringify recurse once
 * per level and run out of stack a few thousand levels down (sooner when called from deep
 * code); 256 leaves a wide margin while no table data comes near it. Every check below stops at
 * the limit, so a 100,000-level or cyclic value is refused as quickly as a 257-level one.
 */
export const MAX_TOON_DEPTH = 256;

/**
 * Whether `value` nests arrays, objects, Maps or Sets more than `MAX_TOON_DEPTH` levels (a cycle
 * always does). Iterative, so it cannot overflow the stack itself.
 */
export function nestsTooDeeply(value: unknown): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
    const [item, depth] = top;
    const children = childrenOf(item);
    if (children === undefined) continue;
    if (depth > MAX_TOON_DEPTH) return true;
    for (const child of children) stack.push([child, depth + 1]);
  }
  return false;
}

/** What an encoder descends into; undefined for a leaf (primitives, dates, anything else). */
function childrenOf(value: unknown): Iterable<unknown> | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  if (Array.isArray(value) || value instanceof Set) return value as Iterable<unknown>;
  if (value instanceof Map) return value.values();
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null ? Object.values(value) : undefined;
}
