// The duplicate-key check of layer 1, in time linear in the document.
//
// The `yaml` package can reject duplicate keys itself (`uniqueKeys: true`), but it compares
// every new key with every earlier key of its mapping: a mapping of 40,000 keys took about
// 20 s and one of 300,000 keys never finished. podtrace parses with `uniqueKeys: false` and
// runs this check instead, which remembers each mapping's keys in a hash set. It reports
// what the package would: the same keys (two scalar keys are the same when their resolved
// values are identical, so `yes` and `true` collide under YAML 1.1 while `1` and `"1"` do
// not; a NaN key, an alias or a collection as key never collides), with the same code and
// message, at the key's start; a property test compares the two on random mappings.
import { isMap, isPair, isScalar, isSeq, YAMLParseError, type Document, type Node, type YAMLError } from 'yaml';

const message = 'Map keys must be unique';

/** The key of a pair as the duplicate check compares it, or `undefined` when it never collides. */
function comparableKey(key: unknown): { value: unknown } | undefined {
  if (!isScalar(key)) return undefined;
  const value = key.value;
  // The package compares with ===, under which NaN differs from itself; a Set would not.
  if (typeof value === 'number' && Number.isNaN(value)) return undefined;
  return { value };
}

/**
 * DUPLICATE_KEY errors for every mapping of a document, in document order. Each error's
 * position spans the repeated key, so that a finding can underline it without searching.
 * Walks the tree with an explicit stack, so deep nesting cannot overflow the call stack.
 */
export function duplicateKeyErrors(doc: Document.Parsed): YAMLError[] {
  const errors: YAMLError[] = [];
  const stack: unknown[] = [doc.contents];
  while (stack.length > 0) {
    const node = stack.pop();
    if (isMap(node)) {
      const seen = new Set<unknown>();
      for (const pair of node.items) {
        const key = comparableKey(pair.key);
        if (key) {
          if (seen.has(key.value)) {
            const range = (pair.key as Node).range;
            const span: [number, number] | undefined = range ? [range[0], Math.max(range[0] + 1, range[1])] : undefined;
            if (span) errors.push(new YAMLParseError(span, 'DUPLICATE_KEY', message));
          } else {
            seen.add(key.value);
          }
        }
      }
      // Pushed in reverse so that nested mappings are visited in document order.
      for (let i = node.items.length - 1; i >= 0; i--) {
        const pair = node.items[i];
        stack.push(pair.value, pair.key);
      }
    } else if (isSeq(node)) {
      for (let i = node.items.length - 1; i >= 0; i--) stack.push(node.items[i]);
    } else if (isPair(node)) {
      stack.push(node.value, node.key);
    }
  }
  return errors;
}

/**
 * `errors` with `extra` merged in by start offset; an extra error goes after the errors
 * that start at or before it, which is where the parser, reporting as it reads, puts it.
 */
export function mergeErrorsByPosition(errors: readonly YAMLError[], extra: readonly YAMLError[]): YAMLError[] {
  if (extra.length === 0) return errors as YAMLError[];
  const out: YAMLError[] = [];
  let i = 0;
  for (const e of extra) {
    while (i < errors.length && errors[i].pos[0] <= e.pos[0]) out.push(errors[i++]);
    out.push(e);
  }
  while (i < errors.length) out.push(errors[i++]);
  return out;
}
