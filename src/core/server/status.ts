// metav1.Status answers for what the HTTP layer refuses before a request reaches the
// simulator's apiserver, in kube-apiserver's words (k8s.io/apimachinery/pkg/api/errors and
// k8s.io/apiserver/pkg/endpoints/handlers/responsewriters/status.go). The simulator's own
// refusals arrive as ApiError and are served through the same writer.
import { ApiError } from '../sim/store/apiError';

/** A Status that is not one of the store's ApiError reasons (413, 415, 405, 406, 500). */
export class HttpStatusError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: Readonly<Record<string, unknown>>,
  ) {
    super(message);
  }
}

export type ServedError = ApiError | HttpStatusError;

export function statusBody(error: ServedError): Record<string, unknown> {
  if (error instanceof ApiError) return error.toStatus();
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: error.message,
    reason: error.reason,
    ...(error.details ? { details: error.details } : {}),
    code: error.code,
  };
}

/** The Status of a successful delete (what a delete of a finished object or a collection answers). */
export function successStatus(details: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details };
}

/** authentication filter: `Unauthorized`, with no detail about why (upstream's unauthorized.go). */
export const unauthorized = (): ApiError => new ApiError(401, 'Unauthorized', 'Unauthorized');

/** errors.NewNotFound of no object: a path the server does not serve. */
export function unknownPath(): HttpStatusError {
  return new HttpStatusError(404, 'NotFound', 'the server could not find the requested resource', {});
}

/**
 * errors.NewNotFound of an object: `deployments.apps "web" not found`, with the details the
 * apiserver gives (name, group, and the resource as kind).
 */
export function objectNotFound(group: string, resource: string, name: string): ApiError {
  const qualified = group ? `${resource}.${group}` : resource;
  return new ApiError(404, 'NotFound', `${qualified} "${name}" not found`, {
    name,
    ...(group ? { group } : {}),
    kind: resource,
  });
}

/** errors.NewBadRequest. */
export function badRequest(message: string): HttpStatusError {
  return new HttpStatusError(400, 'BadRequest', message);
}

/** MaxRequestBodyBytes (3 MiB): errors.NewRequestEntityTooLargeError("limit is 3145728"). */
export function tooLarge(limit: number): HttpStatusError {
  return new HttpStatusError(413, 'RequestEntityTooLarge', `Request entity too large: limit is ${limit}`);
}

/** negotiation.NewUnsupportedMediaTypeError: the body's Content-Type is not one the endpoint decodes. */
export function unsupportedMediaType(contentType: string, accepted: readonly string[]): HttpStatusError {
  return new HttpStatusError(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`,
    { causes: [{ reason: 'UnsupportedMediaType', message: contentType }] },
  );
}

/** errors.NewMethodNotSupported: a verb the resource does not have (`delete` on pods/log). */
export function methodNotAllowed(resource: string, verb: string): HttpStatusError {
  return new HttpStatusError(405, 'MethodNotAllowed', `${verb} is not supported on resources of kind "${resource}"`, {
    kind: resource,
  });
}

/** A failure in podtrace itself: said without the stack, which stays in the server's log. */
export function internalError(message: string): HttpStatusError {
  return new HttpStatusError(500, 'InternalError', `Internal error occurred: ${message}`);
}

export function isServedError(error: unknown): error is ServedError {
  return error instanceof ApiError || error instanceof HttpStatusError;
}
