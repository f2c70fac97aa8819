import { visit, type YAMLError } from 'yaml';
import type { Finding, QuickFix } from '../base/finding';
import type { ParsedManifestFile, ManifestDocument } from './base/parse';
import { separatorFindings } from './documentSeparators';
import { jsonFinding } from './jsonFindings';
import { kubectlMaxDepth, maxNestingDepth } from './base/nestingDepth';

// Layer 1: what the YAML parser itself says, mapped to stable finding codes.
// The `yaml` package's error codes are specific; users care about a handful of kinds.
const codeByYamlError: Record<string, { code: string; label: string }> = {
  DUPLICATE_KEY: { code: 'PT1002', label: 'duplicate key' },
  TAB_AS_INDENT: { code: 'PT1003', label: 'tab used for indentation' },
  BAD_INDENT: { code: 'PT1004', label: 'bad indentation' },
  MISSING_CHAR: { code: 'PT1001', label: 'syntax error' },
};

export const yamlFindingCodes = {
  syntax: 'PT1001',
  duplicateKey: 'PT1002',
  tab: 'PT1003',
  indentation: 'PT1004',
  warning: 'PT1005',
} as const;

function messageOf(error: YAMLError): string {
  // prettyErrors is off, so the message is a single sentence without a code frame.
  const first = error.message.split('\n')[0].trim();
  return first.endsWith('.') ? first.slice(0, -1) : first;
}

/**
 * The start of the quoted scalar that an unclosed-quote error at `errorOffset` belongs to:
 * the first quoted scalar, in document order, that ends at or after the error. The scalars
 * are listed once per document with the running maximum of their ends, so each error is a
 * binary search and a document with many such errors stays linear.
 */
function quotedScalarsOf(doc: ManifestDocument): { starts: number[]; maxEnds: number[] } {
  const starts: number[] = [];
  const maxEnds: number[] = [];
  visit(doc.yaml, {
    Scalar(_, node) {
      if ((node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE') && node.range) {
        starts.push(node.range[0]);
        maxEnds.push(Math.max(node.range[1], maxEnds.length > 0 ? maxEnds[maxEnds.length - 1] : -1));
      }
    },
  });
  return { starts, maxEnds };
}

function unclosedQuoteStart(quoted: { starts: number[]; maxEnds: number[] }, errorOffset: number): number | undefined {
  let lo = 0;
  let hi = quoted.maxEnds.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (quoted.maxEnds[mid] >= errorOffset) hi = mid;
    else lo = mid + 1;
  }
  return lo < quoted.starts.length ? quoted.starts[lo] : undefined;
}

/**
 * The certain fix for a tab in indentation: every tab of the line's leading whitespace
 * becomes two spaces, the indentation step of Kubernetes manifests (kubectl and Helm
 * write two). Offered only when the indentation is tabs and spaces alone.
 */
function tabIndentFix(file: ParsedManifestFile, offset: number): QuickFix[] | undefined {
  const line = file.lines.position(offset).line;
  const lineStart = file.lines.lineStart(line);
  const indent = /^[ \t]*/.exec(file.text.slice(lineStart, file.lines.lineEnd(line)))![0];
  if (!indent.includes('\t')) return undefined;
  return [
    {
      title: 'Indent with spaces instead of tabs',
      edits: [{ range: file.lines.range(lineStart, lineStart + indent.length), newText: indent.replace(/\t/g, '  ') }],
    },
  ];
}

/** The index of the document whose text holds `offset`: normally `doc` itself. */
function ownerOf(file: ParsedManifestFile, doc: ManifestDocument, offset: number): number {
  let owner = doc.index;
  while (owner + 1 < file.documents.length && file.documents[owner + 1].start < offset) owner++;
  while (owner > 0 && file.documents[owner].start > offset) owner--;
  return owner;
}

function toFinding(
  file: ParsedManifestFile,
  doc: ManifestDocument,
  error: YAMLError,
  asWarning: boolean,
  quoted: () => ReturnType<typeof quotedScalarsOf>,
): Finding {
  const mapped = codeByYamlError[error.code];
  const code = asWarning ? yamlFindingCodes.warning : (mapped?.code ?? yamlFindingCodes.syntax);
  let [start, rawEnd] = error.pos;
  // An unclosed quote swallows the rest of the document and is reported at its end;
  // point at the opening quote instead, where the mistake is.
  const opening = error.code === 'MISSING_CHAR' ? unclosedQuoteStart(quoted(), start) : undefined;
  if (opening !== undefined) [start, rawEnd] = [opening, opening + 1];
  // A zero-width error (a missing character) is widened to one character, or to the
  // end of its line when it sits at the end, so that editors can show it.
  // A document owns the text up to the next document's start. Its findings stay inside
  // that text, so that they depend on the document's own text only (incremental
  // validation needs that), and a token the parser hands to the wrong document (after a
  // stray `...`) is reported on the document it sits in.
  const owner = ownerOf(file, doc, start);
  const owned = file.documents[owner + 1]?.start ?? file.text.length;
  let end = Math.min(Math.max(rawEnd, start), Math.max(start, owned));
  // A duplicate key's error already spans the key (duplicateKeys.ts), so it is underlined whole.
  if (end === start) {
    const line = file.lines.position(start).line;
    end = Math.max(start, Math.min(start + 1, file.lines.lineEnd(line), owned));
  }
  const range = file.lines.range(start, Math.max(end, start));
  const fixes = error.code === 'TAB_AS_INDENT' && !asWarning ? tabIndentFix(file, start) : undefined;
  return {
    ...(fixes ? { fixes } : {}),
    code,
    severity: asWarning ? 'warning' : 'error',
    message: `YAML ${mapped?.label ?? (asWarning ? 'warning' : 'syntax error')}: ${messageOf(error)}`,
    range,
    path: '',
    documentIndex: owner,
  };
}

