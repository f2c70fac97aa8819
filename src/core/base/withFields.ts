// `{ ...base, ...fields }` for plain data, with a shape V8 can share. In V8 (Node 20), a
// spread copy that is given a key its source lacks (`{ ...spec, nodeName }`) gets a hidden
// class of its own: the copy's map is not on the shared transition tree, so each such object
// makes a new one. Admission built every pod's spec and containers that way (the service
// account's token volume and mount, the default tolerations) and binding added `nodeName`,
// so each pod's spec had a shape of its own and every read of it by the scheduler, the
// kubelet and the controllers missed V8's inline caches. Copying key by key walks the shared
// transition tree: objects with the same keys in the same order share one shape.

/**
 * A copy of `base` with `fields` set: `base`'s keys in their order (a field it already has
 * keeps its place), then the new ones in the order given, as the spread would have them.
 */
export function withFields<T extends object>(base: T, fields: Readonly<Record<string, unknown>>): T {
  const out: Record<string, unknown> = {};
  for (const key in base) set(out, key, base[key]);
  for (const key in fields) set(out, key, fields[key]);
  return out as T;
}

/**
 * A plain data property, as the spread makes it: a `__proto__` key from
 * a manifest stays a key and never becomes the object's prototype.
 */
function set(out: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__')
    Object.defineProperty(out, key, { value, writable: true, enumerable: true, configurable: true });
  else out[key] = value;
}
