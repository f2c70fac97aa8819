// One PATCH request, from its Content-Type, body and options to the new object, as the apiserver's
// handler (staging/src/k8s.io/apiserver/pkg/endpoints/handlers/patch.go) runs it: the patch type
// from the Content-Type (415 for others), the PatchOptions checks (422), the body decoded (400),
// the patch applied, the field validation of the result (Strict refuses unknown fields, Warn
// returns them as warnings), and the managedFields updated. Storing the result, dryRun and
// admission belong to the server, which calls this with the live object.
import { parseDocument } from 'yaml';
import { schemaErrorsForObject } from '../../manifest/schema/schemaErrors';
import { ApiError, notFound } from '../../sim/store/apiError';
import { applyJsonPatch } from './jsonPatch';
import type { JsonObject, JsonValue } from './jsonValue';
import { isJsonObject } from './jsonValue';
import { managerFromUserAgent } from './managedFields';
import { applyMergePatch } from './mergePatch';
import { applyStrategicMergePatch } from './strategicMerge';
import { badRequest, goValueText, internalError, unsupportedMediaType } from './patchErrors';
import { rootField, schemaForKind } from './patchSchema';
import { undeclaredFields } from './objectFields';
import { recordUpdate, serverSideApply } from './serverSideApply';

export const patchContentTypes = [
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
  'application/apply-patch+yaml',
] as const;
export type PatchContentType = (typeof patchContentTypes)[number];

export interface PatchTarget {
  readonly apiVersion: string;
  readonly kind: string;
  /** `deployments.apps`, `pods`: how errors name the resource. */
  readonly qualifiedResource: string;
  readonly name: string;
  readonly namespace?: string;
  readonly subresource?: string;
}

export interface PatchParameters {
  readonly fieldManager?: string;
  readonly fieldValidation?: string;
  readonly force?: boolean;
  readonly userAgent?: string;
}

export interface PatchRequest {
  readonly contentType: string;
  readonly body: string;
  /** The stored object, or undefined when there is none (only an apply may then create it). */
  readonly live: JsonObject | undefined;
  readonly target: PatchTarget;
  readonly parameters: PatchParameters;
  /** RFC 3339, from the simulator's clock, for managedFields' time. */
  readonly now: string;
  readonly kubernetesVersion?: string;
  /**
   * Whether to record the write in managedFields (the default). The scale subresource patches a
   * Scale made up for the request, so its caller records the change on the object instead.
   */
  readonly trackManagers?: boolean;
}

export interface PatchResult {
  readonly object: JsonObject;
  readonly created: boolean;
  /** Warning headers (`unknown field "spec.foo"`) under fieldValidation=Warn. */
  readonly warnings: readonly string[];
}

/** The media type without parameters (`; charset=utf-8`), as the handler compares it. */
export function patchTypeOf(contentType: string): PatchContentType {
  const type = contentType.split(';')[0].trim();
  const known = patchContentTypes.find((t) => t === type);
  if (!known) throw unsupportedMediaType(type, patchContentTypes);
  return known;
}

/** metav1 validation.ValidatePatchOptions: 422 on the PatchOptions kind. */
function checkOptions(type: PatchContentType, parameters: PatchParameters): void {
  const problems: string[] = [];
  const validation = parameters.fieldValidation ?? '';
  if (!['', 'Ignore', 'Warn', 'Strict'].includes(validation)) {
    problems.push(`fieldValidation: Unsupported value: "${validation}": supported values: "Ignore", "Strict", "Warn"`);
  }
  if (type === 'application/apply-patch+yaml') {
    if (!parameters.fieldManager) problems.push('fieldManager: Required value: is required for apply patch');
  } else if (parameters.force !== undefined) {
    problems.push('force: Forbidden: may not be specified for non-apply patch');
  }
  if (problems.length === 0) return;
  const message = problems.length === 1 ? problems[0] : `[${problems.join(', ')}]`;
  throw new ApiError(422, 'Invalid', `PatchOptions.meta.k8s.io "" is invalid: ${message}`, {
    group: 'meta.k8s.io',
    kind: 'PatchOptions',
    causes: problems.map((p) => {
      const colon = p.indexOf(': ');
      return { reason: 'FieldValueInvalid', field: p.slice(0, colon), message: p.slice(colon + 2) };
    }),
  });
}

