// The 422 metav1.Status the apiserver answers an invalid create or update with, built as
// k8s.io/apimachinery/pkg/api/errors/errors.go NewInvalid does, with the message aggregated
// as k8s.io/apimachinery/pkg/util/errors/errors.go aggregate.Error() does.
import {
  fieldErrorBody,
  fieldErrorMessage,
  fieldErrorPath,
  goQuote,
  type FieldError,
  type FieldErrorType,
} from '../base/fieldError';

export interface StatusCause {
  readonly reason: FieldErrorType;
  readonly message: string;
  readonly field: string;
}

export interface InvalidStatus {
  readonly kind: 'Status';
  readonly apiVersion: 'v1';
  readonly metadata: Record<string, never>;
  readonly status: 'Failure';
  readonly message: string;
  readonly reason: 'Invalid';
  readonly details: {
    readonly name: string;
    readonly group?: string;
    readonly kind: string;
    readonly causes: readonly StatusCause[];
  };
  readonly code: 422;
}

/** GroupKind.String(): `Deployment.apps`, or just `Pod` for the core group. */
export function qualifiedKind(kind: string, group: string): string {
  return group ? `${kind}.${group}` : kind;
}

/**
 * aggregate.Error(): one error is printed bare, several in `[a, b]`; duplicate strings
 * are printed once (the causes keep every error).
 */
export function aggregateMessage(messages: readonly string[]): string {
  const unique = [...new Set(messages)];
  if (unique.length === 1) return unique[0];
  return `[${unique.join(', ')}]`;
}

/**
 * The Status for field errors on `<kind> "<name>"`. `version` selects how bad values are
 * printed (Go syntax before 1.34, JSON from 1.34).
 */
export function statusForFieldErrors(
  kind: string,
  group: string,
  name: string,
  errors: readonly FieldError[],
  version?: string,
): InvalidStatus {
  const causes = errors.map((e) => ({ reason: e.type, message: fieldErrorBody(e, version), field: fieldErrorPath(e) }));
  const prefix = `${qualifiedKind(kind, group)} ${goQuote(name)} is invalid`;
  const message =
    errors.length === 0 ? prefix : `${prefix}: ${aggregateMessage(errors.map((e) => fieldErrorMessage(e, version)))}`;
  const details = group ? { name, group, kind, causes } : { name, kind, causes };
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason: 'Invalid',
    details,
    code: 422,
  };
}
