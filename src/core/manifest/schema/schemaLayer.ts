// Layer 2 of validation: what the apiserver's decoder says about a document before any
// validation rule runs. It resolves apiVersion and kind (built-in, taught by a CRD in the
// set, removed, misspelled or unknown), runs the kind's compiled validator over the decoded
// value, and turns each problem into a finding on the right YAML range, with a quick fix
// where the fix is certain (a misspelled key, an unquoted YAML 1.1 scalar).
import type { Finding, QuickFix, Severity } from '../../base/finding';
import type { PathSegment } from '../fieldPath';
import { formatFieldPath } from '../fieldPath';
import type { ParsedManifestFile } from '../parse';
import type { DocumentContext, ValidationLayer } from '../validate';
import { builtinNamespaced, resolveKind } from './apiResolution';
import type { SchemaProblem } from './compiler';
import { schemaProblems } from './compiler';
import { collectDocumentSet, groupOf, identityKey, type DocumentSet } from './documentSet';
import { schemaCodes } from './schemaCodes';
import { describePath, problemMessage, resolveNode } from './schemaMessages';
import type { KindSchema } from './snapshot';
import { closestMatch } from './suggestions';

type Out = Finding[];

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function makeFinding(
  ctx: DocumentContext,
  code: string,
  severity: Severity,
  message: string,
  segments: readonly PathSegment[],
  anchor: 'key' | 'value',
  fixes?: QuickFix[],
  mapKeyAt?: ReadonlySet<number>,
): Finding {
  return {
    code,
    severity,
    message,
    range: ctx.rangeOf(segments, anchor),
    path: formatFieldPath(segments, mapKeyAt),
    documentIndex: ctx.doc.index,
    ...(fixes && fixes.length > 0 ? { fixes } : {}),
  };
}

function replaceFix(ctx: DocumentContext, segments: readonly PathSegment[], anchor: 'key' | 'value', title: string, newText: string): QuickFix {
  return { title, edits: [{ range: ctx.rangeOf(segments, anchor), newText }] };
}

