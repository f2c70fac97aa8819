// Incremental validation of one open file: as the user types, only the documents whose
// text changed are parsed and validated again; the others' findings are reused, moved to
// where their document now sits. The answer is always the same as
// validateManifestText(text) (a property test checks it on random edits).
//
// How: the text is cut into parts at document markers, a `---` line at column 0 (YAML
// forbids such a line inside any scalar or collection, so the parser cuts there too; a
// text with a `...` end marker, a directive or a lone carriage return is kept whole).
// Each part is parsed and validated on its own and its findings are kept by the part's
// text, relative to the part's start. Because every part starts at the start of a line,
// moving a finding is adding the part's offset and line; columns stay.
import { Lexer } from 'yaml';
import { compareFindings, type Finding, type QuickFix, type SourcePosition, type SourceRange } from '../base/finding';
import { parseManifestText } from './parse';
import { runSetPasses, setDocumentOf, setPasses, type SetDocument } from './setPass';
import { defaultKubernetesVersion, validateDocument, type ValidateOptions } from './validate';

/** A slice of the file that holds whole documents, starting at a line start. */
export interface DocumentPart {
  readonly text: string;
  readonly offset: number;
  readonly line: number;
}

/** What one part's validation left behind, in the part's own coordinates. */
interface PartResult {
  readonly findings: readonly Finding[];
  /** The part's documents, kept so the set pass can use them without parsing again. */
  readonly documents: readonly { readonly set: (index: number, offset: number, line: number) => SetDocument }[];
  readonly documentCount: number;
  /**
   * True when a quoted scalar is still open at the part's end. The parser looks for the
   * closing quote in the whole rest of the text, across `---` lines, so such a part cannot
   * be validated on its own (see update()).
   */
  readonly endsInOpenQuote: boolean;
  /** True when the part does not start with `---` and has errors (see update()). */
  readonly brokenImplicitStart: boolean;
}

function isMarkerAt(text: string, at: number, marker: '---' | '...'): boolean {
  if (!text.startsWith(marker, at)) return false;
  const next = text.charCodeAt(at + 3);
  // The parser's isEmpty(): end of text, space, tab, line feed or carriage return.
  return Number.isNaN(next) || next === 32 || next === 9 || next === 10 || next === 13;
}

/** A line that holds no node: blank, or only a comment. Such lines belong to the next document. */
function isTriviaLine(line: string): boolean {
  const trimmed = line.trimStart();
  return trimmed === '' || trimmed === '\r' || trimmed.startsWith('#');
}

/**
 * Texts where cutting at markers could disagree with the parser are kept whole:
 * directives (`%YAML`, `%TAG`) carry state from one document to the next, a lone carriage
 * return is a line break to the parser but not to the line index, and a byte order mark
 * may start a document anywhere.
 */
function mustStayWhole(text: string): boolean {
  return /^%/m.test(text) || /\r(?!\n)/.test(text) || text.includes('\uFEFF');
}

/**
 * Cuts a text into parts that each hold whole documents: a new part starts at a `---`
 * line. Lines with no node (blank, comments) join the next part,
 * as the parser attaches them to the next document; at the end of the text they join the
 * part before. Concatenating the parts gives the text back.
 */
export function splitDocumentParts(text: string): DocumentPart[] {
  if (mustStayWhole(text)) return [{ text, offset: 0, line: 0 }];
  // Cut points: offsets where a new part begins.
  const cuts: number[] = [0];
  let partHasNode = false;
  let lineNumber = 0;
  const cutLines: number[] = [0];
  for (let at = 0; at < text.length; lineNumber++) {
    const newline = text.indexOf('\n', at);
    const end = newline === -1 ? text.length : newline + 1;
    if (isMarkerAt(text, at, '---')) {
      if (partHasNode && cuts[cuts.length - 1] !== at) {
        cuts.push(at);
        cutLines.push(lineNumber);
      }
      partHasNode = true;
    } else if (isMarkerAt(text, at, '...')) {
      // The parser hands what follows a document end marker to the document before it
      // when that cannot start a document (`]`), so a text with one is validated whole.
      // Manifests rarely have one: kubectl and Helm write `---` only.
      return [{ text, offset: 0, line: 0 }];
    } else if (!isTriviaLine(text.slice(at, end - (newline === -1 ? 0 : 1)))) {
      partHasNode = true;
    }
    at = end;
  }
  // Trailing lines without a node join the part before them.
  if (!partHasNode && cuts.length > 1) {
    cuts.pop();
    cutLines.pop();
  }
  return cuts.map((offset, i) => ({ text: text.slice(offset, i + 1 < cuts.length ? cuts[i + 1] : text.length), offset, line: cutLines[i] }));
}

function shiftPosition(p: SourcePosition, offset: number, line: number): SourcePosition {
  return { line: p.line + line, column: p.column, offset: p.offset + offset };
}

function shiftRange(r: SourceRange, offset: number, line: number): SourceRange {
  return { start: shiftPosition(r.start, offset, line), end: shiftPosition(r.end, offset, line) };
}

function shiftFixes(fixes: readonly QuickFix[], offset: number, line: number): QuickFix[] {
  return fixes.map((fix) => ({ ...fix, edits: fix.edits.map((e) => ({ ...e, range: shiftRange(e.range, offset, line) })) }));
}

