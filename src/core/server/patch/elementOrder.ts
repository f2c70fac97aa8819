// The merge of two ordered lists that strategicpatch's mergeSortedSlice performs for
// `$setElementOrder`: a server-only item goes first only when both items are in the server's
// order and it came first there; otherwise the patch's item goes first.
import { sameValue } from '../../base/sameValue';
import type { JsonValue } from './jsonValue';

export function mergeSortedItems(
  serverOnly: readonly JsonValue[],
  patchOrdered: readonly JsonValue[],
  serverOrder: readonly JsonValue[],
  identity: (value: JsonValue) => JsonValue,
): JsonValue[] {
  const indexInServer = (v: JsonValue): number => serverOrder.findIndex((id) => sameValue(id, identity(v)));
  const out: JsonValue[] = [];
  let i = 0;
  let j = 0;
  while (i < serverOnly.length || j < patchOrdered.length) {
    if (j >= patchOrdered.length) out.push(serverOnly[i++]);
    else if (i >= serverOnly.length) out.push(patchOrdered[j++]);
    else {
      const left = indexInServer(serverOnly[i]);
      const right = indexInServer(patchOrdered[j]);
      if (left >= 0 && right >= 0 && left < right) out.push(serverOnly[i++]);
      else out.push(patchOrdered[j++]);
    }
  }
  return out;
}
