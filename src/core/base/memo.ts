// Results kept per key for pure functions that are asked the same few questions again and
// again (an image name, a quantity text). The table is emptied when it reaches `limit`, so a
// long-lived process (the editor) never grows it without bound.

export function memoize<K, V>(compute: (key: K) => V, limit: number): (key: K) => V {
  const known = new Map<K, V>();
  return (key) => {
    const found = known.get(key);
    if (found !== undefined || known.has(key)) return found as V;
    const value = compute(key);
    if (known.size >= limit) known.clear();
    known.set(key, value);
    return value;
  };
}
