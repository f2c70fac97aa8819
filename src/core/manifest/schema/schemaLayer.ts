// Layer 2 of validation, per document: what the apiserver's decoder says before any
// validation rule runs. It resolves apiVersion and kind against the built-in kinds
// (removed, misspelled, deprecated), runs the kind's compiled validator over the decoded
// value, and reports each problem on its YAML range (problemFindings.ts). A kind that is not
// built in is left to the checks across documents (setChecks.ts), which know the set's CRDs.
import type { Finding } from '../../base/finding';
import type { PathSegment } from '../base/fieldPath';
import type { DocumentContext, ValidationLayer } from '../base/validationLayer';
import { resolveKind } from './apiResolution';
import type { SchemaProblem } from './compiler';
import { schemaProblems } from './compiler';
import type { DocumentSet } from './documentSet';
import {
  isPlainObject,
  isStringNode,
  makeFinding,
  problemFinding,
  replaceFix,
  type FindingSite,
} from './problemFindings';
import { schemaCodes } from './schemaCodes';
import type { KindSchema } from './snapshot';

type Out = Finding[];

const noCrds: DocumentSet = { crds: new Map() };

function siteOf(ctx: DocumentContext): FindingSite {
  return { documentIndex: ctx.doc.index, doc: ctx.doc, rangeOf: ctx.rangeOf };
}

/** A namespace on a cluster-scoped kind: the apiserver clears it and accepts the object. */
export function checkNamespace(
  site: FindingSite,
  value: Record<string, unknown>,
  kind: string,
  namespaced: boolean,
  prefix: readonly PathSegment[],
  out: Out,
): void {
  const metadata = isPlainObject(value.metadata) ? value.metadata : undefined;
  const namespace = typeof metadata?.namespace === 'string' ? metadata.namespace : undefined;
  if (namespaced || !namespace) return;
  out.push(
    makeFinding(
      site,
      schemaCodes.namespaceOnClusterScoped,
      'warning',
      `${kind} is cluster-scoped: metadata.namespace "${namespace}" is ignored`,
      [...prefix, 'metadata', 'namespace'],
      'value',
    ),
  );
}

/**
 * Checks one object in one of three phases, each its own layer so that the apiserver's
 * order decides what later layers see: `kind` reports what stops the apiserver from even
 * choosing a schema (missing, unknown or removed apiVersion and kind) and deprecations; `decode` the values the decoder
 * cannot read (wrong types, quantities, base64), after which no validation runs; `fields` what the apiserver reports
 * but still validates past (unknown fields, which Warn mode drops, required fields, CRD
 * enums) and a namespace on a cluster-scoped kind.
 */
function checkObject(
  ctx: FindingSite & { kubernetesVersion: string },
  value: Record<string, unknown>,
  prefix: PathSegment[],
  out: Out,
  phase: Phase,
): void {
  const { apiVersion, kind } = value;
  if (apiVersion === undefined && kind === undefined) return;
  if (typeof apiVersion !== 'string' || apiVersion === '' || typeof kind !== 'string' || kind === '') {
    const missing = typeof kind !== 'string' || kind === '' ? 'Kind' : 'apiVersion';
    const at = missing === 'Kind' ? 'kind' : 'apiVersion';
    if (phase === 'kind')
      out.push(
        makeFinding(
          ctx,
          schemaCodes.missingTypeMeta,
          'error',
          `Object '${missing}' is missing or is not a string`,
          [...prefix, at],
          'key',
        ),
      );
    return;
  }
  if (apiVersion === 'v1' && kind === 'List' && Array.isArray(value.items)) {
    // kubectl unpacks a List and sends each item on its own.
    value.items.forEach((item, i) => {
      if (isPlainObject(item)) checkObject(ctx, item, [...prefix, 'items', i], out, phase);
    });
    return;
  }
  const resolution = resolveKind(apiVersion, kind, ctx.kubernetesVersion, noCrds);
  if (phase !== 'kind') {
    if (resolution.status !== 'schema') return;
    for (const problem of cachedProblems(resolution.schema, value)) {
      if (isDecodeProblem(problem, resolution.schema, resolution.custom) === (phase === 'decode'))
        out.push(problemFinding(ctx, resolution.schema, resolution.custom, problem, prefix));
    }
    if (phase === 'fields') checkNamespace(ctx, value, kind, resolution.namespaced, prefix, out);
    return;
  }
  switch (resolution.status) {
    case 'removed':
      out.push(
        makeFinding(ctx, schemaCodes.removedApi, 'error', resolution.message, [...prefix, 'apiVersion'], 'value'),
      );
      return;
    case 'unknown': {
      const fix = resolution.replacement
        ? [
            replaceFix(
              ctx,
              [...prefix, resolution.field],
              'value',
              `Change to ${resolution.replacement}`,
              resolution.replacement,
            ),
          ]
        : undefined;
      out.push(
        makeFinding(
          ctx,
          schemaCodes.unknownKind,
          'error',
          resolution.message,
          [...prefix, resolution.field],
          'value',
          fix,
        ),
      );
      return;
    }
    case 'unchecked':
      // Perhaps a custom resource: the checks across documents look for its CRD (setChecks.ts).
      return;
    case 'schema':
      break;
  }
  if (resolution.warning)
    out.push(
      makeFinding(ctx, schemaCodes.deprecatedApi, 'warning', resolution.warning, [...prefix, 'apiVersion'], 'value'),
    );
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
  if (
    problem.kind === 'type' &&
    (typeof problem.value === 'boolean' || typeof problem.value === 'number') &&
    isStringNode(schema, problem)
  )
    return false;
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
    checkObject({ ...siteOf(ctx), kubernetesVersion: ctx.options.kubernetesVersion }, value, [], out, phase);
    return out;
  };
}

/** Findings about a document's apiVersion and kind. */
export const kindFindings = findingsOf('kind');
/** Values the decoder cannot read. */
export const decodeFindings = findingsOf('decode');
/** Unknown and missing fields, and a namespace on a cluster-scoped kind. */
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
