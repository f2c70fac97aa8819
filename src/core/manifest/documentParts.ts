// Cutting a manifest file into parts that each hold whole documents, so that each part can
// be parsed and validated on its own: the editor re-validates only the parts that changed
// (incremental.ts) and the CLI holds one part's syntax tree at a time (streamingValidate.ts).
//
// A part starts at a document marker, a `---` line at column 0 (YAML forbids such a line
// inside any scalar or collection, so the parser cuts there too; a text with a `...` end
// marker, a directive or a lone carriage return is kept whole). Because every part starts
// at the start of a line, moving a part's finding to file coordinates is adding the part's
// offset and line; columns stay.
import { Lexer } from 'yaml';
import type { Finding, QuickFix, SourcePosition, SourceRange } from '../base/finding';

/** A slice of the file that holds whole documents, starting at a line start. */
export interface DocumentPart {
  readonly text: string;
  readonly offset: number;
  readonly line: number;
}

/** What the walk over parts needs to know of a part's validation to join parts (see walkParts). */
export interface JoinHints {
  /**
   * True when a quoted scalar is still open at the part's end. The parser looks for the
   * closing quote in the whole rest of the text, across `---` lines, so such a part cannot
   * be validated on its own.
   */
  readonly endsInOpenQuote: boolean;
  /** True when the part does not start with `---` and has errors. */
  readonly brokenImplicitStart: boolean;
}

function isMarkerAt(text: string, at: number, marker: '---' | '...'): boolean {
  if (!text.startsWith(marker, at)) return false;
  const next = text.charCodeAt(at + 3);
  // The parser's isEmpty(): end of text, space, tab, line feed or carriage return.
  return Number.isNaN(next) || next === 32 || next === 9 || next === 10 || next === 13;
}

/** True when the line from `start` to `end` (its newline excluded) holds no node: blank, or only a comment. */
function isTriviaLine(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 11 || c === 12 || c === 13 || c === 0xa0 || c === 0xfeff) continue;
    // trimStart() also drops the Unicode spaces; they are rare enough to ask it.
    if (c > 127 && text.slice(i, i + 1).trim() === '') continue;
    return c === 35; // '#'
  }
  return true;
}

/** True when some line starts with a `...` document end marker. */
function hasDocumentEndMarker(text: string): boolean {
  for (let at = 0; at < text.length;) {
    if (isMarkerAt(text, at, '...')) return true;
    const newline = text.indexOf('\n', at);
    if (newline === -1) return false;
    at = newline + 1;
  }
  return false;
}

/**
 * Texts where cutting at markers could disagree with the parser are kept whole:
 * directives (`%YAML`, `%TAG`) carry state from one document to the next, a lone carriage
 * return is a line break to the parser but not to the line index, a byte order mark may
 * start a document anywhere, and the parser hands what follows a `...` end marker to the
 * document before it when that cannot start a document (`]`). Manifests rarely have any:
 * kubectl and Helm write `---` only.
 */
function mustStayWhole(text: string): boolean {
  return /^%/m.test(text) || /\r(?!\n)/.test(text) || text.includes('\uFEFF') || hasDocumentEndMarker(text);
}

/**
 * The parts of a text, one at a time, so that a caller walking a large file holds one part
 * at a time. A new part starts at a `---` line once the part before holds a node; blank
 * and comment lines before the first node join the first part. Concatenating the parts
 * gives the text back.
 */
export function* documentParts(text: string): Generator<DocumentPart, void, undefined> {
  if (mustStayWhole(text)) {
    yield { text, offset: 0, line: 0 };
    return;
  }
  let partStart = 0;
  let partLine = 0;
  let partHasNode = false;
  let lineNumber = 0;
  for (let at = 0; at < text.length; lineNumber++) {
    const newline = text.indexOf('\n', at);
    const end = newline === -1 ? text.length : newline + 1;
    if (isMarkerAt(text, at, '---')) {
      if (partHasNode && partStart !== at) {
        yield { text: text.slice(partStart, at), offset: partStart, line: partLine };
        partStart = at;
        partLine = lineNumber;
      }
      partHasNode = true;
    } else if (!partHasNode && !isTriviaLine(text, at, newline === -1 ? text.length : newline)) {
      partHasNode = true;
    }
    at = end;
  }
  yield { text: text.slice(partStart), offset: partStart, line: partLine };
}

/** Every part of a text at once (see documentParts). */
export function splitDocumentParts(text: string): DocumentPart[] {
  return [...documentParts(text)];
}

/**
 * Walks the parts of `text` in order and hands each, with its result, to `onPart`. Where
 * the parser carries state across a `---` line, parts are joined and validated as one,
 * which gives exactly the parser's answer: after a part that ends in an open quote (often
 * one being typed) the rest of the text is one part, and a broken first part that does
 * not start with `---` is joined with the next (when the text starts with a stray `]`, the
 * parser does not open a new document at the next `---`). Returns the number of parts.
 */
export function walkParts<R extends JoinHints>(
  text: string,
  resultFor: (partText: string) => R,
  onPart: (part: DocumentPart, result: R) => void,
): number {
  const parts = documentParts(text);
  let count = 0;
  let next = parts.next();
  while (!next.done) {
    let part = next.value;
    next = parts.next();
    let result = resultFor(part.text);
    while (!next.done) {
      if (result.endsInOpenQuote) {
        part = { text: text.slice(part.offset), offset: part.offset, line: part.line };
        next = { done: true, value: undefined };
      } else if (count === 0 && result.brokenImplicitStart) {
        const after = next.value;
        next = parts.next();
        const end = after.offset + after.text.length;
        part = { text: text.slice(part.offset, end), offset: part.offset, line: part.line };
      } else {
        break;
      }
      result = resultFor(part.text);
    }
    onPart(part, result);
    count++;
  }
  return count;
}

function shiftPosition(p: SourcePosition, offset: number, line: number): SourcePosition {
  return { line: p.line + line, column: p.column, offset: p.offset + offset };
}

export function shiftRange(r: SourceRange, offset: number, line: number): SourceRange {
  return { start: shiftPosition(r.start, offset, line), end: shiftPosition(r.end, offset, line) };
}

function shiftFixes(fixes: readonly QuickFix[], offset: number, line: number): QuickFix[] {
  const shiftEdit = <E extends { readonly range: SourceRange }>(e: E): E => ({
    ...e,
    range: shiftRange(e.range, offset, line),
  });
  return fixes.map((fix) => ({ ...fix, edits: fix.edits.map(shiftEdit) }));
}

/** A finding of a part moved to file coordinates. */
export function shiftFinding(f: Finding, offset: number, line: number, documentBase: number): Finding {
  if (offset === 0 && line === 0 && documentBase === 0) return f;
  const range = shiftRange(f.range, offset, line);
  const moved: Finding = { ...f, range, documentIndex: f.documentIndex + documentBase };
  return f.fixes ? { ...moved, fixes: shiftFixes(f.fixes, offset, line) } : moved;
}

/** True when the lexer finds a quoted scalar in `text` that does not close. */
export function hasOpenQuote(text: string): boolean {
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
