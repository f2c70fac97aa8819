// fieldValidation=Strict|Warn|Ignore (KEP-2885) for creates and updates, with the project's
// schema layer deciding which fields exist: Strict refuses unknown fields (and keys given twice
// in a JSON body) with 400 BadRequest `strict decoding error: unknown field "spec.foo", duplicate
// field "spec.replicas"`; Warn (the default when the parameter is absent) drops them and sends
// `Warning: 299 - "unknown field \"spec.foo\""`; Ignore drops them silently. A value that cannot
// be decoded (a string where a number goes) is a 400 either way, as the decoder refuses it before
// validation.
import type { KubernetesVersion } from '../base/kubernetesVersion';
import type { PathSegment } from '../manifest/base/fieldPath';
import { schemaErrorsForObject, strictDecodingMessage } from '../manifest/schema/schemaErrors';
import { badRequest } from './status';

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

export function fieldValidationOf(query: URLSearchParams): FieldValidation {
  const value = query.get('fieldValidation');
  if (value === null || value === '') return 'Warn';
  if (value === 'Strict' || value === 'Warn' || value === 'Ignore') return value;
  throw badRequest(`fieldValidation: Invalid value: "${value}": must be one of Ignore, Warn, or Strict`);
}

/** A copy of `object` without the value at `segments`. */
function without(object: unknown, segments: readonly PathSegment[]): unknown {
  if (segments.length === 0 || typeof object !== 'object' || object === null) return object;
  const [head, ...rest] = segments;
  if (Array.isArray(object)) {
    if (typeof head !== 'number' || head >= object.length) return object;
    const copy = [...object];
    copy[head] = without(copy[head], rest);
    return copy;
  }
  const record = object as Record<string, unknown>;
  if (!(String(head) in record)) return object;
  const copy = { ...record };
  if (rest.length === 0) delete copy[String(head)];
  else copy[String(head)] = without(copy[String(head)], rest);
  return copy;
}

/**
 * Checks `object` against its kind's schema as the apiserver decodes it: returns the object to
 * store (unknown fields dropped) and pushes Warn's warnings; throws the 400 that refuses it.
 */
export function checkFields(
  object: Record<string, unknown>,
  mode: FieldValidation,
  version: KubernetesVersion,
  warnings: string[],
  duplicates: readonly string[] = [],
): Record<string, unknown> {
  const errors = schemaErrorsForObject(object, version);
  const kind = String(object.kind);
  const apiVersion = String(object.apiVersion);
  const groupVersion = apiVersion.includes('/') ? apiVersion.split('/')[1] : apiVersion;
  const decode = errors.filter((e) => e.kind === 'decode');
  if (decode.length > 0)
    throw badRequest(`${kind} in version "${groupVersion}" cannot be handled as a ${kind}: ${decode[0].message}`);
  const unknown = errors.filter((e) => e.kind === 'unknownField');
  const strict = [
    ...unknown,
    ...duplicates.map((path) => ({
      kind: 'unknownField' as const,
      segments: [],
      message: `duplicate field "${path}"`,
    })),
  ];
  if (strict.length === 0) return object;
  if (mode === 'Strict') throw badRequest(strictDecodingMessage(kind, groupVersion, strict));
  if (mode === 'Warn') warnings.push(...strict.map((e) => e.message));
  let pruned: unknown = object;
  for (const e of unknown) pruned = without(pruned, e.segments);
  return pruned as Record<string, unknown>;
}
