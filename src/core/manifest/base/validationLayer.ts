// The contract between the validator and its layers: what a layer sees of one document and what
// it returns. It has its own file so that the layers (schema, rules, lints) and validate.ts, which
// runs them, depend on it without depending on each other.
import type { Finding, SourceRange } from '../../base/finding';
import type { KubernetesVersion } from '../../base/kubernetesVersion';
import type { PathSegment } from './fieldPath';
import type { ManifestDocument, ParsedManifestFile } from './parse';
import type { Anchor } from './sourceMap';

export interface ValidateOptions {
  readonly kubernetesVersion?: KubernetesVersion;
}

/** What a rule sees of one document. */
export interface DocumentContext {
  readonly file: ParsedManifestFile;
  readonly doc: ManifestDocument;
  readonly options: Required<ValidateOptions>;
  /** The document as a plain value, as kubectl would send it (YAML 1.1 scalars); computed once. */
  value(): unknown;
  /** The YAML range of a field path; a missing field maps to the key of its deepest existing ancestor. */
  rangeOf(segments: readonly PathSegment[], anchor?: Anchor): SourceRange;
}

/**
 * A validation layer: a named function from one document to findings. Layers run in
 * order; a layer may stop the ones after it for a document (a document that does not
 * parse is not schema-checked).
 */
export interface ValidationLayer {
  readonly id: string;
  check(context: DocumentContext): Finding[];
  /** When true and this layer found an error, later layers skip the document. */
  readonly stopsOnError?: boolean;
}
