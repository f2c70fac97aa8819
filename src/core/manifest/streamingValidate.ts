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
import { shiftFinding, shiftRange, walkParts } from './documentParts';
import type { PathSegment } from './base/fieldPath';
import { parseManifestText, type ManifestDocument } from './base/parse';
import { validatePart, type DocumentValidator } from './partValidation';
import type { DocumentHead, SetDocument } from './setPass';
import { rangeOfPath, type Anchor } from './base/sourceMap';

/** What the summaries of one file share: its text, its name, and the run's reparser. */
interface FileSource {
  readonly text: string;
  readonly fileName: string | undefined;
  readonly reparser: PartReparser;
}

interface ParsedDocument {
  readonly doc: ManifestDocument;
  readonly lines: LineIndex;
}

interface ReparsedPart {
  readonly source: FileSource;
  readonly start: number;
  readonly documents: readonly ManifestDocument[];
  readonly lines: LineIndex;
}

/**
 * Parses parts again for the summaries of one run, keeping only the last one: the set
 * pass visits documents in file order, so the documents of a part are asked for together.
 */
export class PartReparser {
  private last: ReparsedPart | undefined;

  documentOf(source: FileSource, start: number, end: number, localIndex: number): ParsedDocument {
    if (this.last?.source !== source || this.last.start !== start) {
      const file = parseManifestText(source.text.slice(start, end));
      this.last = { source, start, documents: file.documents, lines: file.lines };
    }
    const doc = this.last.documents[localIndex];
    if (!doc) {
      const where = `the part at offset ${start} of ${source.fileName ?? 'the text'}`;
      throw new Error(`expected document ${localIndex} in ${where}, found ${this.last.documents.length} documents`);
    }
    return { doc, lines: this.last.lines };
  }
}

/**
 * A document of the set kept as a summary; its syntax tree is parsed again when asked for.
 * Hundreds of thousands of these can live at once, so each holds numbers and shared
 * references only: where its part lies in the file, and its head.
 */
class SummarySetDocument implements SetDocument {
  constructor(
    readonly index: number,
    readonly findings: readonly Finding[],
    readonly head: DocumentHead,
    private readonly source: FileSource,
    private readonly partStart: number,
    private readonly partEnd: number,
    private readonly partLine: number,
    private readonly localIndex: number,
  ) {}

  get broken(): boolean {
    return false;
  }

  get fileName(): string | undefined {
    return this.source.fileName;
  }

  get doc(): ManifestDocument {
    return this.parsed().doc;
  }

  value(): unknown {
    return decodedValue(this.doc);
  }

  rangeOf(segments: readonly PathSegment[], anchor?: Anchor): SourceRange {
    const { doc, lines } = this.parsed();
    return shiftRange(rangeOfPath(doc.yaml, lines, segments, anchor), this.partStart, this.partLine);
  }

  private parsed(): ParsedDocument {
    return this.source.reparser.documentOf(this.source, this.partStart, this.partEnd, this.localIndex);
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
export function streamFile(
  text: string,
  validateDocument: DocumentValidator,
  reparser: PartReparser,
  fileName?: string,
): StreamedFile {
  const findings: Finding[] = [];
  const documents: SetDocument[] = [];
  const source: FileSource = { text, fileName, reparser };
  // apiVersion, kind and namespace repeat from document to document: one string each.
  const interned = new Map<string, string>();
  const intern = (value: string): string => {
    const known = interned.get(value);
    if (known !== undefined) return known;
    interned.set(value, value);
    return value;
  };
  let documentBase = 0;
  walkParts(
    text,
    (partText) => validatePart(partText, validateDocument, 'summary'),
    (part, result) => {
      for (const d of result.documents) {
        const index = documentBase + d.localIndex;
        // The part's findings are its documents' findings in order; each is moved once and
        // shared by the output and the document's summary.
        const shift = (f: Finding): Finding => shiftFinding(f, part.offset, part.line, documentBase);
        const own = d.own.length === 0 ? d.own : d.own.map(shift);
        for (const f of own) findings.push(f);
        // Only the documents a set pass judges are kept (see isJudgeable in setPass.ts).
        if (d.broken || !d.head) continue;
        const { apiVersion, kind, name, namespace } = d.head;
        const head: DocumentHead = {
          apiVersion: intern(apiVersion),
          kind: intern(kind),
          name,
          namespace: namespace === undefined ? undefined : intern(namespace),
        };
        const partEnd = part.offset + part.text.length;
        documents.push(new SummarySetDocument(index, own, head, source, part.offset, partEnd, part.line, d.localIndex));
      }
      documentBase += result.documentCount;
    },
  );
  return { findings, documents };
}
