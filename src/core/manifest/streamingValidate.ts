// Validation of whole files, part by part, in memory that stays a small multiple of the
// input: the way `podtrace validate` reads a file of any size.
//
// Parsing a whole file keeps every document's syntax tree (tens of times the text) alive
// until the end, and a large heap makes each garbage collection slower: a 10 MB file of
// small documents took 47 s and 771 MB. Here each part (documentParts.ts) is parsed,
// validated and dropped before the next; what stays of a document is its findings and, for
// the set pass, a summary (its index, whether it is broken, its apiVersion, kind, name and
// namespace). A pass that asks a summary for more (a CRD's schema, a custom resource's
// value, a range for a finding) parses the document's part again; few documents need it.
// validate.ts's validateManifestTexts runs files through here; its findings are exactly
// those of validating each whole text (a property test checks it).
import type { Finding, SourceRange } from '../base/finding';
import type { LineIndex } from '../base/lineIndex';
import { decodedValue } from './decode';
import { shiftFinding, shiftRange, walkParts, type DocumentPart } from './documentParts';
import type { PathSegment } from './fieldPath';
import { parseManifestText, type ManifestDocument } from './parse';
import { validatePart, type DocumentValidator } from './partValidation';
import type { DocumentHead, SetDocument } from './setPass';
import { rangeOfPath, type Anchor } from './sourceMap';

/**
 * Parses parts again for the summaries of one run, keeping only the last one: the set
 * pass visits documents in file order, so the documents of a part are asked for together.
 */
export class PartReparser {
  private last: { readonly part: DocumentPart; readonly documents: readonly ManifestDocument[]; readonly lines: LineIndex } | undefined;

  documentOf(part: DocumentPart, localIndex: number): { readonly doc: ManifestDocument; readonly lines: LineIndex } {
    if (this.last?.part !== part) {
      const file = parseManifestText(part.text);
      this.last = { part, documents: file.documents, lines: file.lines };
    }
    const doc = this.last.documents[localIndex];
    if (!doc) throw new Error(`expected document ${localIndex} in the part at line ${part.line + 1}, found ${this.last.documents.length} documents`);
    return { doc, lines: this.last.lines };
  }
}

/** A document of the set kept as a summary; its syntax tree is parsed again when asked for. */
class SummarySetDocument implements SetDocument {
  readonly broken = false;

  constructor(
    readonly index: number,
    readonly findings: readonly Finding[],
    readonly head: DocumentHead,
    private readonly part: DocumentPart,
    private readonly localIndex: number,
    private readonly reparser: PartReparser,
    readonly fileName: string | undefined,
  ) {}

  get doc(): ManifestDocument {
    return this.reparser.documentOf(this.part, this.localIndex).doc;
  }

  value(): unknown {
    return decodedValue(this.doc);
  }

  rangeOf(segments: readonly PathSegment[], anchor?: Anchor): SourceRange {
    const { doc, lines } = this.reparser.documentOf(this.part, this.localIndex);
    return shiftRange(rangeOfPath(doc.yaml, lines, segments, anchor), this.part.offset, this.part.line);
  }
}

/** One file validated part by part: its per-document findings (unsorted) and its set pass documents. */
export interface StreamedFile {
  readonly findings: Finding[];
  /** Only the documents a set pass judges (see setPass.ts); the others need nothing more. */
  readonly documents: SetDocument[];
}

/**
 * Validates a file's documents through every per-document layer, one part at a time.
 * The set pass is left to the caller, which may hold the documents of several files.
 */
export function streamFile(text: string, validateDocument: DocumentValidator, reparser: PartReparser, fileName?: string): StreamedFile {
  const findings: Finding[] = [];
  const documents: SetDocument[] = [];
  let documentBase = 0;
  walkParts(
    text,
    (partText) => validatePart(partText, validateDocument, 'summary'),
    (part, result) => {
      for (const d of result.documents) {
        const index = documentBase + d.localIndex;
        // The part's findings are its documents' findings in order; each is moved once and
        // shared by the output and the document's summary.
        const own = d.own.length === 0 ? d.own : d.own.map((f) => shiftFinding(f, part.offset, part.line, documentBase));
        for (const f of own) findings.push(f);
        // Only the documents a set pass judges are kept (see isJudgeable in setPass.ts).
        if (!d.broken && d.head) documents.push(new SummarySetDocument(index, own, d.head, part, d.localIndex, reparser, fileName));
      }
      documentBase += result.documentCount;
    },
  );
  return { findings, documents };
}

