// Writing answers: JSON bodies with the apiserver's headers, Status errors, and the
// `Warning: 299 - "…"` headers of fieldValidation=Warn and deprecations (RFC 7234 warn-code 299,
// as k8s.io/apiserver/pkg/endpoints/handlers/responsewriters/warning.go writes them).
import type { ServerResponse } from 'node:http';
import { statusBody, type ServedError } from './status';

/** A warning header value: the text quoted, with `"` and `\` escaped. */
export function warningHeader(text: string): string {
  return `299 - "${text.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

export function sendJson(
  response: ServerResponse,
  code: number,
  body: unknown,
  warnings: readonly string[] = [],
  contentType = 'application/json',
): void {
  if (response.headersSent || response.destroyed) return;
  const text = JSON.stringify(body);
  const headers: Record<string, string | string[]> = {
    'Content-Type': contentType,
    'Cache-Control': 'no-cache, private',
    'Content-Length': String(Buffer.byteLength(text)),
  };
  if (warnings.length > 0) headers.Warning = warnings.map(warningHeader);
  response.writeHead(code, headers);
  response.end(text);
}

export function sendError(response: ServerResponse, error: ServedError, warnings: readonly string[] = []): void {
  sendJson(response, error.code, statusBody(error), warnings);
}

export function sendText(response: ServerResponse, code: number, text: string, contentType = 'text/plain'): void {
  if (response.headersSent || response.destroyed) return;
  response.writeHead(code, {
    'Content-Type': `${contentType}; charset=utf-8`,
    'Cache-Control': 'no-cache, private',
    'Content-Length': String(Buffer.byteLength(text)),
  });
  response.end(text);
}
