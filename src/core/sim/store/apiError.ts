// Errors as the apiserver returns them: a metav1.Status with code, reason and message, so
// that the HTTPS server can serve them unchanged and kubectl prints the familiar text.

/** metav1.StatusReason; '' where upstream returns a Status without one (the eviction of a pod with several budgets). */
export type StatusReason =
  | 'NotFound'
  | 'AlreadyExists'
  | 'Conflict'
  | 'Gone'
  | 'Invalid'
  | 'Forbidden'
  | 'Unauthorized'
  | 'BadRequest'
  | 'Expired'
  | 'TooManyRequests'
  | 'UnsupportedMediaType'
  | 'RequestEntityTooLarge'
  | 'NotAcceptable'
  | 'InternalError'
  | '';

export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: StatusReason,
    message: string,
    readonly details?: {
      readonly name?: string;
      readonly group?: string;
      readonly kind?: string;
      readonly causes?: readonly { field: string; message: string; reason?: string }[];
    },
  ) {
    super(message);
  }

  toStatus(): Record<string, unknown> {
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.reason,
      details: this.details,
      code: this.code,
    };
  }
}

/** `pods "web-1" not found`: the group-qualified resource as the apiserver spells it. */
export function notFound(qualifiedResource: string, name: string): ApiError {
  return new ApiError(404, 'NotFound', `${qualifiedResource} "${name}" not found`, { name, kind: qualifiedResource });
}

export function alreadyExists(qualifiedResource: string, name: string): ApiError {
  return new ApiError(409, 'AlreadyExists', `${qualifiedResource} "${name}" already exists`, {
    name,
    kind: qualifiedResource,
  });
}

/** The optimistic-concurrency failure, in the apiserver's words. */
export function conflict(qualifiedResource: string, name: string): ApiError {
  return new ApiError(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${qualifiedResource} "${name}": ` +
      'the object has been modified; please apply your changes to the latest version and try again',
    { name, kind: qualifiedResource },
  );
}

/** A watch or list from a resourceVersion older than the history kept: 410 Gone. */
export function gone(requested: number, oldest: number): ApiError {
  return new ApiError(410, 'Expired', `too old resource version: ${requested} (${oldest})`);
}
