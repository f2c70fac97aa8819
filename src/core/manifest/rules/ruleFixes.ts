// Quick fixes for layer-3 findings, offered only where the repair is certain: a name that
// is wrong only in its case, a duplicate name that can take a free suffix, and a template
// that lacks the labels its selector asks for.
import { isMap, isPair, isScalar, type Document, type Node, type Pair } from 'yaml';
import type { QuickFix, TextEdit } from '../../base/finding';
import type { LineIndex } from '../../base/lineIndex';
import type { PathSegment } from '../base/fieldPath';
import { isDNS1035Label, isDNS1123Label, isDNS1123Subdomain, isValidPortName } from './nameFormats';
import { obj, stringEntries, type Obj } from '../base/plainValue';
import { ruleCodes } from './ruleCodes';
import type { RuleError } from './ruleError';

export interface FixContext {
  readonly doc: Document.Parsed;
  readonly lines: LineIndex;
  /** The object as written (before defaulting). */
  readonly object: Obj;
  /** The path of the object inside the document ([] or ['items', i] for a List). */
  readonly base: readonly PathSegment[];
}

/** The YAML node (and its pair, in a map) at a path, or undefined when the path is not written. */
function nodeAt(
  doc: Document.Parsed,
  segments: readonly PathSegment[],
): { pair?: Pair<Node, Node>; node: Node | null } | undefined {
  let node = doc.contents as Node | null;
  let pair: Pair<Node, Node> | undefined;
  for (const segment of segments) {
    if (typeof segment === 'number') {
      const items = (node as { items?: unknown[] } | null)?.items;
      if (!Array.isArray(items) || isMap(node)) return undefined;
      node = (items[segment] as Node | undefined) ?? null;
      pair = undefined;
    } else if (isMap(node)) {
      pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === segment) as
        Pair<Node, Node> | undefined;
      if (!pair) return undefined;
      node = pair.value;
    } else return undefined;
  }
  return { pair, node };
}

function replaceScalar(ctx: FixContext, segments: readonly PathSegment[], newText: string): TextEdit | undefined {
  const found = nodeAt(ctx.doc, [...ctx.base, ...segments]);
  const range = found?.node && isScalar(found.node) ? found.node.range : undefined;
  return range ? { range: ctx.lines.range(range[0], range[1]), newText } : undefined;
}

const nameChecks: [string, (v: string) => string[]][] = [
  ['RFC 1123 label', isDNS1123Label],
  ['RFC 1123 subdomain', isDNS1123Subdomain],
  ['DNS-1035 label', isDNS1035Label],
];

/** A value that YAML would read back as the same plain string. */
function yamlScalar(value: string): string {
  return /^[A-Za-z][-A-Za-z0-9_.]*$/.test(value) && !/^(y|n|yes|no|on|off|true|false|null)$/i.test(value)
    ? value
    : JSON.stringify(value);
}

function lowercaseFix(error: RuleError, ctx: FixContext): QuickFix | undefined {
  if (error.type !== 'FieldValueInvalid' || typeof error.badValue !== 'string' || !error.detail) return undefined;
  const check = nameChecks.find(([marker]) => error.detail!.includes(marker))?.[1];
  const lower = error.badValue.toLowerCase();
  if (!check || lower === error.badValue || check(lower).length > 0) return undefined;
  const edit = replaceScalar(ctx, error.segments, lower);
  return edit && { title: `Change to '${lower}'`, edits: [edit] };
}

function duplicateFix(error: RuleError, ctx: FixContext): QuickFix | undefined {
  if (error.type !== 'FieldValueDuplicate' || typeof error.badValue !== 'string') return undefined;
  const segments = error.segments;
  // Names already used in the same list, so the new one is free.
  const listPath = segments.slice(0, -2);
  let list: unknown = ctx.object;
  for (const s of listPath) list = (list as Record<string | number, unknown> | undefined)?.[s];
  const taken = new Set((Array.isArray(list) ? list : []).map((item) => String(obj(item).name)));
  const isPortName = segments.includes('ports');
  for (let n = 2; n < 100; n++) {
    const candidate = `${error.badValue}-${n}`;
    if (taken.has(candidate)) continue;
    if (isPortName ? isValidPortName(candidate).length > 0 : isDNS1123Label(candidate).length > 0) return undefined;
    const edit = replaceScalar(ctx, segments, candidate);
    return edit && { title: `Rename to '${candidate}'`, edits: [edit] };
  }
  return undefined;
}

/** Adds (or corrects) the template labels the selector's matchLabels require. */
function selectorLabelsFix(error: RuleError, ctx: FixContext): QuickFix | undefined {
  const labelsPath = error.segments;
  const selectorPath = [...labelsPath.slice(0, -3), 'selector'];
  let selector: unknown = ctx.object;
  for (const s of selectorPath) selector = obj(selector)[s];
  const wanted = stringEntries(obj(selector).matchLabels);
  const labelsNode = nodeAt(ctx.doc, [...ctx.base, ...labelsPath]);
  if (
    wanted.length === 0 ||
    !labelsNode ||
    !isMap(labelsNode.node) ||
    labelsNode.node.flow ||
    labelsNode.node.items.length === 0
  )
    return undefined;
  const map = labelsNode.node;
  const edits: TextEdit[] = [];
  const first = map.items[0] as Pair<Node, Node>;
  const indent = ' '.repeat(ctx.lines.position(first.key.range![0]).column);
  const last = map.items[map.items.length - 1] as Pair<Node, Node>;
  const insertAt = (last.value ?? last.key).range![1];
  let inserted = '';
  for (const [key, value] of wanted) {
    const pair = map.items.find((p) => isScalar(p.key) && String(p.key.value) === key) as Pair<Node, Node> | undefined;
    if (!pair) inserted += `\n${indent}${yamlScalar(key)}: ${yamlScalar(value)}`;
    else if (!isScalar(pair.value) || String(pair.value.value) !== value) {
      const range = pair.value?.range;
      if (!range) return undefined;
      edits.push({ range: ctx.lines.range(range[0], range[1]), newText: yamlScalar(value) });
    }
  }
  if (inserted) edits.push({ range: ctx.lines.range(insertAt, insertAt), newText: inserted });
  return edits.length ? { title: 'Make the template labels match the selector', edits } : undefined;
}

/** The fixes for one error, possibly none. */
export function fixesFor(error: RuleError, ctx: FixContext): QuickFix[] {
  const fix =
    error.code === ruleCodes.selector && error.detail === '`selector` does not match template `labels`'
      ? selectorLabelsFix(error, ctx)
      : error.type === 'FieldValueDuplicate'
        ? duplicateFix(error, ctx)
        : lowercaseFix(error, ctx);
  return fix ? [fix] : [];
}
