// Growing a typed array that is used as a column of numbers (an event queue's times, the
// event recorder's occurrences): twice the length, the old values first.

export function doubled<T extends Int32Array | Float64Array>(array: T): T {
  const grown = new (array.constructor as new (length: number) => T)(array.length * 2);
  grown.set(array);
  return grown;
}