/** The source text of a scalar at a path, or undefined when the path is not a plain scalar. */
function plainScalarText(ctx: DocumentContext, segments: readonly PathSegment[]): string | undefined {
  const range = ctx.rangeOf(segments, 'value');
  const text = ctx.file.text.slice(range.start.offset, range.end.offset);
  if (!text || /^['"|>&*!]/.test(text) || text.includes('\n')) return undefined;
  return text;
}

function isStringNode(schema: KindSchema, problem: SchemaProblem & { kind: 'type' }): boolean {
  return resolveNode(schema, problem.node) === 's';
}

function problemFinding(ctx: DocumentContext, schema: KindSchema, custom: boolean, problem: SchemaProblem, prefix: readonly PathSegment[]): Finding {
  const segments = prefix.length ? [...prefix, ...problem.segments] : problem.segments;
  const message = problemMessage(schema, problem, custom);
  const where = describePath(schema, problem.segments);
  const mapKeyAt = new Set([...where.mapKeyAt].map((i) => i + prefix.length));
  const finding = (code: string, text: string, anchor: 'key' | 'value', fixes?: QuickFix[]) => makeFinding(ctx, code, 'error', text, segments, anchor, fixes, mapKeyAt);
  switch (problem.kind) {
    case 'unknownField': {
      const field = String(problem.segments[problem.segments.length - 1]);
      const guess = where.parent?.p ? closestMatch(field, Object.keys(where.parent.p)) : undefined;
      if (!guess) return finding(schemaCodes.unknownField, message, 'key');
      const fix = replaceFix(ctx, segments, 'key', `Rename to ${guess}`, guess);
      return finding(schemaCodes.unknownField, `${message}; did you mean "${guess}"?`, 'key', [fix]);
    }
    case 'type': {
      const value = problem.value;
      if ((typeof value === 'boolean' || typeof value === 'number') && isStringNode(schema, problem)) {
        const source = plainScalarText(ctx, segments);
        if (source !== undefined) {
          const read = typeof value === 'boolean' ? `the boolean ${value}` : `the number ${value}`;
          const fix = replaceFix(ctx, segments, 'value', `Quote ${source}`, JSON.stringify(source));
          return finding(schemaCodes.yamlScalar, `${message}: YAML reads the unquoted ${source} as ${read}; quote it to keep it a string`, 'value', [fix]);
        }
      }
      return finding(schemaCodes.wrongType, message, 'value');
    }
    case 'required':
      return finding(schemaCodes.requiredField, message, 'key');
    case 'format':
      return finding(message.startsWith('illegal base64') ? schemaCodes.base64 : schemaCodes.quantity, message, 'value');
    case 'enum':
      return finding(schemaCodes.enumValue, message, 'value');
  }
}

function groupKindOf(apiVersion: string, kind: string): string {
  const group = groupOf(apiVersion);
  return group ? `${kind}.${group}` : kind;
}

function checkIdentity(ctx: DocumentContext, value: Record<string, unknown>, apiVersion: string, kind: string, namespaced: boolean, out: Out): void {
  const metadata = isPlainObject(value.metadata) ? value.metadata : undefined;
  const namespace = typeof metadata?.namespace === 'string' ? metadata.namespace : undefined;
  if (!namespaced && namespace) {
    out.push(makeFinding(ctx, schemaCodes.namespaceOnClusterScoped, 'warning', `${kind} is cluster-scoped: metadata.namespace "${namespace}" is ignored`, ['metadata', 'namespace'], 'value'));
  }
  const name = typeof metadata?.name === 'string' ? metadata.name : undefined;
  if (!name) return;
  const occurrences = ctx.documentSet.identities.get(identityKey(apiVersion, kind, namespace, name, namespaced));
  if (!occurrences || occurrences.length < 2) return;
  const position = occurrences.findIndex((o) => o.file === ctx.file && o.index === ctx.doc.index);
  if (position <= 0) return;
  const first = occurrences[0];
  const where = first.file === ctx.file ? `document ${first.index + 1} of this file` : `${first.fileName} (document ${first.index + 1})`;
  const scope = namespaced ? ` in namespace "${namespace || 'default'}"` : '';
  out.push(makeFinding(ctx, schemaCodes.duplicateObject, 'warning', `${groupKindOf(apiVersion, kind)} "${name}"${scope} is also defined in ${where}; the later one replaces it when applied`, ['metadata', 'name'], 'value'));
}

/**
 * Checks one object in one of three phases, each its own layer so that the apiserver's
 * order decides what later layers see: `kind` reports what stops the apiserver from even
 * choosing a schema (missing, unknown or removed apiVersion and kind, an unchecked custom
 * resource) and deprecations; `decode` the values the decoder cannot read (wrong types,
 * quantities, base64), after which no validation runs; `fields` what the apiserver reports
 * but still validates past (unknown fields, which Warn mode drops, required fields, CRD
 * enums) and the identity checks.
 */
function checkObject(ctx: DocumentContext, value: Record<string, unknown>, prefix: PathSegment[], out: Out, phase: Phase): void {
  const { apiVersion, kind } = value;
  if (apiVersion === undefined && kind === undefined) return;
  if (typeof apiVersion !== 'string' || apiVersion === '' || typeof kind !== 'string' || kind === '') {
    const missing = typeof kind !== 'string' || kind === '' ? 'Kind' : 'apiVersion';
    const at = missing === 'Kind' ? 'kind' : 'apiVersion';
    if (phase === 'kind') out.push(makeFinding(ctx, schemaCodes.missingTypeMeta, 'error', `Object '${missing}' is missing or is not a string`, [...prefix, at], 'key'));
    return;
  }
  if (apiVersion === 'v1' && kind === 'List' && Array.isArray(value.items)) {
    // kubectl unpacks a List and sends each item on its own.
    value.items.forEach((item, i) => {
      if (isPlainObject(item)) checkObject(ctx, item, [...prefix, 'items', i], out, phase);
    });
    return;
  }
  const resolution = resolveKind(apiVersion, kind, ctx.options.kubernetesVersion, ctx.documentSet);
  if (phase !== 'kind') {
    if (resolution.status !== 'schema') return;
    for (const problem of cachedProblems(resolution.schema, value)) {
      if (isDecodeProblem(problem, resolution.schema, resolution.custom) === (phase === 'decode')) out.push(problemFinding(ctx, resolution.schema, resolution.custom, problem, prefix));
    }
    if (phase === 'fields' && prefix.length === 0) checkIdentity(ctx, value, apiVersion, kind, resolution.namespaced, out);
    return;
  }
  switch (resolution.status) {
    case 'removed':
      out.push(makeFinding(ctx, schemaCodes.removedApi, 'error', resolution.message, [...prefix, 'apiVersion'], 'value'));
      return;
    case 'unknown': {
      const fix = resolution.replacement ? [replaceFix(ctx, [...prefix, resolution.field], 'value', `Change to ${resolution.replacement}`, resolution.replacement)] : undefined;
      out.push(makeFinding(ctx, schemaCodes.unknownKind, 'error', resolution.message, [...prefix, resolution.field], 'value', fix));
      return;
    }
    case 'unchecked':
      out.push(makeFinding(ctx, schemaCodes.uncheckedKind, 'warning', resolution.message, [...prefix, 'kind'], 'value'));
      return;
    case 'schema':
      break;
  }
  if (resolution.warning) out.push(makeFinding(ctx, schemaCodes.deprecatedApi, 'warning', resolution.warning, [...prefix, 'apiVersion'], 'value'));
}

type Phase = 'kind' | 'decode' | 'fields';

/**
 * Whether the decoder fails on a problem in a way that makes the rest of the object
 * meaningless to the apiserver rules. A custom resource is decoded as plain JSON and its
 * structural schema checks types with the rest (one 422), so none of its problems count. A
 * boolean or number where a string belongs (env `value: yes`) is a decode error too, but a
 * local one: the rules can still judge everything else, so it does not stop them.
 */
function isDecodeProblem(problem: SchemaProblem, schema: KindSchema, custom: boolean): boolean {
  if (custom || (problem.kind !== 'type' && problem.kind !== 'format')) return false;
  if (problem.kind === 'type' && (typeof problem.value === 'boolean' || typeof problem.value === 'number') && isStringNode(schema, problem)) return false;
  return true;
}

// The decode and fields phases share one walk of the validator per object and schema.
const problemCache = new WeakMap<object, { schema: KindSchema; problems: SchemaProblem[] }>();

function cachedProblems(schema: KindSchema, value: Record<string, unknown>): SchemaProblem[] {
  const cached = problemCache.get(value);
  if (cached && cached.schema === schema) return cached.problems;
  const problems = schemaProblems(schema, value);
  problemCache.set(value, { schema, problems });
  return problems;
}

function findingsOf(phase: Phase): (ctx: DocumentContext) => Finding[] {
  return (ctx) => {
    const value = ctx.value();
    if (!isPlainObject(value)) return [];
    const out: Out = [];
    checkObject(ctx, value, [], out, phase);
    return out;
  };
}

/** Findings about a document's apiVersion and kind. */
export const kindFindings = findingsOf('kind');
/** Values the decoder cannot read. */
export const decodeFindings = findingsOf('decode');
/** Unknown and missing fields, CRD enums, namespace and duplicate checks. */
export const fieldFindings = findingsOf('fields');

/** Every schema finding of one document, in the layers' order. */
export function schemaFindings(ctx: DocumentContext): Finding[] {
  return [...kindFindings(ctx), ...decodeFindings(ctx), ...fieldFindings(ctx)];
}

/**
 * Layer 2 as three ValidationLayers. The first two stop the later layers on an error: with
 * no schema for the kind (unknown, removed, missing) the apiserver rules have nothing to
 * apply to, and an object the decoder cannot read never reaches validation. The third does
 * not: with fieldValidation=Warn the apiserver drops unknown fields and validates the rest,
 * so the rules' findings are what the user meets next; showing them now saves a round.
 */
export const schemaKindLayer: ValidationLayer = { id: 'schema-kind', check: kindFindings, stopsOnError: true };
export const schemaDecodeLayer: ValidationLayer = { id: 'schema-decode', check: decodeFindings, stopsOnError: true };
export const schemaLayer: ValidationLayer = { id: 'schema', check: fieldFindings };

const fileSets = new WeakMap<ParsedManifestFile, Map<string, DocumentSet>>();

/** The document set of some files; a single file's set is cached with the parsed file. */
export function documentSetForFiles(files: readonly { readonly name: string; readonly file: ParsedManifestFile }[], kubernetesVersion: string): DocumentSet {
  const namespaced = (apiVersion: string, kind: string) => builtinNamespaced(kubernetesVersion, apiVersion, kind);
  if (files.length !== 1) return collectDocumentSet(files, namespaced);
  const file = files[0].file;
  let perVersion = fileSets.get(file);
  if (!perVersion) fileSets.set(file, (perVersion = new Map()));
  let set = perVersion.get(kubernetesVersion);
  if (!set) perVersion.set(kubernetesVersion, (set = collectDocumentSet(files, namespaced)));
  return set;
}
