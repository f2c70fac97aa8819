// The YAML document (one object, or a List) around a line of a manifest, from its `---` and
// `...` markers, so that the timeline can highlight the object the cursor is in. No 'vscode'
// here: it reads lines through a function, and tests call it with plain text.

/** A line that starts a document (`---`, possibly followed by content) or ends one (`...`). */
function marker(text: string): 'start' | 'end' | undefined {
  if (/^---(\s|$)/.test(text)) return 'start';
  if (/^\.\.\.(\s|$)/.test(text)) return 'end';
  return undefined;
}

/**
 * The 0-based first and last lines of the document holding `line`. A `---` line belongs to the
 * document it starts; a `...` line to the one it ends. The last line is never before the first.
 */
export function yamlDocumentBounds(
  lineCount: number,
  lineAt: (line: number) => string,
  line: number,
): { readonly start: number; readonly end: number } {
  if (!(Number.isInteger(line) && line >= 0 && line < lineCount))
    throw new Error(`yamlDocumentBounds: expected a line in 0…${lineCount - 1}, got ${line}`);
  let start = 0;
  for (let i = line; i >= 0; i--) {
    const m = marker(lineAt(i));
    if (m === 'start') {
      start = i;
      break;
    }
    if (m === 'end' && i < line) {
      start = i + 1;
      break;
    }
  }
  let end = marker(lineAt(line)) === 'end' ? line : lineCount - 1;
  for (let i = line + 1; end > line && i < lineCount; i++) {
    const m = marker(lineAt(i));
    if (m === 'start') {
      end = i - 1;
      break;
    }
    if (m === 'end') {
      end = i;
      break;
    }
  }
  return { start, end: Math.max(start, end) };
}
