// The "set pass": checks that need every document of a file at once, run after the
// per-document layers. Examples it is meant for: the same object twice in the set, and
// CustomResourceDefinitions that teach the validator the kinds of other documents.
//
// Why a separate pass: per-document findings depend only on the document's own text, so
// the editor caches them per document and re-validates only what changed
// (IncrementalValidator). A check that reads several documents would break that cache if
// it ran inside a layer. It runs here instead, over documents that are already parsed and
// decoded (both cached), so it stays cheap on every keystroke: it must not re-parse, and
// it should index documents by a key (kind/namespace/name, group/kind) rather than
// compare every pair.
//
// Contract for a pass:
// - It returns findings in file coordinates, produced with `rangeOf`, and the right
//   `documentIndex`; nothing else in the pipeline shifts them.
// - Its findings must be a function of the documents' texts and the options only, so
//   validateManifestText and IncrementalValidator give the same answer (a property test
//   checks this on random edits).
// - A pass sees only the documents it can judge: those that parsed without a layer-1 error
//   and decode to an object with string `apiVersion` and `kind` (their `head`). The others
//   are left out before any pass runs, so the CLI can keep a small summary of each
//   document instead of its syntax tree (see streamingValidate.ts).
// - Custom resources: the per-document layers leave a kind whose group is not built in
//   alone; a set pass looks the kind up among the CRDs of the set and either validates
//   the document against that CRD's openAPIV3Schema (cache the compiled schema by the
//   CRD's text) or warns that it was not checked.
import type { Finding, SourceRange } from '../base/finding';
import type { PathSegment } from './base/fieldPath';
import type { ManifestDocument } from './base/parse';
import type { LineIndex } from '../base/lineIndex';
import { rangeOfPath, type Anchor } from './base/sourceMap';
import { decodedValue } from './decode';
import { schemaSetFindings } from './schema/setChecks';

/** What identifies a document's object: read once, when the document is validated. */
export interface DocumentHead {
  readonly apiVersion: string;
  readonly kind: string;
  /** `metadata.name` and `metadata.namespace` when they are strings. */
  readonly name?: string;
  readonly namespace?: string;
}

/** One document of the set as a pass sees it: decoded once, with ranges in file coordinates. */
export interface SetDocument {
  /** 0-based index of the document in the file. */
  readonly index: number;
  /**
   * The parsed document; its node ranges may be relative to a part of the file, so use
   * `rangeOf`. A summary of a document (the CLI's) parses it again on first use.
   */
  readonly doc: ManifestDocument;
  /** True when the document did not parse or layer 1 reported an error: no pass judges it. */
  readonly broken: boolean;
  /** The object's identity, when the document decodes to an object with string apiVersion and kind. */
  readonly head: DocumentHead | undefined;
  /** The per-document findings already reported for it (e.g. to skip a document that did not parse). */
  readonly findings: readonly Finding[];
  /** The document as a plain value, as kubectl would send it; decoded once and cached with the document. */
  value(): unknown;
  /** The file range of a field path; a missing field maps to the key of its deepest existing ancestor. */
  rangeOf(segments: readonly PathSegment[], anchor?: Anchor): SourceRange;
  /** The file the document is in, when a run spans several files (used in messages). */
  readonly fileName?: string;
}

export interface SetPassOptions {
  readonly kubernetesVersion: string;
}

export interface SetPass {
  readonly id: string;
  /**
   * Findings on `targets` (the documents of one file), judged against `context`, every
   * document of the run: several files validated together teach each other their CRDs.
   */
  check(targets: readonly SetDocument[], context: readonly SetDocument[], options: SetPassOptions): Finding[];
}

const schemaSetPass: SetPass = {
  id: 'schema-set',
  check: (targets, context, options) => schemaSetFindings(targets, context, options.kubernetesVersion),
};

/** Every registered set pass, in order. Layer 4 adds rows here. */
export function setPasses(): readonly SetPass[] {
  return [schemaSetPass];
}

/** True when a set pass may judge the document (see the contract above). */
export function isJudgeable(document: SetDocument): boolean {
  return !document.broken && document.head !== undefined;
}

/** Runs every set pass over the documents of one file (and the run's other documents as context). */
export function runSetPasses(
  targets: readonly SetDocument[],
  options: SetPassOptions,
  context: readonly SetDocument[] = targets,
): Finding[] {
  const findings: Finding[] = [];
  const judgedTargets = targets.filter(isJudgeable);
  if (judgedTargets.length === 0) return findings;
  const judgedContext = context === targets ? judgedTargets : context.filter(isJudgeable);
  for (const pass of setPasses()) findings.push(...pass.check(judgedTargets, judgedContext, options));
  return findings;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The head of a decoded document, or undefined when it is not an object with string apiVersion and kind. */
export function headOf(value: unknown): DocumentHead | undefined {
  if (!isPlainObject(value) || typeof value.apiVersion !== 'string' || typeof value.kind !== 'string') return undefined;
  const metadata = isPlainObject(value.metadata) ? value.metadata : undefined;
  const name = typeof metadata?.name === 'string' ? metadata.name : undefined;
  const namespace = typeof metadata?.namespace === 'string' ? metadata.namespace : undefined;
  return {
    apiVersion: value.apiVersion,
    kind: value.kind,
    ...(name !== undefined ? { name } : {}),
    ...(namespace !== undefined ? { namespace } : {}),
  };
}

/** True when a document did not parse or layer 1 reported an error on it. */
export function isBroken(doc: ManifestDocument, findings: readonly Finding[]): boolean {
  return doc.errors.length > 0 || findings.some((f) => f.severity === 'error' && f.code.startsWith('PT1'));
}

/**
 * Builds the set pass's view of a parsed document. `shift` moves a range from the
 * coordinates the document was parsed in to file coordinates (identity for a whole-file
 * parse). The value is the one validateDocument decodes, shared through decode.ts.
 */
export function setDocumentOf(
  index: number,
  doc: ManifestDocument,
  lines: LineIndex,
  findings: readonly Finding[],
  shift: (range: SourceRange) => SourceRange = (range) => range,
  fileName?: string,
): SetDocument {
  const broken = isBroken(doc, findings);
  return {
    index,
    doc,
    findings,
    fileName,
    broken,
    head: broken ? undefined : headOf(decodedValue(doc)),
    value: () => decodedValue(doc),
    rangeOf: (segments, anchor) => shift(rangeOfPath(doc.yaml, lines, segments, anchor)),
  };
}
