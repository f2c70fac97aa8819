// Typed-array columns that grow by doubling, so that appending n values costs O(n) in all
// and the trace keeps no object per event.

export type NumberArray = Int32Array | Float64Array | Uint8Array;

/** `array` itself when it holds `needed` values, else a copy with at least twice its room. */
export function ensureRoom<T extends NumberArray>(array: T, needed: number): T {
  if (needed <= array.length) return array;
  let size = Math.max(16, array.length * 2);
  while (size < needed) size *= 2;
  const grown = new (array.constructor as new (length: number) => T)(size);
  grown.set(array);
  return grown;
}

/** Like `ensureRoom`, with the new entries set to `fill` (e.g. -1 for "none"). */
export function ensureRoomFilled<T extends Int32Array | Float64Array>(array: T, needed: number, fill: number): T {
  if (needed <= array.length) return array;
  const before = array.length;
  const grown = ensureRoom(array, needed);
  grown.fill(fill, before);
  return grown;
}

/** The first index in `sorted[0, length)` whose value is ≥ `value` (`length` when none is). */
export function lowerBound(sorted: Float64Array | Int32Array, length: number, value: number): number {
  let lo = 0;
  let hi = length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The first index in `sorted[0, length)` whose value is > `value` (`length` when none is). */
export function upperBound(sorted: Float64Array | Int32Array, length: number, value: number): number {
  let lo = 0;
  let hi = length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