function decodeJson(body: string): JsonValue {
  try {
    return JSON.parse(body) as JsonValue;
  } catch (error) {
    throw badRequest(`error decoding patch: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** sigs.k8s.io/yaml's Unmarshal into a map, with its error texts. */
function decodeYaml(body: string): JsonObject {
  const document = parseDocument(body, { uniqueKeys: false });
  const error = document.errors[0];
  if (error) {
    const line = error.linePos?.[0].line ?? 1;
    throw badRequest(
      `error decoding YAML: error converting YAML to JSON: yaml: line ${line}: ${error.message.split('\n')[0]}`,
    );
  }
  const value = document.toJS() as JsonValue;
  if (!isJsonObject(value)) {
    const found = Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value;
    throw badRequest(
      `error decoding YAML: json: cannot unmarshal ${found} into Go value of type map[string]interface {}`,
    );
  }
  return value;
}

/** The name and namespace in the result must be those of the URL (handlers' checkName). */
function checkIdentity(object: JsonObject, target: PatchTarget): JsonObject {
  const metadata: Record<string, JsonValue> = isJsonObject(object.metadata) ? { ...object.metadata } : {};
  if (metadata.name === undefined || metadata.name === '') metadata.name = target.name;
  else if (metadata.name !== target.name) {
    throw badRequest(
      `the name of the object (${String(metadata.name)}) does not match the name on the URL (${target.name})`,
    );
  }
  if (target.namespace !== undefined) {
    if (metadata.namespace === undefined || metadata.namespace === '') metadata.namespace = target.namespace;
    else if (metadata.namespace !== target.namespace) {
      throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
  }
  return { ...object, metadata };
}

/**
 * The apiserver's answer to an apply configuration with a field its kind's schema does not
 * declare: the field manager cannot make a typed object of it, whatever the fieldValidation, and
 * the error reaches the client as a 500 (fieldmanager's "failed to create typed patch object").
 */
export function undeclaredFieldError(
  config: JsonObject,
  target: { readonly apiVersion: string; readonly kind: string; readonly name: string; readonly namespace?: string },
  kubernetesVersion: string,
): ApiError | undefined {
  const schema = rootField(schemaForKind(target.apiVersion, target.kind, kubernetesVersion));
  const undeclared = undeclaredFields(config, schema);
  if (undeclared.length === 0) return undefined;
  const ns = target.namespace ?? '';
  const group = target.apiVersion.includes('/') ? target.apiVersion : `/${target.apiVersion}`;
  return internalError(
    `failed to create typed patch object (${ns}/${target.name}; ${group}, Kind=${target.kind}): ` +
      `${undeclared[0]}: field not declared in schema`,
  );
}

/** Applies one PATCH request to the live object; throws ApiError with the apiserver's answer on every refusal. */
export function applyPatchRequest(request: PatchRequest): PatchResult {
  const { target, parameters, live } = request;
  const type = patchTypeOf(request.contentType);
  checkOptions(type, parameters);
  const kubernetesVersion = request.kubernetesVersion ?? '1.35';
  const schema = rootField(schemaForKind(target.apiVersion, target.kind, kubernetesVersion));
  const context = { schema, now: request.now, subresource: target.subresource };
  if (type === 'application/apply-patch+yaml') {
    const config = decodeYaml(request.body);
    const version = typeof config.apiVersion === 'string' ? config.apiVersion : '';
    if (version !== target.apiVersion) {
      throw badRequest(
        'Incorrect version specified in apply patch. ' +
          `Specified patch version: ${version}, expected: ${target.apiVersion}`,
      );
    }
    const undeclared = undeclaredFieldError(config, target, kubernetesVersion);
    if (undeclared) throw undeclared;
    const object = serverSideApply({
      ...context,
      live,
      config: checkIdentity(config, target),
      manager: parameters.fieldManager ?? '',
      force: parameters.force === true,
      apiVersion: target.apiVersion,
    });
    return { object, created: live === undefined, warnings: [] };
  }
  if (!live) throw notFound(target.qualifiedResource, target.name);
  const patch = decodeJson(request.body);
  let patched: JsonValue;
  let quoted: string;
  if (type === 'application/json-patch+json') {
    patched = applyJsonPatch(live, patch);
    quoted = JSON.stringify(patched);
  } else if (type === 'application/merge-patch+json') {
    patched = applyMergePatch(live, patch);
    quoted = JSON.stringify(patched);
  } else {
    patched = applyStrategicMergePatch(live, patch, schema);
    quoted = goValueText(patch);
  }
  if (!isJsonObject(patched)) {
    throw new ApiError(
      422,
      'Invalid',
      ` "" is invalid: patch: Invalid value: "${JSON.stringify(patched)}": not an object`,
    );
  }
  const warnings = fieldValidationOf(patched, parameters.fieldValidation, kubernetesVersion, quoted);
  const checked = checkIdentity(patched, target);
  if (request.trackManagers === false) return { object: checked, created: false, warnings };
  const object = recordUpdate({
    ...context,
    before: live,
    after: checked,
    manager: managerFromUserAgent(parameters.fieldManager, parameters.userAgent),
    apiVersion: target.apiVersion,
  });
  return { object, created: false, warnings };
}

/**
 * Unknown fields in a patched object: none checked under Ignore, warnings under Warn (the default),
 * and under Strict the apiserver's 422 on the field `patch`.
 */
function fieldValidationOf(
  patched: JsonObject,
  directive: string | undefined,
  version: string,
  quoted: string,
): string[] {
  if (directive === 'Ignore') return [];
  const unknown = schemaErrorsForObject(patched, version)
    .filter((e) => e.kind === 'unknownField')
    .map((e) => e.message);
  if (unknown.length === 0) return [];
  if (directive !== 'Strict') return unknown;
  const detail = `strict decoding error: ${unknown.join(', ')}`;
  throw new ApiError(422, 'Invalid', ` "" is invalid: patch: Invalid value: "${quoted}": ${detail}`, {
    causes: [{ reason: 'FieldValueInvalid', field: 'patch', message: `Invalid value: "${quoted}": ${detail}` }],
  });
}
