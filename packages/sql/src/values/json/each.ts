import { toText, type SqlValue } from '../values.js';
import { documentOf } from './functions.js';
import { encodeJsonb } from './jsonb.js';
import { encodedSize, headerSize, isContainer, J_OBJECT, type JsonNode, payloadSize, typeNameOf } from './node.js';
import { badPath, cPath, lookup, NOT_FOUND, pathStep, type Found } from './path.js';
import { guarded, sqlValueOf } from './value.js';

/**
 * The rows of json_each() and json_tree() (json.c's json_each virtual table): key, value, type,
 * atom, id, parent, fullkey, path, then the hidden json and root columns. `id` and `parent` are
 * byte offsets in SQLite's JSONB encoding of the document (an object member's id is its label's).
 */

export const JSON_EACH_COLUMNS = ['key', 'value', 'type', 'atom', 'id', 'parent', 'fullkey', 'path'] as const;
export const JSON_EACH_HIDDEN = ['json', 'root'] as const;

type Row = SqlValue[];

/** Offset of `container.items[index]` in the encoding, given the container's own offset. */
function childOffset(container: JsonNode, offset: number, index: number): number {
  let at = offset + headerSize(payloadSize(container));
  const items = container.items!;
  for (let k = 0; k < index; k++) at += encodedSize(items[k]!);
  return at;
}

/** Offset of the node a lookup reached (the value, not its label). */
function foundOffset(found: Found): number {
  let at = 0;
  for (const [container, index] of found.steps) at = childOffset(container, at, index);
  return at;
}

/** What json_each / json_tree start from: the node, its row id (its label's offset in an object) and whether it sits in an object. */
interface Start {
  readonly node: JsonNode;
  readonly id: number;
  readonly inObject: boolean;
  readonly root: string;
}

function start(doc: JsonNode, rootArg: SqlValue | undefined): Start | undefined {
  if (rootArg === undefined) return { node: doc, id: 0, inObject: false, root: '$' };
  if (rootArg === null) return undefined;
  const root = cPath(toText(rootArg)!);
  if (root[0] !== '$') throw badPath(root);
  if (root.length === 1) return { node: doc, id: 0, inObject: false, root };
  const found = lookup(doc, root.slice(1));
  if (found === NOT_FOUND) return undefined;
  if (typeof found === 'string') throw badPath(root);
  const last = found.steps[found.steps.length - 1]!;
  const valueAt = foundOffset(found);
  const inObject = last[0].type === J_OBJECT;
  const id = inObject ? valueAt - encodedSize(last[0].items![last[1] - 1]!) : valueAt;
  return { node: found.node, id, inObject, root };
}

/**
 * json_tree's key and path for its first row when the root path is not '$': SQLite splits the
 * root path at the last '.' or '[' whose prefix names the container this row is the first
 * member of, or else right after '$' (jsonEachPathLength), and reads the key from the rest.
 */
function rootSplit(doc: JsonNode, s: Start): number {
  const z = s.root;
  let n = z.length;
  while (n > 1) {
    n--;
    if (z[n] !== '[' && z[n] !== '.') continue;
    const found = lookup(doc, z.slice(1, n));
    if (typeof found === 'string') continue;
    const at = foundOffset(found);
    if (at + headerSize(payloadSize(found.node)) === s.id) break;
  }
  return n;
}

function rootKey(z: string, j: number): SqlValue {
  const n = z.length - j;
  if (n === 0) return null;
  if (z[j] === '[') {
    const m = /^[+-]?\d+/.exec(z.slice(j + 1, j + n));
    return m ? BigInt(m[0]) : 0n;
  }
  if (z[j + 1] === '"') return z.slice(j + 2, j + n - 1);
  return z.slice(j + 1, j + n);
}

/** The rows of json_each(json, root) (`recursive` false) or json_tree(json, root); `jsonb` for jsonb_each / jsonb_tree. */
export const jsonEachRows = guarded(eachRows);

function eachRows(args: readonly SqlValue[], recursive: boolean, jsonb = false): Row[] {
  if (args.length === 0 || args[0] === null) return [];
  const input = args[0]!;
  const doc = documentOf(input);
  if (doc === null) return [];
  const s = start(doc, args.length > 1 ? args[1] : undefined);
  if (!s) return [];
  const json: SqlValue = input instanceof Uint8Array ? input : toText(input);
  const rows: Row[] = [];
  const row = (key: SqlValue, node: JsonNode, id: number, parent: SqlValue, fullkey: string, path: string): void => {
    // jsonb_each / jsonb_tree give arrays and objects as JSONB.
    const value = jsonb && isContainer(node) ? encodeJsonb(node) : sqlValueOf(node);
    rows.push([key, value, typeNameOf(node), isContainer(node) ? null : value, BigInt(id), parent, fullkey, path, json, s.root]);
  };
  const rootValueAt = s.inObject ? s.id + encodedSize(labelBefore(doc, s)) : s.id;
  if (!recursive) {
    if (!isContainer(s.node)) row(null, s.node, s.id, null, s.root, s.root);
    else children(s.node, rootValueAt, s.root, (key, node, id, fullkey) => row(key, node, id, null, fullkey, s.root));
    return rows;
  }
  const split = s.root.length === 1 ? 1 : rootSplit(doc, s);
  row(s.root.length === 1 ? null : rootKey(s.root, split), s.node, s.id, null, s.root, s.root.slice(0, split));
  const descend = (node: JsonNode, valueAt: number, id: number, path: string): void => {
    children(node, valueAt, path, (key, child, childId, fullkey, childValueAt) => {
      row(key, child, childId, BigInt(id), fullkey, path);
      if (isContainer(child)) descend(child, childValueAt, childId, fullkey);
    });
  };
  if (isContainer(s.node)) descend(s.node, rootValueAt, s.id, s.root);
  return rows;
}

/** The label node of the member a root path reached (only called when it is in an object). */
function labelBefore(doc: JsonNode, s: Start): JsonNode {
  const found = lookup(doc, s.root.slice(1)) as Found;
  const [container, index] = found.steps[found.steps.length - 1]!;
  return container.items![index - 1]!;
}

/** Calls `each` for every member of a container: key, value node, row id, full key, value offset. */
function children(
  container: JsonNode,
  offset: number,
  path: string,
  each: (key: SqlValue, node: JsonNode, id: number, fullkey: string, valueAt: number) => void,
): void {
  const items = container.items!;
  let at = offset + headerSize(payloadSize(container));
  if (container.type === J_OBJECT) {
    for (let k = 0; k < items.length; k += 2) {
      const label = items[k]!;
      const valueAt = at + encodedSize(label);
      each(sqlValueOf(label), items[k + 1]!, at, path + pathStep(container, k + 1), valueAt);
      at = valueAt + encodedSize(items[k + 1]!);
    }
    return;
  }
  for (let k = 0; k < items.length; k++) {
    each(BigInt(k), items[k]!, at, path + pathStep(container, k), at);
    at += encodedSize(items[k]!);
  }
}
