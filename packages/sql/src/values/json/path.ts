import { QueryError } from '@sochdb/core';
import { J_ARRAY, J_OBJECT, J_TEXT5, J_TEXTRAW, JsonNode } from './node.js';
import { JSON_MAX_DEPTH } from './parse.js';
import { decodeEscapes, labelKey } from './value.js';

/**
 * JSON paths (`$`, `.key`, `."quoted key"`, `[N]`, `[#]`, `[#-N]`), read one step at a time as
 * SQLite's jsonLookupStep does: a step is only parsed when the walk reaches it, so `$.a[x]` on a
 * document without `a` is "not found" rather than a bad path — unless an edit must create it.
 */

export const NOT_FOUND = 'notfound';
export const PATH_ERROR = 'patherror';
type Miss = typeof NOT_FOUND | typeof PATH_ERROR;

function pathTooDeep(): QueryError {
  return new QueryError('JSON path too deep', { remediation: `Paths that create structure may be at most ${JSON_MAX_DEPTH} steps deep.` });
}

export function badPath(path: string): QueryError {
  return new QueryError(`bad JSON path: '${path.replace(/'/g, "''")}'`, { remediation: "Write paths like '$', '$.key', '$.\"a key\"', '$[0]' or '$[#-1]'." });
}

/** SQLite reads the path as a C string: it ends at a NUL. */
export function cPath(path: string): string {
  const nul = path.indexOf('\u0000');
  return nul < 0 ? path : path.slice(0, nul);
}

interface KeyStep {
  /** The key as written (escapes kept). */
  readonly key: string;
  /** The key contains no backslash escape. */
  readonly raw: boolean;
  /** Index just after the step. */
  readonly next: number;
}

/** `.key` or `."key"` at path[i] ('.'); undefined for a bad key. */
function keyStep(path: string, i: number): KeyStep | undefined {
  const start = i + 1;
  if (path[start] === '"') {
    let k = start + 1;
    while (k < path.length && path[k] !== '"') k += path[k] === '\\' && k + 1 < path.length ? 2 : 1;
    if (k >= path.length) return undefined;
    const key = path.slice(start + 1, k);
    return { key, raw: !key.includes('\\'), next: k + 1 };
  }
  let k = start;
  while (k < path.length && path[k] !== '.' && path[k] !== '[') k++;
  if (k === start) return undefined;
  return { key: path.slice(start, k), raw: true, next: k };
}

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

/** `[N]`, `[#]` or `[#-N]` at path[i] ('[') for an array of `count` elements: the index, or a miss. */
function indexStep(path: string, i: number, count: number): { index: number; next: number } | Miss {
  let k = 0;
  let j = i + 1;
  while (isDigit(path[j])) {
    // SQLite accumulates in an unsigned 32-bit integer.
    k = (k * 10 + (path.charCodeAt(j) - 48)) >>> 0;
    j++;
  }
  if (j === i + 1 || path[j] !== ']') {
    if (path[i + 1] !== '#') return PATH_ERROR;
    k = count;
    j = i + 2;
    if (path[j] === '-' && isDigit(path[j + 1])) {
      let nn = 0;
      j++;
      do {
        nn = (nn * 10 + (path.charCodeAt(j) - 48)) >>> 0;
        j++;
      } while (isDigit(path[j]));
      if (nn > k) return NOT_FOUND;
      k -= nn;
    }
    if (path[j] !== ']') return PATH_ERROR;
  }
  return { index: k, next: j + 1 };
}

/** The index of the first label equal to `key` in an object's items, or -1. */
function findLabel(items: readonly JsonNode[], key: string, raw: boolean): number {
  const wanted = raw ? key : decodeEscapes(key, true);
  for (let i = 0; i < items.length; i += 2) if (labelKey(items[i]!) === wanted) return i;
  return -1;
}

/** Where a path led: the node, and each container stepped through with the item index taken. */
export interface Found {
  readonly node: JsonNode;
  /** [container, index in its items] per step; an object step's index is the value's. */
  readonly steps: readonly (readonly [JsonNode, number])[];
}

