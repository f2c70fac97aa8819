// Schema checks across the documents of a run, after the per-document layers: custom
// resources checked against the openAPIV3Schema of a CustomResourceDefinition among the
// documents (or a warning that they were not checked), and the same object defined twice.
//
// They run as a "set pass" rather than in a layer so that the per-document findings depend
// only on each document's own text, which lets the editor cache them per document. The
// documents come in the set pass's shape (index, parsed YAML, own findings, decoded value,
// range lookup); `targets` are the documents to report on and `context` every document of
// the run, so several files validated together teach each other their CRDs.
import type { Finding } from '../../base/finding';
import { builtinNamespaced, catalogFor, resolveKind } from './apiResolution';
import { schemaProblems } from './compiler';
import { documentSetOf, groupOf, identityKey, type DocumentSet } from './documentSet';
import { isPlainObject, makeFinding, problemFinding, replaceFix, type FindingSite } from './problemFindings';
import { checkNamespace } from './schemaLayer';
import { schemaCodes } from './schemaCodes';
import { removedApiFor } from './removedApis';

/** A document as the set pass sees it (structurally the editor's SetDocument). */
export interface SchemaSetDocument extends Omit<FindingSite, 'documentIndex'> {
  readonly index: number;
  readonly findings: readonly Finding[];
  /** True when the document did not parse or layer 1 reported an error. */
  readonly broken: boolean;
  /** The object's identity, read when the document was validated (see setPass.ts). */
  readonly head:
    | { readonly apiVersion: string; readonly kind: string; readonly name?: string; readonly namespace?: string }
    | undefined;
  /** The decoded document; it may parse the document again, so only the checks that need the whole object call it. */
  value(): unknown;
  /** The file the document is in, when a run spans several files (used in messages). */
  readonly fileName?: string;
}

interface Typed {
  readonly document: SchemaSetDocument;
  readonly apiVersion: string;
  readonly kind: string;
  readonly name?: string;
  readonly namespace?: string;
}

/** Documents that parsed and have string apiVersion and kind; a broken one is skipped. */
function typedDocuments(documents: readonly SchemaSetDocument[]): Typed[] {
  const out: Typed[] = [];
  for (const document of documents) {
    if (document.broken || !document.head) continue;
    out.push({ document, ...document.head });
  }
  return out;
}

function isCrd(typed: Typed): boolean {
  return typed.kind === 'CustomResourceDefinition' && groupOf(typed.apiVersion) === 'apiextensions.k8s.io';
}

function siteOf(document: SchemaSetDocument): FindingSite {
  // Through the document, not its detached members: a summary (streamingValidate.ts) parses
  // its part again on first use, and only when a finding needs it.
  return {
    documentIndex: document.index,
    get doc() {
      return document.doc;
    },
    rangeOf: (segments, anchor) => document.rangeOf(segments, anchor),
  };
}

function isBuiltinOrRemoved(apiVersion: string, kind: string, kubernetesVersion: string): boolean {
  if (catalogFor(kubernetesVersion).byApiVersionKind.has(`${apiVersion}/${kind}`)) return true;
  return removedApiFor(apiVersion, kind, kubernetesVersion) !== undefined;
}

/** Custom resources: checked against their CRD in the set, or reported as not checked. */
function customResourceFindings(target: Typed, set: DocumentSet, kubernetesVersion: string, out: Finding[]): void {
  const { document, apiVersion, kind } = target;
  if (isBuiltinOrRemoved(apiVersion, kind, kubernetesVersion)) return;
  // The per-document layer already reported an unknown built-in; only `unchecked` is ours.
  if (resolveKind(apiVersion, kind, kubernetesVersion, { crds: new Map() }).status !== 'unchecked') return;
  const value = document.value();
  if (!isPlainObject(value)) return;
  const site = siteOf(document);
  const resolution = resolveKind(apiVersion, kind, kubernetesVersion, set);
  switch (resolution.status) {
    case 'schema':
      for (const problem of schemaProblems(resolution.schema, value))
        out.push(problemFinding(site, resolution.schema, true, problem, []));
      checkNamespace(site, value, kind, resolution.namespaced, [], out);
      return;
    case 'unknown': {
      const fix = resolution.replacement
        ? [replaceFix(site, [resolution.field], 'value', `Change to ${resolution.replacement}`, resolution.replacement)]
        : undefined;
      out.push(
        makeFinding(site, schemaCodes.unknownKind, 'error', resolution.message, [resolution.field], 'value', fix),
      );
      return;
    }
    case 'unchecked':
      out.push(makeFinding(site, schemaCodes.uncheckedKind, 'warning', resolution.message, ['kind'], 'value'));
      return;
    case 'removed':
      return;
  }
}

function groupKindOf(apiVersion: string, kind: string): string {
  const group = groupOf(apiVersion);
  return group ? `${kind}.${group}` : kind;
}

/** The same object twice: reported on every later definition, naming the first. */
function duplicateFindings(
  targets: readonly Typed[],
  context: readonly Typed[],
  set: DocumentSet,
  kubernetesVersion: string,
  out: Finding[],
): void {
  const first = new Map<string, Typed>();
  const targetSet = new Set(targets.map((t) => t.document));
  for (const typed of context) {
    const { name, namespace } = typed;
    if (!name) continue;
    const crd = set.crds.get(`${groupOf(typed.apiVersion)}/${typed.kind}`);
    const namespaced = builtinNamespaced(kubernetesVersion, typed.apiVersion, typed.kind) ?? crd?.namespaced ?? true;
    const key = identityKey(typed.apiVersion, typed.kind, namespace, name, namespaced);
    const earlier = first.get(key);
    if (!earlier) {
      first.set(key, typed);
      continue;
    }
    if (!targetSet.has(typed.document)) continue;
    const sameFile = earlier.document.fileName === typed.document.fileName;
    const where = sameFile
      ? `document ${earlier.document.index + 1} of this file`
      : `${earlier.document.fileName} (document ${earlier.document.index + 1})`;
    const scope = namespaced ? ` in namespace "${namespace || 'default'}"` : '';
    const message =
      `${groupKindOf(typed.apiVersion, typed.kind)} "${name}"${scope} is ` +
      `also defined in ${where}; the later one replaces it when applied`;
    out.push(
      makeFinding(
        siteOf(typed.document),
        schemaCodes.duplicateObject,
        'warning',
        message,
        ['metadata', 'name'],
        'value',
      ),
    );
  }
}

/** Findings on `targets`, knowing every document of the run in `context` (targets included). */
export function schemaSetFindings(
  targets: readonly SchemaSetDocument[],
  context: readonly SchemaSetDocument[],
  kubernetesVersion: string,
): Finding[] {
  const typedContext = typedDocuments(context);
  // Only CRDs teach kinds, so only they are decoded whole here.
  const set = documentSetOf(typedContext.filter(isCrd).map((t) => t.document.value()));
  const targetSet = new Set(targets);
  const typedTargets = typedContext.filter((t) => targetSet.has(t.document));
  const out: Finding[] = [];
  for (const target of typedTargets) customResourceFindings(target, set, kubernetesVersion, out);
  duplicateFindings(typedTargets, typedContext, set, kubernetesVersion, out);
  return out;
}

/** The checks as a set pass over the documents of one file (the editor's SetPass shape). */
export const schemaSetPass = {
  id: 'schema-set',
  check(documents: readonly SchemaSetDocument[], options: { readonly kubernetesVersion: string }): Finding[] {
    return schemaSetFindings(documents, documents, options.kubernetesVersion);
  },
};