// The characters go-yaml's reader refuses (readerc.go): everything outside tab, LF, CR,
// U+0020–U+007E, U+0085, U+00A0–U+D7FF, U+E000–U+FFFD and the planes above. The `yaml`
// package accepts them, so a NUL or an escape sequence pasted into a manifest passed; kubectl
// stops with `yaml: control characters are not allowed` at the first one.
// eslint-disable-next-line no-control-regex -- control characters are what this pattern finds.
const controlCharacter = /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x84\x86-\x9F\uFFFE\uFFFF]/g;

// The first refused character of each document, found in one pass over the file (a
// document owns its text up to the next document's start), so that a file of many documents
// is scanned once, not once per document.
const firstControlCharacters = new WeakMap<ParsedManifestFile, Map<number, number>>();

function controlCharactersOf(file: ParsedManifestFile): Map<number, number> {
  let found = firstControlCharacters.get(file);
  if (found) return found;
  found = new Map();
  const { documents, text } = file;
  let owner = 0;
  controlCharacter.lastIndex = 0;
  for (let match = controlCharacter.exec(text); match; match = controlCharacter.exec(text)) {
    while (owner + 1 < documents.length && documents[owner + 1].start <= match.index) owner++;
    found.set(owner, match.index);
    if (owner + 1 >= documents.length) break;
    controlCharacter.lastIndex = documents[owner + 1].start;
  }
  firstControlCharacters.set(file, found);
  return found;
}

// A NUL among the first characters is what a UTF-32 file, or a UTF-16 file without a byte
// order mark, looks like once read as UTF-8, as kubectl reads it (see textEncoding.ts).
const encodingHint =
  '; the file looks like UTF-16 without a byte order mark or UTF-32: ' +
  'kubectl reads UTF-8, and UTF-16 only with a byte order mark';

/** The first character of a document's own text that go-yaml's reader refuses, as a finding. */
function controlCharacterFinding(file: ParsedManifestFile, doc: ManifestDocument): Finding | undefined {
  const at = controlCharactersOf(file).get(doc.index);
  if (at === undefined) return undefined;
  const codePoint = file.text.charCodeAt(at).toString(16).toUpperCase().padStart(4, '0');
  const hint = at < 4 && codePoint === '0000' ? encodingHint : '';
  return {
    code: yamlFindingCodes.syntax,
    severity: 'error',
    message: `YAML syntax error: control characters are not allowed (U+${codePoint})${hint}`,
    range: file.lines.range(at, at + 1),
    path: '',
    documentIndex: doc.index,
  };
}

/**
 * The one finding of a document nested deeper than podtrace validates: an error when kubectl
 * rejects it too, else a warning that it was not checked (kubectl would accept it).
 */
function tooDeepFinding(file: ParsedManifestFile, doc: ManifestDocument): Finding | undefined {
  const deep = doc.tooDeep;
  if (!deep) return undefined;
  const message = deep.kubectlRejects
    ? `YAML syntax error: exceeded max depth of ${kubectlMaxDepth}: collections nest more than ${kubectlMaxDepth} ` +
      'levels deep from here, which kubectl rejects'
    : `YAML warning: collections nest more than ${maxNestingDepth} levels deep from here; podtrace does not ` +
      `validate a document this deep (kubectl accepts up to ${kubectlMaxDepth})`;
  // No code of its own: past kubectl's limit it is the syntax error kubectl reports, below
  // it a warning that the document was left unchecked.
  return {
    code: deep.kubectlRejects ? yamlFindingCodes.syntax : yamlFindingCodes.warning,
    severity: deep.kubectlRejects ? 'error' : 'warning',
    message,
    range: file.lines.range(deep.offset, deep.offset + 1),
    path: '',
    documentIndex: doc.index,
  };
}

/**
 * Findings of layer 1 for one document: the parser's errors and warnings, positioned, and
 * what kubectl's reader says beyond them (control characters, separators, depth, JSON).
 * The Kubernetes version chooses how kubectl reads a file that starts like JSON.
 */
export function yamlSyntaxFindings(
  file: ParsedManifestFile,
  doc: ManifestDocument,
  kubernetesVersion: string,
): Finding[] {
  const out: Finding[] = [];
  const json = jsonFinding(file, doc, kubernetesVersion);
  if (json) out.push(json.finding);
  const control = controlCharacterFinding(file, doc);
  if (control) out.push(control);
  out.push(...separatorFindings(file, doc));
  const deep = tooDeepFinding(file, doc);
  if (deep) out.push(deep);
  let quoted: ReturnType<typeof quotedScalarsOf> | undefined;
  const quotedOnce = () => (quoted ??= quotedScalarsOf(doc));
  if (!json?.replacesSyntaxErrors) for (const e of doc.errors) out.push(toFinding(file, doc, e, false, quotedOnce));
  for (const w of doc.warnings) out.push(toFinding(file, doc, w, true, quotedOnce));
  return out;
}
