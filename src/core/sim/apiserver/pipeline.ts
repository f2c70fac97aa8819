// The request pipeline of kube-apiserver, as pluggable steps: authentication,
// authorization, mutating admission, validation, validating admission, storage. Each
// step is a function; validation is the shared apiserver rules of the validation layers.
import { fieldErrorBody, fieldErrorPath, type FieldErrorType } from '../../manifest/base/fieldError';
import { validateObjectRules } from '../../manifest/rules/registry';
import type { KubernetesVersion } from '../../base/kubernetesVersion';
import { ApiError } from '../store/apiError';
import type { KubeObject } from '../store/objects';
import type { ObjectStore } from '../store/store';

export type Verb = 'create' | 'update' | 'delete' | 'patch';

export interface AdmissionRequest {
  readonly verb: Verb;
  readonly resource: string;
  readonly user: string;
  readonly namespace: string | undefined;
  /**
   * The object's name; for a create with generateName, the prefix in mutating
   * admission (it runs before the name is generated, so its errors name the prefix,
   * as upstream's NewForbidden does) and the generated name in validating admission.
   */
  readonly name: string;
}

export interface AdmissionContext {
  readonly store: ObjectStore;
  readonly version: KubernetesVersion;
  /** A random suffix for generated names (the kube-api-access volume). */
  readonly randomSuffix: () => string;
}

/** A mutating admission plugin: returns the object to continue with (or the same one), or throws an ApiError. */
export interface MutatingPlugin {
  readonly name: string;
  admit(object: KubeObject, request: AdmissionRequest, context: AdmissionContext): KubeObject;
}

/** One field error as a metav1.Status cause. */
export interface FieldCause {
  readonly field: string;
  readonly message: string;
  readonly reason?: FieldErrorType;
}

/**
 * A validating check: returns field errors as `field: message` causes; any error rejects the request as 422 Invalid.
 */
export type ValidateFn = (object: KubeObject, version: KubernetesVersion) => readonly FieldCause[];

export interface ValidatingPlugin {
  readonly name: string;
  validate(object: KubeObject, request: AdmissionRequest, context: AdmissionContext): void;
}

export interface Pipeline {
  readonly authenticate: (user: string) => { readonly user: string; readonly groups: readonly string[] };
  readonly authorize: (user: string, request: AdmissionRequest) => boolean;
  readonly mutating: readonly MutatingPlugin[];
  readonly validate: ValidateFn;
  readonly validating: readonly ValidatingPlugin[];
}

/** The simulator trusts every caller: the embedded cluster has one admin user and the system components. */
export function allowAll(): Pick<Pipeline, 'authenticate' | 'authorize'> {
  return {
    authenticate: (user) => ({
      user,
      groups: user.startsWith('system:') ? ['system:authenticated'] : ['system:masters', 'system:authenticated'],
    }),
    authorize: () => true,
  };
}

/** `Deployment.apps "web" is invalid: spec.replicas: Invalid value: ...` from field errors. */
export function invalid(kind: string, group: string, name: string, errors: readonly FieldCause[]): ApiError {
  const qualified = group ? `${kind}.${group}` : kind;
  const text = errors.map((e) => `${e.field}: ${e.message}`);
  return new ApiError(
    422,
    'Invalid',
    `${qualified} "${name}" is invalid: ${text.length === 1 ? text[0] : `[${text.join(', ')}]`}`,
    {
      name,
      group,
      kind,
      causes: errors.map((e) => ({ field: e.field, message: e.message, reason: e.reason ?? 'FieldValueInvalid' })),
    },
  );
}

/**
 * The apiserver's validation of a defaulted object: the same rules (and texts) as layer 3
 * of `podtrace validate`, for the selected version. Kinds without rules pass.
 */
export const sharedValidate: ValidateFn = (object, version) =>
  validateObjectRules(object, version).map((e) => ({
    field: fieldErrorPath(e),
    message: fieldErrorBody(e, version),
    reason: e.type,
  }));
