import { compareFindings, type Finding, type SourceRange } from '../base/finding';
import type { PathSegment } from './fieldPath';
import { rangeOfPath, type Anchor } from './sourceMap';
import { parseManifestText, type ManifestDocument, type ParsedManifestFile } from './parse';
import { runSetPasses, setDocumentOf, type SetDocument } from './setPass';
import { yamlSyntaxFindings } from './yamlSyntax';

export const defaultKubernetesVersion = '1.35';
export const supportedKubernetesVersions = ['1.35', '1.32'] as const;
export type KubernetesVersion = (typeof supportedKubernetesVersions)[number];

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

const yamlLayer: ValidationLayer = {
  id: 'yaml',
  check: ({ file, doc }) => yamlSyntaxFindings(file, doc),
  stopsOnError: true,
};

export function validationLayers(): readonly ValidationLayer[] {
  return [yamlLayer];
}

function resolveOptions(options: ValidateOptions | undefined): Required<ValidateOptions> {
  return { kubernetesVersion: options?.kubernetesVersion ?? defaultKubernetesVersion };
}

/** Validates one document of a parsed file through every layer. */
export function validateDocument(file: ParsedManifestFile, doc: ManifestDocument, options?: ValidateOptions): Finding[] {
  let value: unknown;
  let decoded = false;
  const context: DocumentContext = {
    file,
    doc,
    options: resolveOptions(options),
    value: () => {
      if (!decoded) {
        value = doc.yaml.toJS({ maxAliasCount: 100 });
        decoded = true;
      }
      return value;
    },
    rangeOf: (segments, anchor) => rangeOfPath(doc.yaml, file.lines, segments, anchor),
  };
  const findings: Finding[] = [];
  for (const layer of validationLayers()) {
    const found = layer.check(context);
    findings.push(...found);
    if (layer.stopsOnError && found.some((f) => f.severity === 'error')) break;
  }
  return findings;
}

/** Validates the whole text of a manifest file; findings are sorted by position. */
export function validateManifestText(text: string, options?: ValidateOptions): Finding[] {
  const file = parseManifestText(text);
  const findings: Finding[] = [];
  const setDocuments: SetDocument[] = [];
  for (const doc of file.documents) {
    const own = validateDocument(file, doc, options);
    findings.push(...own);
    setDocuments.push(setDocumentOf(doc.index, doc, file.lines, own));
  }
  // Checks across documents run last, as IncrementalValidator runs them (see setPass.ts).
  findings.push(...runSetPasses(setDocuments, resolveOptions(options)));
  return findings.sort(compareFindings);
}

export function isSupportedKubernetesVersion(value: string): value is KubernetesVersion {
  return (supportedKubernetesVersions as readonly string[]).includes(value);
}
