import { isMap, isPair, isScalar, isSeq, type Document, type Node, type Pair } from 'yaml';
import type { SourceRange } from '../../base/finding';
import type { LineIndex } from '../../base/lineIndex';
import type { PathSegment } from './fieldPath';

/** Which part of a field a finding points at. */
export type Anchor = 'key' | 'value' | 'whole';

interface Located {
  readonly pair?: Pair<Node | null, Node | null>;
  readonly node: Node | null;
}

function locate(doc: Document.Parsed, segments: readonly PathSegment[]): { found: Located; depth: number } {
  let current: Located = { node: doc.contents as Node | null };
  let depth = 0;
  for (const segment of segments) {
    const node = current.node;
    if (typeof segment === 'number' && isSeq(node)) {
      const item = node.items[segment] as Node | undefined;
      if (item === undefined) break;
      current = { node: item };
    } else if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(segment)) as
        Pair<Node | null, Node | null> | undefined;
      if (!pair) break;
      current = { pair, node: pair.value };
    } else {
      break;
    }
    depth++;
  }
  return { found: current, depth };
}

function nodeRange(node: Node | null | undefined): [number, number] | undefined {
  const r = node?.range;
  return r ? [r[0], r[1]] : undefined;
}

/**
 * Maps a field path in a decoded object back to its YAML range. When the path does not
 * exist in full (a missing field), the deepest existing ancestor is used: its key, so
 * that "missing required field" lands on the key of the object that lacks it.
 */
export function rangeOfPath(
  doc: Document.Parsed,
  lines: LineIndex,
  segments: readonly PathSegment[],
  anchor: Anchor = 'value',
): SourceRange {
  const { found, depth } = locate(doc, segments);
  const complete = depth === segments.length;
  const keyRange = nodeRange(found.pair?.key as Node | null | undefined);
  const valueRange = nodeRange(found.node);
  let range: [number, number] | undefined;
  if (!complete || anchor === 'key') range = keyRange ?? valueRange;
  else if (anchor === 'whole' && keyRange && valueRange) range = [keyRange[0], valueRange[1]];
  else range = valueRange ?? keyRange;
  if (!range) {
    // The document root itself, or an empty document: point at the document's start.
    const start = doc.range[0];
    return lines.range(start, Math.max(start, Math.min(lines.lineEnd(lines.position(start).line), doc.range[1])));
  }
  // A block scalar or collection can span many lines; findings on it read best on its first line.
  const startLine = lines.position(range[0]).line;
  const end = Math.min(range[1], Math.max(range[0], lines.lineEnd(startLine)));
  return lines.range(range[0], anchor === 'whole' || range[1] <= lines.lineEnd(startLine) ? range[1] : end);
}

/** True when the path exists in the YAML as written (before any defaulting). */
export function pathExists(doc: Document.Parsed, segments: readonly PathSegment[]): boolean {
  return locate(doc, segments).depth === segments.length;
}
