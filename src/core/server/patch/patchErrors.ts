// The apiserver's answers to bad patches, as staging/src/k8s.io/apiserver/pkg/endpoints/handlers/patch.go
// and apimachinery's api/errors build them, so kubectl prints the text users know.
import { ApiError } from '../../sim/store/apiError';

/** errors.NewBadRequest: 400 with the message as given. */
export function badRequest(message: string): ApiError {
  return new ApiError(400, 'BadRequest', message);
}

/** negotiation.NewUnsupportedMediaTypeError: 415, naming the types the endpoint accepts. */
export function unsupportedMediaType(contentType: string, accepted: readonly string[]): ApiError {
  return new ApiError(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`,
    contentType ? { causes: [{ field: 'Content-Type', message: `unsupported: ${contentType}` }] } : undefined,
  );
}

/** errors.NewRequestEntityTooLargeError. */
export function entityTooLarge(message: string): ApiError {
  return new ApiError(413, 'RequestEntityTooLarge', `Request entity too large: ${message}`);
}

/**
 * errors.NewGenericServerResponse(422, ...) as the patch handler calls it (not an unexpected
 * response): the library's text is dropped, and kubectl prints `The request is invalid: the
 * server rejected our request due to an error in our request`. Callers keep the text for tests
 * and logs in `detail`.
 */
export function unprocessable(detail: string): ApiError {
  const error = new ApiError(422, 'Invalid', 'the server rejected our request due to an error in our request', {});
  Object.defineProperty(error, 'detail', { value: detail, enumerable: false });
  return error;
}

/** The text an unprocessable() error was made from (the patch library's own words). */
export function unprocessableDetail(error: unknown): string | undefined {
  const detail = (error as { detail?: unknown } | null)?.detail;
  return typeof detail === 'string' ? detail : undefined;
}

/** errors.NewInvalid for a patched object that no longer decodes: one cause on the field `patch`. */
export function invalidPatch(kind: string, name: string, patchText: string, detail: string): ApiError {
  return new ApiError(422, 'Invalid', `${kind} "${name}" is invalid: patch: Invalid value: "${patchText}": ${detail}`, {
    name,
    kind,
    causes: [{ reason: 'FieldValueInvalid', field: 'patch', message: `Invalid value: "${patchText}": ${detail}` }],
  });
}

/**
 * A plain Go error that reached the handler unconverted: ErrorToAPIStatus answers 500 with an
 * unknown reason and the error's text, which kubectl prints as `Error from server: <text>`.
 */
export function internalError(message: string): ApiError {
  return new ApiError(500, '', message);
}

/** How Go's fmt prints a decoded JSON value with %v (`map[name:web port:80]`), for errors that quote a patch. */
export function goValueText(value: unknown): string {
  if (value === null || value === undefined) return '<nil>';
  if (Array.isArray(value)) return `[${value.map(goValueText).join(' ')}]`;
  if (typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record).sort();
    return `map[${keys.map((k) => `${k}:${goValueText(record[k])}`).join(' ')}]`;
  }
  return String(value);
}
