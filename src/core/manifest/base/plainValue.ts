// Typed reads of a decoded manifest. The schema layer reports wrong types; the rules here
// only look at values of the type they expect and pass over the rest, so one mistake is
// reported once, by the layer that owns it.

export type Obj = Record<string, unknown>;

const empty: Obj = Object.freeze({}) as Obj;
const noItems: readonly unknown[] = Object.freeze([]);

export function isObj(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The object at `value`, or a shared frozen empty object. */
export function obj(value: unknown): Obj {
  return isObj(value) ? value : empty;
}

export function arr(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : noItems;
}

/** A string field; an absent or non-string value reads as '' (Go's zero value). */
export function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** An integer field, or undefined when absent or not an integer. */
export function int(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) ? value : undefined;
}

/** A map of strings (labels, annotations, selectors); entries whose value is not a string are skipped. */
export function stringEntries(value: unknown): [string, string][] {
  if (!isObj(value)) return [];
  const out: [string, string][] = [];
  for (const key of Object.keys(value)) {
    const v = value[key];
    if (typeof v === 'string') out.push([key, v]);
    else if (typeof v === 'number' || typeof v === 'boolean') out.push([key, String(v)]);
  }
  return out;
}

/** `map[string]string{"a":"b", "c":"d"}`: how Go's %#v prints a string map (keys sorted), for 1.32–1.33 messages. */
export function goStringMap(value: unknown): string {
  if (!isObj(value)) return 'map[string]string(nil)';
  const keys = Object.keys(value).sort();
  return `map[string]string{${keys.map((k) => `${goString(k)}:${goString(String(value[k]))}`).join(', ')}}`;
}

function goString(value: string): string {
  return JSON.stringify(value);
}

/** An IntOrString as the apiserver sees it. */
export type IntOrString = { kind: 'int'; value: number } | { kind: 'string'; value: string } | undefined;

export function intOrString(value: unknown): IntOrString {
  if (typeof value === 'number' && Number.isInteger(value)) return { kind: 'int', value };
  if (typeof value === 'string') return { kind: 'string', value };
  return undefined;
}