/** A finding of a part moved to file coordinates. */
function shiftFinding(f: Finding, offset: number, line: number, documentBase: number): Finding {
  if (offset === 0 && line === 0 && documentBase === 0) return f;
  const moved: Finding = { ...f, range: shiftRange(f.range, offset, line), documentIndex: f.documentIndex + documentBase };
  return f.fixes ? { ...moved, fixes: shiftFixes(f.fixes, offset, line) } : moved;
}

/** True when the lexer finds a quoted scalar in `text` that does not close. */
function hasOpenQuote(text: string): boolean {
  for (const token of new Lexer().lex(text)) {
    const quote = token[0];
    if (quote !== '"' && quote !== "'") continue;
    if (token.length < 2 || token[token.length - 1] !== quote) return true;
    // A double-quoted scalar that ends in an escaped quote is still open.
    let backslashes = 0;
    while (quote === '"' && token[token.length - 2 - backslashes] === '\\') backslashes++;
    if (backslashes % 2 === 1) return true;
  }
  return false;
}

function validatePart(text: string, options: ValidateOptions): PartResult {
  const file = parseManifestText(text);
  const findings: Finding[] = [];
  const documents: PartResult['documents'][number][] = [];
  for (const doc of file.documents) {
    const own = validateDocument(file, doc, options);
    findings.push(...own);
    documents.push({
      set: (index, offset, line) =>
        setDocumentOf(index, doc, file.lines, own.map((f) => shiftFinding(f, offset, line, index - doc.index)), (r) => shiftRange(r, offset, line)),
    });
  }
  // Only a part with errors can hold an open quote, so valid parts skip the second lex.
  const endsInOpenQuote = file.documents.some((d) => d.errors.length > 0) && hasOpenQuote(text);
  const brokenImplicitStart = !text.trimStart().startsWith('---') && file.documents.some((d) => d.errors.length > 0);
  return { findings, documents, documentCount: file.documents.length, endsInOpenQuote, brokenImplicitStart };
}

/** Statistics of the last update, for tests and benchmarks. */
export interface IncrementalStats {
  readonly parts: number;
  readonly validated: number;
  readonly reused: number;
}

/**
 * Validates successive versions of one file, re-validating only the documents whose text
 * changed. One instance per open document; not shared across files.
 */
export class IncrementalValidator {
  private cache = new Map<string, PartResult>();
  private lastStats: IncrementalStats = { parts: 0, validated: 0, reused: 0 };

  constructor(private options: ValidateOptions = {}) {}

  /** Changing the options (e.g. the Kubernetes version) invalidates every cached document. */
  setOptions(options: ValidateOptions): void {
    if ((options.kubernetesVersion ?? defaultKubernetesVersion) !== (this.options.kubernetesVersion ?? defaultKubernetesVersion)) this.cache.clear();
    this.options = options;
  }

  get stats(): IncrementalStats {
    return this.lastStats;
  }

  /** All findings of `text`, sorted; the same as validateManifestText(text, options). */
  update(text: string): Finding[] {
    let parts = splitDocumentParts(text);
    // Only the parts of this version are kept, so memory follows the file, not its history.
    const next = new Map<string, PartResult>();
    const findings: Finding[] = [];
    // The set pass sees every document; building its views costs nothing when no pass is registered.
    const setDocuments: SetDocument[] | undefined = setPasses().length > 0 ? [] : undefined;
    let documentBase = 0;
    let validated = 0;
    const resultFor = (partText: string): PartResult => {
      let result = next.get(partText) ?? this.cache.get(partText);
      if (!result) {
        result = validatePart(partText, this.options);
        validated++;
      }
      return result;
    };
    for (let p = 0; p < parts.length; p++) {
      let part = parts[p];
      let result = resultFor(part.text);
      // Two cases where the parser carries state across a `---` line; the parts are then
      // joined and validated as one, which gives exactly the parser's answer.
      while (p + 1 < parts.length) {
        // An unclosed quote (often one being typed): the parser looks for its closing quote
        // in the rest of the text, so this part and all after it are validated as one.
        const joinRest = result.endsInOpenQuote;
        // A broken first document without `---`: when the text starts with a stray `]`,
        // the parser does not open a new document at the next `---`. Joining the first two
        // parts whenever the first is broken is cheap and covers it.
        const joinNext = p === 0 && result.brokenImplicitStart;
        if (!joinRest && !joinNext) break;
        const upTo = joinRest ? parts.length : p + 2;
        part = { text: text.slice(part.offset, upTo < parts.length ? parts[upTo].offset : text.length), offset: part.offset, line: part.line };
        parts = [...parts.slice(0, p), part, ...parts.slice(upTo)];
        result = resultFor(part.text);
      }
      next.set(part.text, result);
      for (const f of result.findings) findings.push(shiftFinding(f, part.offset, part.line, documentBase));
      if (setDocuments) result.documents.forEach((d, i) => setDocuments.push(d.set(documentBase + i, part.offset, part.line)));
      documentBase += result.documentCount;
    }
    this.cache = next;
    this.lastStats = { parts: parts.length, validated, reused: parts.length - validated };
    if (setDocuments) findings.push(...runSetPasses(setDocuments, { kubernetesVersion: this.options.kubernetesVersion ?? defaultKubernetesVersion }));
    return findings.sort(compareFindings);
  }
}
