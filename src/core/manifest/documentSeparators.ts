import type { Finding } from '../base/finding';
import type { ManifestDocument, ParsedManifestFile } from './base/parse';

// kubectl does not split a file into documents as YAML does. Its reader
// (k8s.io/apimachinery/pkg/util/yaml, YAMLReader.Read) reads lines ending in LF and starts a
// new document at a line that begins with `---`; the rest of that line may hold only spaces
// and a comment, else the whole file fails with `invalid Yaml document separator: <rest>`.
// Each part is then decoded with go-yaml's Unmarshal, which reads the part's first document
// only. So a document YAML sees but kubectl's reader does not (after a `...` end marker, or
// after `---` ending in a lone CR, old Mac line endings) is silently not applied.

const separator = '---';
const longestShownRest = 60;

function shown(rest: string): string {
  const cut = rest.length > longestShownRest ? `${rest.slice(0, longestShownRest)}…` : rest;
  return cut.replace(/\r/g, '\\r');
}

/** The end of the LF-terminated line that starts at `start` (before the LF). */
function lfLineEnd(text: string, start: number): number {
  const end = text.indexOf('\n', start);
  return end < 0 ? text.length : end;
}

/**
 * False for a document kubectl's reader does not see: one after a `...` end marker, or after
 * a `---` that does not begin a line ending in LF. kubectl does not apply it.
 */
export function kubectlSeesDocument(file: ParsedManifestFile, doc: ManifestDocument): boolean {
  if (doc.index === 0) return true;
  const original = file.original ?? file.text;
  return original.startsWith(separator, doc.start) && original.charCodeAt(doc.start - 1) === 10;
}

/**
 * Layer 1's findings about how kubectl splits the file at this document's start: an error
 * when its `---` line carries content, a warning when kubectl would not see it at all.
 */
export function separatorFindings(file: ParsedManifestFile, doc: ManifestDocument): Finding[] {
  const original = file.original ?? file.text;
  const startsWithSeparator = original.startsWith(separator, doc.start);
  const atLineStart = doc.start === 0 || original.charCodeAt(doc.start - 1) === 10;
  const firstLineEnd = file.lines.lineEnd(file.lines.position(doc.start).line);
  const position = (end: number) => file.lines.range(doc.start, Math.min(end, firstLineEnd));
  if (startsWithSeparator && atLineStart) {
    const lineEnd = lfLineEnd(original, doc.start);
    const rest = original.slice(doc.start + separator.length, lineEnd).trim();
    if (rest === '' || rest.startsWith('#')) return [];
    return [
      {
        code: 'PT1001',
        severity: 'error',
        message:
          'YAML syntax error: invalid Yaml document separator: ' +
          `${shown(rest)} (kubectl allows only a comment after ---)`,
        range: position(lineEnd),
        path: '',
        documentIndex: doc.index,
      },
    ];
  }
  if (kubectlSeesDocument(file, doc)) return [];
  const after = startsWithSeparator
    ? 'a --- that does not begin a line ending in LF (a lone CR ends its line)'
    : 'a ... end marker';
  return [
    {
      code: 'PT1005',
      severity: 'warning',
      message:
        'YAML warning: kubectl ignores this document: it starts documents only at lines that begin with --- ' +
        'and end in LF, ' +
        `and this one follows ${after}`,
      range: position(doc.start + (startsWithSeparator ? separator.length : 1)),
      path: '',
      documentIndex: doc.index,
    },
  ];
}
