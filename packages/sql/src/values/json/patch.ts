import { J_NULL, J_OBJECT, JsonNode } from './node.js';
import { labelKey } from './value.js';

const EMPTY_OBJECT = new JsonNode(J_OBJECT, '', []);

/**
 * json_patch(): RFC 7396 MergePatch as SQLite applies it (json.c, jsonMergePatch): a patch that
 * is not an object replaces the target; otherwise each member replaces, merges into or (when
 * null) removes the target's first member with that label, and new labels go at the end.
 */
export function mergePatch(target: JsonNode, patch: JsonNode): JsonNode {
  if (patch.type !== J_OBJECT) return patch;
  const items = target.type === J_OBJECT ? target.items!.slice() : [];
  const p = patch.items!;
  for (let i = 0; i < p.length; i += 2) {
    const label = p[i]!;
    const value = p[i + 1]!;
    const key = labelKey(label);
    let at = -1;
    for (let k = 0; k < items.length; k += 2) {
      if (labelKey(items[k]!) === key) {
        at = k;
        break;
      }
    }
    if (at >= 0) {
      if (value.type === J_NULL) items.splice(at, 2);
      else items[at + 1] = mergePatch(items[at + 1]!, value);
    } else if (value.type !== J_NULL) {
      items.push(label, value.type === J_OBJECT ? mergePatch(EMPTY_OBJECT, value) : value);
    }
  }
  return new JsonNode(J_OBJECT, '', items);
}
