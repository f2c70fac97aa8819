import { visit } from 'yaml';
import { compareFindings, type Finding } from '../base/finding';
import { defaultKubernetesVersion } from '../base/kubernetesVersion';
import { rangeOfPath } from './base/sourceMap';
import { parseManifestText, type ManifestDocument, type ParsedManifestFile } from './base/parse';
import { runSetPasses, setDocumentOf, type SetDocument } from './setPass';
import { PartReparser, streamFile } from './streamingValidate';
import { yamlSyntaxFindings } from './yamlSyntax';
import { schemaDecodeLayer, schemaKindLayer, schemaLayer } from './schema/schemaLayer';
import { schemaCodes } from './schema/schemaCodes';
import { decoded, decodedValue } from './decode';
import { rulesLayer } from './rules/rulesLayer';
import { lintLayer } from './lints/imageTagLint';
import type { DocumentContext, ValidateOptions, ValidationLayer } from './base/validationLayer';

const yamlLayer: ValidationLayer = {
  id: 'yaml',
  check: ({ file, doc, options }) => {
    const syntax = yamlSyntaxFindings(file, doc, options.kubernetesVersion);
    return syntax.some((f) => f.severity === 'error') ? syntax : [...syntax, ...decodeFindings(file, doc)];
  },
  stopsOnError: true,
};

export function validationLayers(): readonly ValidationLayer[] {
  return [yamlLayer, schemaKindLayer, schemaDecodeLayer, schemaLayer, rulesLayer, lintLayer];
}

function resolveOptions(options: ValidateOptions | undefined): Required<ValidateOptions> {
  return { kubernetesVersion: options?.kubernetesVersion ?? defaultKubernetesVersion };
}

/** Layer 1's finding for a document that parses but cannot be decoded, as kubectl cannot. */
function decodeFindings(file: ParsedManifestFile, doc: ManifestDocument): Finding[] {
  const error = decoded(doc).error;
  if (!error) return [];
  // Point at the first alias that resolves to nothing, else at the document's first line.
  let at: [number, number] | undefined;
  visit(doc.yaml, {
    Alias(_, node) {
      if (node.range && node.resolve(doc.yaml) === undefined) {
        at = [node.range[0], node.range[1]];
        return visit.BREAK;
      }
      return undefined;
    },
  });
  const start = at?.[0] ?? doc.yaml.contents?.range?.[0] ?? doc.start;
  const end = at?.[1] ?? Math.min(file.lines.lineEnd(file.lines.position(start).line), doc.end);
  return [
    {
      code: 'PT1001',
      severity: 'error',
      message: `YAML syntax error: ${error.message.split('\n')[0]}`,
      range: file.lines.range(start, Math.max(start, end)),
      path: '',
      documentIndex: doc.index,
    },
  ];
}

/** Validates one document of a parsed file through every layer. */
export function validateDocument(
  file: ParsedManifestFile,
  doc: ManifestDocument,
  options?: ValidateOptions,
): Finding[] {
  const resolved = resolveOptions(options);
  const context: DocumentContext = {
    file,
    doc,
    options: resolved,
    value: () => decodedValue(doc),
    rangeOf: (segments, anchor) => rangeOfPath(doc.yaml, file.lines, segments, anchor),
  };
  const findings: (Finding | undefined)[] = [];
  // Two layers may judge the same field: the schema's `required` says `Required value`
  // where the apiserver's rule for it words the verdict exactly (`Invalid value: 0: must be
  // between 1 and 65535, inclusive`). A later layer's error on a path where an earlier layer
  // reported an error replaces the earlier finding; errors of one layer are all kept.
  const errorAt = new Map<string, { layer: number; index: number }>();
  validationLayers().some((layer, layerIndex) => {
    const found = layer.check(context);
    for (const f of found) {
      const earlier = f.severity === 'error' && f.path ? errorAt.get(f.path) : undefined;
      if (earlier && earlier.layer !== layerIndex) findings[earlier.index] = undefined;
      if (f.severity === 'error' && f.path) errorAt.set(f.path, { layer: layerIndex, index: findings.length });
      findings.push(f);
    }
    return layer.stopsOnError === true && found.some((f) => f.severity === 'error');
  });
  return findings.filter((f): f is Finding => f !== undefined);
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

/**
 * Validates several files as one set, as `podtrace validate a.yaml b.yaml` does: a CRD in
 * one file teaches its kind to the others, and an object defined in two files is reported.
 */
export function validateManifestTexts(
  inputs: readonly { readonly name: string; readonly text: string }[],
  options?: ValidateOptions,
): Finding[][] {
  // Part by part (streamingValidate.ts): a file of any size is validated in time linear in
  // it, holding one part's syntax tree at a time; the findings are those of validating the
  // parsed files (validateParsedManifests).
  const resolved = resolveOptions(options);
  const validateOne = (file: ParsedManifestFile, doc: ManifestDocument) => validateDocument(file, doc, resolved);
  const reparser = new PartReparser();
  const streamed = inputs.map((input) => streamFile(input.text, validateOne, reparser, input.name));
  const context = streamed.flatMap((file) => file.documents);
  return streamed.map(({ findings, documents }) => {
    for (const f of runSetPasses(documents, resolved, context)) findings.push(f);
    return findings.sort(compareFindings);
  });
}

/** The same, for files already parsed (a caller that goes on to use the documents parses once). */
export function validateParsedManifests(files: readonly ParsedInput[], options?: ValidateOptions): Finding[][] {
  return validateWithLaterApplies(files, [], options).files;
}

type ParsedInput = { readonly name: string; readonly file: ParsedManifestFile };

/**
 * Validates `files` as one set, and `later` as files applied one by one after them (a
 * scenario's `kubectl apply` at a later time): a later file learns the CRDs of the set and
 * of itself, and an object it defines again is no duplicate when the set defines it (applying
 * a new version is the point), only when it defines it twice itself.
 */
export function validateWithLaterApplies(
  files: readonly ParsedInput[],
  later: readonly ParsedInput[],
  options?: ValidateOptions,
): { files: Finding[][]; later: Finding[][] } {
  const own = (inputs: readonly ParsedInput[]) =>
    inputs.map(({ name, file }) => {
      const findings = file.documents.map((doc) => validateDocument(file, doc, options));
      const documents = file.documents.map((doc, i) =>
        setDocumentOf(doc.index, doc, file.lines, findings[i], undefined, name),
      );
      return { findings, documents };
    });
  const set = own(files);
  const context = set.flatMap((f) => f.documents);
  const resolved = resolveOptions(options);
  return {
    files: set.map(({ findings, documents }) =>
      [...findings.flat(), ...runSetPasses(documents, resolved, context)].sort(compareFindings),
    ),
    later: own(later).map(({ findings, documents }) => {
      const withSet = runSetPasses(documents, resolved, [...context, ...documents]).filter(
        (f) => f.code !== schemaCodes.duplicateObject,
      );
      const alone = runSetPasses(documents, resolved, documents).filter((f) => f.code === schemaCodes.duplicateObject);
      return [...findings.flat(), ...withSet, ...alone].sort(compareFindings);
    }),
  };
}