/** Follows `path` (the text after '$') from `root`. */
export function lookup(root: JsonNode, path: string): Found | Miss {
  const steps: [JsonNode, number][] = [];
  let node = root;
  let i = 0;
  while (i < path.length) {
    const c = path[i];
    if (c === '.') {
      const step = keyStep(path, i);
      if (!step) return PATH_ERROR;
      if (node.type !== J_OBJECT) return NOT_FOUND;
      const at = findLabel(node.items!, step.key, step.raw);
      if (at < 0) return NOT_FOUND;
      steps.push([node, at + 1]);
      node = node.items![at + 1]!;
      i = step.next;
    } else if (c === '[') {
      if (node.type !== J_ARRAY) return NOT_FOUND;
      const step = indexStep(path, i, node.items!.length);
      if (typeof step === 'string') return step;
      if (step.index >= node.items!.length) return NOT_FOUND;
      steps.push([node, step.index]);
      node = node.items![step.index]!;
      i = step.next;
    } else return PATH_ERROR;
  }
  return { node, steps };
}

export type EditMode = 'remove' | 'replace' | 'insert' | 'set';

/** Marks the element a removal reached, so its container drops it (with its label). */
const REMOVED = new JsonNode(-1, '', undefined);

/**
 * `node` with `value` written at `path` (from index i) as json_set / json_insert / json_replace
 * / json_remove do; the same node when nothing changes, or a miss. Containers along the path are
 * copied, the rest shared.
 */
export function edit(node: JsonNode, path: string, i: number, mode: EditMode, value: JsonNode, depth = 0): JsonNode | Miss {
  // Only a path that creates structure gets this deep (documents nest at most JSON_MAX_DEPTH).
  if (depth > JSON_MAX_DEPTH && (mode === 'insert' || mode === 'set')) throw pathTooDeep();
  if (i >= path.length) {
    if (mode === 'remove') return REMOVED;
    return mode === 'insert' ? node : value;
  }
  const c = path[i];
  if (c === '.') {
    const step = keyStep(path, i);
    if (!step) return PATH_ERROR;
    if (node.type !== J_OBJECT) return NOT_FOUND;
    const items = node.items!;
    const at = findLabel(items, step.key, step.raw);
    if (at >= 0) {
      const child = edit(items[at + 1]!, path, step.next, mode, value, depth + 1);
      if (typeof child === 'string') return child;
      if (child === items[at + 1]) return node;
      const copy = items.slice();
      if (child === REMOVED) copy.splice(at, 2);
      else copy[at + 1] = child;
      return new JsonNode(J_OBJECT, '', copy);
    }
    if (mode !== 'insert' && mode !== 'set') return NOT_FOUND;
    const sub = substructure(path, step.next, mode, value, depth + 1);
    if (typeof sub === 'string') return sub;
    const label = new JsonNode(step.raw ? J_TEXTRAW : J_TEXT5, step.key, undefined);
    return new JsonNode(J_OBJECT, '', [...items, label, sub]);
  }
  if (c === '[') {
    if (node.type !== J_ARRAY) return NOT_FOUND;
    const items = node.items!;
    const step = indexStep(path, i, items.length);
    if (typeof step === 'string') return step;
    if (step.index < items.length) {
      const child = edit(items[step.index]!, path, step.next, mode, value, depth + 1);
      if (typeof child === 'string') return child;
      if (child === items[step.index]) return node;
      const copy = items.slice();
      if (child === REMOVED) copy.splice(step.index, 1);
      else copy[step.index] = child;
      return new JsonNode(J_ARRAY, '', copy);
    }
    if (step.index > items.length || (mode !== 'insert' && mode !== 'set')) return NOT_FOUND;
    const sub = substructure(path, step.next, mode, value, depth + 1);
    if (typeof sub === 'string') return sub;
    return new JsonNode(J_ARRAY, '', [...items, sub]);
  }
  return PATH_ERROR;
}

const EMPTY_OBJECT = new JsonNode(J_OBJECT, '', []);
const EMPTY_ARRAY = new JsonNode(J_ARRAY, '', []);

/** What json_set creates for the rest of a path that does not exist yet (`$.a.b` → {"b": value}). */
function substructure(path: string, i: number, mode: EditMode, value: JsonNode, depth: number): JsonNode | Miss {
  if (depth > JSON_MAX_DEPTH) throw pathTooDeep();
  if (i >= path.length) return value;
  const start = path[i] === '.' ? EMPTY_OBJECT : EMPTY_ARRAY;
  return edit(start, path, i, mode, value, depth);
}

/** json_each's name of an element in its parent's path: `[3]`, `.key` or `."a key"` (labels as written). */
export function pathStep(container: JsonNode, index: number): string {
  if (container.type === J_ARRAY) return `[${index}]`;
  const label = container.items![index - 1]!;
  const z = label.text;
  return /^[A-Za-z][A-Za-z0-9]*$/.test(z) ? `.${z}` : `."${z}"`;
}
