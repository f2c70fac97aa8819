// Validation of one part of a file (see documentParts.ts) on its own, as the editor and
// the CLI both do it: parse the part, run every layer over each of its documents, and keep
// what the set pass will need of each document.
import type { Finding } from '../base/finding';
import type { LineIndex } from '../base/lineIndex';
import { decodedValue } from './decode';
import { hasOpenQuote, type JoinHints } from './documentParts';
import { parseManifestText, type ManifestDocument, type ParsedManifestFile } from './base/parse';
import { headOf, isBroken, type DocumentHead } from './setPass';

/**
 * Validates one document of a parsed text through every per-document layer: validate.ts's
 * validateDocument with the run's options. Passed in, so that validate.ts can stream files
 * through this module without a cycle of imports.
 */
export type DocumentValidator = (file: ParsedManifestFile, doc: ManifestDocument) => Finding[];

/** One document of a validated part, in the part's own coordinates. */
export interface PartDocument {
  /** The document's index in its part. */
  readonly localIndex: number;
  /** Its findings from the per-document layers. */
  readonly own: readonly Finding[];
  readonly broken: boolean;
  readonly head: DocumentHead | undefined;
  /** The syntax tree, kept in `tree` mode only. */
  readonly tree?: { readonly doc: ManifestDocument; readonly lines: LineIndex };
}

/** What one part's validation left behind, in the part's own coordinates. */
export interface PartResult extends JoinHints {
  readonly findings: readonly Finding[];
  readonly documents: readonly PartDocument[];
  readonly documentCount: number;
}

/**
 * How a part keeps its documents for the set pass: `tree` keeps each document's syntax
 * tree (the editor reuses a part across keystrokes, so the set pass must not parse again),
 * `summary` keeps only what identifies each document (the CLI, which must not hold every
 * tree of a large file, parses a part again on the rare occasion a pass asks for more).
 */
export type PartMemory = 'tree' | 'summary';

const noFindings: readonly Finding[] = Object.freeze([]);

/** Parses and validates one part of a file. */
export function validatePart(text: string, validateDocument: DocumentValidator, memory: PartMemory): PartResult {
  const file = parseManifestText(text);
  const findings: Finding[] = [];
  const documents: PartDocument[] = [];
  for (const doc of file.documents) {
    const own = validateDocument(file, doc);
    for (const f of own) findings.push(f);
    const broken = isBroken(doc, own);
    documents.push({
      localIndex: doc.index,
      own: own.length > 0 ? own : noFindings,
      broken,
      head: broken ? undefined : headOf(decodedValue(doc)),
      ...(memory === 'tree' ? { tree: { doc, lines: file.lines } } : {}),
    });
  }
  // Only a part with errors can hold an open quote, so valid parts skip the second lex.
  const hasErrors = file.documents.some((d) => d.errors.length > 0);
  const endsInOpenQuote = hasErrors && hasOpenQuote(text);
  const brokenImplicitStart = hasErrors && !text.trimStart().startsWith('---');
  return { findings, documents, documentCount: file.documents.length, endsInOpenQuote, brokenImplicitStart };
}
