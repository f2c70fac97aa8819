// The schema checks for a plain object, with no YAML: what the simulated apiserver needs to
// answer a create or update as kube-apiserver does. Strict-decoding errors (unknown fields)
// become `400 BadRequest: <Kind> in version "<v>" cannot be handled as a <Kind>: strict
// decoding error: unknown field "spec.foo", …` under fieldValidation=Strict (warnings under
// Warn); decode errors (types, quantities, base64) become the same 400 with the decoder's
// text; `required` errors are what the Go validation reports as 422 `Required value`.
import type { PathSegment } from '../base/fieldPath';
import { resolveKind } from './apiResolution';
import { schemaProblems } from './compiler';
import type { DocumentSet } from './documentSet';
import { problemMessage } from './schemaMessages';

export type SchemaErrorKind = 'unknownField' | 'decode' | 'required' | 'enum';

export interface SchemaError {
  readonly kind: SchemaErrorKind;
  readonly segments: readonly PathSegment[];
  /** The apiserver's text: `unknown field "spec.foo"`, `json: cannot unmarshal …`, `spec.x: Required value`. */
  readonly message: string;
}

const emptySet: DocumentSet = { crds: new Map() };

/**
 * Schema errors of a decoded object of a kind the version serves (or a CRD in `documentSet`
 * teaches: build one with documentSetOf(the CRDs in the store)). An object whose apiVersion and kind are not known
 * yields no errors: the caller, which routed the request to a resource, decides what an unknown kind means.
 */
export function schemaErrorsForObject(
  object: unknown,
  kubernetesVersion: string,
  documentSet: DocumentSet = emptySet,
): SchemaError[] {
  if (typeof object !== 'object' || object === null || Array.isArray(object)) return [];
  const { apiVersion, kind } = object as { apiVersion?: unknown; kind?: unknown };
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') return [];
  const resolution = resolveKind(apiVersion, kind, kubernetesVersion, documentSet);
  if (resolution.status !== 'schema') return [];
  return schemaProblems(resolution.schema, object).map((problem) => ({
    kind: problem.kind === 'type' || problem.kind === 'format' ? 'decode' : problem.kind,
    segments: problem.segments,
    message: problemMessage(resolution.schema, problem, resolution.custom),
  }));
}

/** The 400 message of a strict decode failure, as the apiserver's handler words it. */
export function strictDecodingMessage(kind: string, version: string, errors: readonly SchemaError[]): string {
  const strict = errors.filter((e) => e.kind === 'unknownField').map((e) => e.message);
  return `${kind} in version "${version}" cannot be handled as a ${kind}: strict decoding error: ${strict.join(', ')}`;
}
