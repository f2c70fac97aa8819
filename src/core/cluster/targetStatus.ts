// The failures a target reports, as the apiserver's metav1.Status has them: from the
// simulator's ApiError, or from the body a real apiserver answered with (which may be a Status,
// or anything else a proxy in the way sent).
import type { HttpStatusError } from '../server/status';
import type { ApiError } from '../sim/store/apiError';
import type { TargetStatus, TargetStatusCause } from './clusterTarget';

/** The Status of an error the simulated apiserver refused a request with. */
export function statusOfApiError(error: ApiError): TargetStatus {
  return {
    code: error.code,
    reason: error.reason,
    message: error.message,
    causes: (error.details?.causes ?? []).map((c) => ({
      reason: c.reason ?? '',
      message: c.message,
      field: c.field,
    })),
  };
}

/** The Status of what the apiserver's HTTP layer refuses before storage (400 for a strict decoding error). */
export function statusOfHttpError(error: HttpStatusError): TargetStatus {
  return { code: error.code, reason: error.reason, message: error.message, causes: [] };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/**
 * The Status in a response body (parsed JSON, or the raw text when it was not JSON). A body
 * that is not a Status keeps the HTTP code, and its text (at most 300 characters) becomes the
 * message, so that what a proxy answered is still shown.
 */
export function statusOfResponse(httpCode: number, body: unknown): TargetStatus {
  if (isRecord(body) && body.kind === 'Status') {
    const details = isRecord(body.details) ? body.details : {};
    const causes: TargetStatusCause[] = Array.isArray(details.causes)
      ? details.causes
          .filter(isRecord)
          .map((c) => ({ reason: text(c.reason), message: text(c.message), field: text(c.field) }))
      : [];
    return {
      code: typeof body.code === 'number' ? body.code : httpCode,
      reason: text(body.reason),
      message: text(body.message) || `the server answered ${httpCode} with a Status without a message`,
      causes,
    };
  }
  const raw = typeof body === 'string' ? body : body === undefined ? '' : JSON.stringify(body);
  const shown = raw.length > 300 ? `${raw.slice(0, 300)}…` : raw;
  return {
    code: httpCode,
    reason: '',
    message: `the server answered ${httpCode} with a body that is not a metav1.Status: ${shown || '(empty)'}`,
    causes: [],
  };
}

/** The Status of a request that got no answer at all (the server is down, TLS failed, a timeout). */
export function connectionFailure(what: string, error: unknown): TargetStatus {
  const message = error instanceof Error ? error.message : String(error);
  return { code: 0, reason: 'ConnectionFailed', message: `${what}: ${message}`, causes: [] };
}
