import type { TextEdit } from '../../src/core/base/finding';

/** Applies non-overlapping edits to a text, last first, as an editor would. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  let out = text;
  for (const edit of [...edits].sort((a, b) => b.range.start.offset - a.range.start.offset)) {
    out = out.slice(0, edit.range.start.offset) + edit.newText + out.slice(edit.range.end.offset);
  }
  return out;
}
